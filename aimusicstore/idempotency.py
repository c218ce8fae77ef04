"""`Idempotency-Key` on every POST under /api/: a retried request is answered, never done twice.

The first POST with a key is run and its answer kept in Redis for IDEMPOTENCY_TTL, per key owner (the
caller's API key, or the address of an anonymous caller) and endpoint (path). The same key again with the same
request (method, path, query and body) replays that answer with `Idempotent-Replayed: true`; with a
different request it is a 409 `idempotency_key_reused`; while the first is still running, a 409
`idempotency_in_progress` with `Retry-After: 1`. Server errors, 429s, 409s, 401s and 403s are not kept, so
the retry runs. With Redis down, POSTs run as if no key was sent (and a warning is logged).

A request the API will refuse for want of credentials is therefore answered so (401, or 403 for a bad
postback signature), never with a 409 or a replay, as Stripe authenticates before it looks a key up:
such refusals are never kept, a bad Bearer token is an owner of its own, and keys are kept per endpoint,
so what one endpoint kept under a key (the waitlist's sign-up, a playlist made with the caller's API
key) cannot answer a call of another that authenticates otherwise (a keyless call that needs a key, a
signed postback that takes no API key).
"""

import hashlib
import json
import logging
import re

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from aimusicstore import http
from aimusicstore.api import API_PREFIX, error_body

logger = logging.getLogger("aimusicstore.degraded")
HEADER = "Idempotency-Key"
WELL_FORMED = re.compile(r"^[\x21-\x7e]{1,255}$")
IDEMPOTENCY_TTL = 24 * 3600
PENDING_TTL = 60  # a request that dies mid-way frees its key after this long
KEPT_HEADERS = ("Location", "Retry-After")
NOT_KEPT = {401, 403, 409, 429}


def _owner(request):
    """Whose key this is: the caller's API key, or address, on this endpoint."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        caller = "key:" + hashlib.sha256(raw.strip().encode()).hexdigest()  # = ApiKey.key_hash
    else:
        caller = f"ip:{http.client_ip(request)}"
    return f"{caller}:{request.path}"


def _fingerprint(request):
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _refusal(code, message, status, **headers):
    response = JsonResponse(error_body(code, message, {HEADER: [message]}), status=status)
    for name, value in headers.items():
        response[name] = value
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER)
        if request.method != "POST" or given is None or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not WELL_FORMED.match(given):
            return _refusal("invalid", "An Idempotency-Key is 1 to 255 printable ASCII characters.", 400)
        fingerprint = _fingerprint(request)
        name = cache.make_key(f"idempotency:{_owner(request)}:{hashlib.sha256(given.encode()).hexdigest()}")
        try:
            redis = get_redis_connection("default")
            claimed = redis.set(name, json.dumps({"fingerprint": fingerprint}), nx=True, ex=PENDING_TTL)
            stored = None if claimed else redis.get(name)
        except RedisError as error:
            logger.warning("Idempotency-Key ignored: Redis unavailable (%s)", error)
            return self.get_response(request)
        if not claimed and stored is not None:
            return self._answer_again(json.loads(stored), fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            self._forget(redis, name)
            raise
        if response.status_code >= 500 or response.status_code in NOT_KEPT or response.streaming:
            self._forget(redis, name)
            return response
        kept = {"fingerprint": fingerprint, "status": response.status_code,
                "content_type": response.get("Content-Type", "application/json"),
                "content": response.content.decode("utf-8", "replace"),
                "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}}
        try:
            redis.set(name, json.dumps(kept), ex=IDEMPOTENCY_TTL)
        except RedisError as error:
            logger.warning("Idempotency-Key answer not kept: Redis unavailable (%s)", error)
        return response

    @staticmethod
    def _forget(redis, name):
        try:
            redis.delete(name)
        except RedisError:
            pass

    @staticmethod
    def _answer_again(kept, fingerprint):
        if kept["fingerprint"] != fingerprint:
            return _refusal("idempotency_key_reused",
                            "This Idempotency-Key was used for a different request: use a new key.", 409)
        if "status" not in kept:
            return _refusal("idempotency_in_progress",
                            "A request with this Idempotency-Key is still running: retry in a moment.", 409,
                            **{"Retry-After": "1"})
        response = HttpResponse(kept["content"], status=kept["status"], content_type=kept["content_type"])
        for header, value in kept["headers"].items():
            response[header] = value
        response["Idempotent-Replayed"] = "true"
        return response
