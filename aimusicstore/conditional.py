"""Conditional reads under /api/: every 200 GET carries an `ETag` (and `Last-Modified` where a view knows
it); `If-None-Match` / `If-Modified-Since` that still match answer 304 with no body.

The ETag is a hash of the JSON a caller would get, so it changes exactly when the answer does. A 304
hands its hit back to the caller's read bucket (`ratelimit.refund`): polling an unchanged resource
costs nothing against the limit.
"""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

from aimusicstore import ratelimit
from aimusicstore.api import API_PREFIX


def etag_of(content):
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def set_last_modified(response, when):
    """For views that know when their object last changed (a track's `updated_at`)."""
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())
    return response


class ConditionalGetMiddleware:
    """Sits inside ApiMiddleware, so the 304 still carries the rate limit headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not request.path.startswith(API_PREFIX) or request.method not in ("GET", "HEAD")
                or response.status_code != 200 or response.streaming):
            return response
        if not response.has_header("ETag"):
            response["ETag"] = etag_of(response.content)
        last_modified = response.get("Last-Modified")
        conditional = get_conditional_response(
            request, etag=response["ETag"],
            last_modified=parse_http_date_safe(last_modified) if last_modified else None, response=response,
        )
        if conditional.status_code == 304:
            limit = getattr(request, "rate_limit", None)
            if limit and "counter" in limit:
                ratelimit.refund(limit["counter"], limit["window"])
                limit["remaining"] = min(limit["limit"], limit["remaining"] + 1)
        return conditional
