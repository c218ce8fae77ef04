"""Rate limits for /api/v1/: per API key and its tier, per IP for anonymous callers.

Reads, writes and votes are counted separately, each in a fixed window kept as one
counter in Redis (the default cache is django-redis), so a check is one atomic INCR
whatever the limit. Every answer carries `X-RateLimit-Limit`, `X-RateLimit-Remaining`
and `X-RateLimit-Reset` (Unix time the window ends; added by `aimusicstore.api.ApiMiddleware`);
a refusal is a 429 with `Retry-After`.
"""

import math
import time

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from accounts.tiers import API_KINDS, VOTE_LIMITS, api_limits
from aimusicstore import http, ratelimit

# The user each API key this process has seen belongs to. A key never changes hands, so its user is known
# before its record is read, and a vote's count on its voter's own limits (voting.ratelimit) goes in the
# same round trip as the key's record and its call count: one Redis round trip less per vote.
_KEY_USERS = {}
KEY_USERS_KEPT = 10_000


def remember_key_user(key_hash, user_id):
    """Remember an accepted key's user; None forgets a key that was refused, so that a revoked key's
    calls stop counting on its user's vote limits (at most one more count per process)."""
    if user_id is None:
        _KEY_USERS.pop(key_hash, None)
        return
    if len(_KEY_USERS) >= KEY_USERS_KEPT:
        _KEY_USERS.clear()
    _KEY_USERS[key_hash] = user_id


def vote_windows():
    """Every window length any voter tier counts in (accounts.tiers.vote_limits)."""
    limits = getattr(settings, "VOTE_RATE_LIMITS", None) or VOTE_LIMITS
    return sorted({duration for tier in limits.values() for duration in tier})


def request_kind(request, view):
    kind = getattr(view, "throttle_kind", None)
    if kind in API_KINDS:
        return kind
    return "read" if request.method in SAFE_METHODS else "write"


def client_ip(request):
    # REMOTE_ADDR as aimusicstore.http.ClientAddressMiddleware settled it (proxies in TRUSTED_PROXIES).
    return http.client_ip(request)


def key_identity(key_hash):
    """A key's name in its rate-limit counters: from its hash, known before its record is read."""
    return f"key:{key_hash[:32]}"


def caller(request):
    """(identity, tier) of the caller: the API key, or the IP address when there is none."""
    key = getattr(request, "auth", None)
    if key is not None and getattr(key, "pk", None):
        return key_identity(key.key_hash), key.tier
    return f"ip:{client_ip(request)}", "anon"


def counter_name(identity, kind):
    """The Redis counter (voting.ratelimit) of a caller's `kind` calls."""
    return f"api:{identity}:{kind}"


def read_ahead(request, key_hash, record_name):
    """Everything a keyed API call needs from Redis, in one pipelined round trip; the key's record.

    The key's stored record (`record_name`, as ApiKeyAuthentication keeps it), one hit on its
    counter in the current window of each duration any tier gives this kind of call (the tier is
    only known from the record; a window no tier of this key uses is never read), and for a read
    kept by `cache_api_read` the generation and the stored body. The throttle and the read then
    use what was fetched instead of asking again. Returns the decoded record, or None when it is
    not stored (or Redis is unavailable: then each part asks on its own, as before). A request
    fetched ahead already (aimusicstore.apihit, which then let the stack answer) is not fetched or
    counted again.
    """
    from aimusicstore import pagecache

    context = getattr(request, "parser_context", None) or {}
    view = context.get("view")
    django_request = getattr(request, "_request", request)
    done = getattr(django_request, "api_read_ahead", None)
    if done is not None and done["identity"] == key_identity(key_hash):
        return done["record"]
    handler = getattr(view, request.method.lower(), None) if view is not None else None
    body_key = None
    if request.method == "GET" and getattr(handler, "api_cache_ttl", None) is not None:
        body_key = pagecache.api_cache_key(request)
    return fetch_ahead(django_request, request_kind(request, view), key_hash, record_name, body_key)


def fetch_ahead(django_request, kind, key_hash, record_name, body_key=None):
    """read_ahead's round trip, for a call of `kind`; kept as `django_request.api_read_ahead`."""
    from django.core.cache import cache
    from django_redis import get_redis_connection
    from redis.exceptions import RedisError

    from aimusicstore import pagecache

    durations = sorted({api_limits(tier)[kind][1] for tier in ("starter", "pro", "enterprise")})
    now = time.time()
    try:
        redis = get_redis_connection("default")
        pipe = redis.pipeline(transaction=False)
        pipe.get(cache.make_key(record_name))
        counters, voter_windows = [], []
        for duration in durations:
            _, end = ratelimit.add_hit(pipe, counter_name(key_identity(key_hash), kind), duration, now)
            counters.append((duration, end))
        voter = _KEY_USERS.get(key_hash) if kind == "vote" else None
        if voter is not None:  # this vote's count on its voter's limits, in each window any tier has
            for duration in vote_windows():
                _, end = ratelimit.add_hit(pipe, ratelimit.voter_counter(voter), duration, now)
                voter_windows.append((duration, end))
        if body_key:
            pipe.mget(cache.make_key(pagecache.GENERATION_KEY), cache.make_key(body_key))
        answers = pipe.execute()
    except (RedisError, NotImplementedError):
        return None
    record = cache.client.decode(answers[0]) if answers[0] is not None else None
    counts = answers[1:1 + 2 * len(durations)][1::2]
    voter_counts = answers[1 + 2 * len(durations):1 + 2 * (len(durations) + len(voter_windows))][1::2]
    django_request.api_read_ahead = {
        "kind": kind, "identity": key_identity(key_hash), "now": now, "record": record,
        "hits": {duration: (used, end) for (duration, end), used in zip(counters, counts, strict=True)},
        "body": (body_key, redis, *answers[-1]) if body_key else None,
        "voter": {"user_id": voter, "now": now, "hits": {
            duration: (used, end) for (duration, end), used in zip(voter_windows, voter_counts, strict=True)}}
        if voter is not None else None,
    }
    return record


def voter_hits(request):
    """The voter's vote count fetched ahead with the key (fetch_ahead), for voting.ratelimit.check_vote_rate;
    handed out once. None when there is none (the key's first call in this process, or Redis unavailable)."""
    ahead = getattr(getattr(request, "_request", request), "api_read_ahead", None)
    return ahead.pop("voter", None) if ahead else None


def usage(identity, tier, now=None):
    """What a caller has used of each limit in the current windows (for `agents/me`)."""
    result = {}
    for kind, (limit, duration) in api_limits(tier).items():
        used, end = ratelimit.used(counter_name(identity, kind), duration, now)
        result[kind] = {"limit": limit, "period_seconds": duration, "used": min(used, limit),
                        "remaining": max(0, limit - used), "reset": end}
    return result


def _state(identity, kind, limit, duration, used, end):
    """A window as the rate limit headers describe it (aimusicstore.api.add_rate_limit_headers);
    "counter" and "window" let a 304 hand its hit back (aimusicstore.conditional)."""
    return {"limit": limit, "remaining": max(0, limit - used), "reset": end,
            "policy": kind, "window": duration, "counter": counter_name(identity, kind)}


def count_call(request, kind, now=None):
    """Count one call of `kind` by the request's caller in its window: (allowed, window state, retry after s).

    The REST throttle below and the MCP server's tools (aimusicstore/mcp) both count here, so a
    key has one budget of reads, writes and votes whichever door it comes through.
    """
    identity, tier = caller(request)
    limit, duration = api_limits(tier)[kind]
    django_request = getattr(request, "_request", request)
    ahead = getattr(django_request, "api_read_ahead", None)
    if ahead and not ahead.get("spent") and ahead["identity"] == identity and ahead["kind"] == kind \
            and duration in ahead["hits"]:
        ahead["spent"] = True  # the hit counted in the authentication's round trip, used once
        now = ahead["now"]
        used, end = ahead["hits"][duration]
    else:
        now = time.time() if now is None else now
        [(used, end)] = ratelimit.hit(counter_name(identity, kind), [duration], now)
    return used <= limit, _state(identity, kind, limit, duration, used, end), max(1, math.ceil(end - now))


def window_state(request, kind, now=None):
    """The caller's current `kind` window, counting nothing (the headers of an MCP message that is not a tool
    call: initialize, tools/list)."""
    identity, tier = caller(request)
    limit, duration = api_limits(tier)[kind]
    used, end = ratelimit.used(counter_name(identity, kind), duration, now)
    return _state(identity, kind, limit, duration, used, end)


class ApiRateThrottle(BaseThrottle):
    """The one throttle of every API view (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES)."""

    def allow_request(self, request, view):
        allowed, state, self.retry_after = count_call(request, request_kind(request, view))
        # Read back by ApiMiddleware to add the X-RateLimit-* headers to the response.
        getattr(request, "_request", request).rate_limit = state
        return allowed

    def wait(self):
        return self.retry_after
