"""Rate limits for /api/v1/: per API key and its tier, per IP for anonymous callers.

Reads, writes and votes are counted separately, each in a fixed window kept as one
counter in Redis (the default cache is django-redis), so a check is one atomic INCR
whatever the limit. Every answer carries `X-RateLimit-Limit`, `X-RateLimit-Remaining`
and `X-RateLimit-Reset` (Unix time the window ends; added by `aimusicstore.api.ApiMiddleware`);
a refusal is a 429 with `Retry-After`.
"""

import math
import time

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from accounts.tiers import API_KINDS, api_limits
from aimusicstore import http, ratelimit


def request_kind(request, view):
    kind = getattr(view, "throttle_kind", None)
    if kind in API_KINDS:
        return kind
    return "read" if request.method in SAFE_METHODS else "write"


def client_ip(request):
    # REMOTE_ADDR as aimusicstore.http.ClientAddressMiddleware settled it (proxies in TRUSTED_PROXIES).
    return http.client_ip(request)


def caller(request):
    """(identity, tier) of the caller: the API key, or the IP address when there is none."""
    key = getattr(request, "auth", None)
    if key is not None and getattr(key, "pk", None):
        return f"key:{key.pk}", key.tier
    return f"ip:{client_ip(request)}", "anon"


def usage(identity, tier, now=None):
    """What a caller has used of each limit in the current windows (for `agents/me`)."""
    result = {}
    for kind, (limit, duration) in api_limits(tier).items():
        used, end = ratelimit.used(f"api:{identity}:{kind}", duration, now)
        result[kind] = {"limit": limit, "period_seconds": duration, "used": min(used, limit),
                        "remaining": max(0, limit - used), "reset": end}
    return result


def _state(identity, kind, limit, duration, used, end):
    """A window as the rate limit headers describe it (aimusicstore.api.add_rate_limit_headers);
    "counter" and "window" let a 304 hand its hit back (aimusicstore.conditional)."""
    return {"limit": limit, "remaining": max(0, limit - used), "reset": end,
            "policy": kind, "window": duration, "counter": f"api:{identity}:{kind}"}


def count_call(request, kind, now=None):
    """Count one call of `kind` by the request's caller in its window: (allowed, window state, retry after s).

    The REST throttle below and the MCP server's tools (aimusicstore/mcp) both count here, so a
    key has one budget of reads, writes and votes whichever door it comes through.
    """
    identity, tier = caller(request)
    limit, duration = api_limits(tier)[kind]
    now = time.time() if now is None else now
    [(used, end)] = ratelimit.hit(f"api:{identity}:{kind}", [duration], now)
    return used <= limit, _state(identity, kind, limit, duration, used, end), max(1, math.ceil(end - now))


def window_state(request, kind, now=None):
    """The caller's current `kind` window, counting nothing (the headers of an MCP message that is not a tool
    call: initialize, tools/list)."""
    identity, tier = caller(request)
    limit, duration = api_limits(tier)[kind]
    used, end = ratelimit.used(f"api:{identity}:{kind}", duration, now)
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
