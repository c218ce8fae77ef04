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
from django.core.cache import cache
from django_redis import get_redis_connection
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KINDS = ("read", "write", "vote")


def parse_rate(rate):
    """'120/min' -> (120, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


def limits_for(tier):
    """{kind: (requests, seconds)} for an API key tier, or for anonymous callers with tier 'anon'."""
    table = settings.API_RATE_LIMITS
    rates = table.get(tier) or table["starter"]
    return {kind: parse_rate(rates[kind]) for kind in KINDS}


def request_kind(request, view):
    kind = getattr(view, "throttle_kind", None)
    if kind in KINDS:
        return kind
    return "read" if request.method in SAFE_METHODS else "write"


def client_ip(request):
    # DRF's reading of X-Forwarded-For, trusting only REST_FRAMEWORK["NUM_PROXIES"] proxies.
    return BaseThrottle().get_ident(request)


def caller(request):
    """(identity, tier) of the caller: the API key, or the IP address when there is none."""
    key = getattr(request, "auth", None)
    if key is not None and getattr(key, "pk", None):
        return f"key:{key.pk}", key.tier
    return f"ip:{client_ip(request)}", "anon"


def window(duration, now=None):
    now = now or time.time()
    start = int(now // duration * duration)
    return start, start + duration


def counter_key(identity, kind, window_start):
    return f"ratelimit:{identity}:{kind}:{window_start}"


def usage(identity, tier, now=None):
    """What a caller has used of each limit in the current windows (for `agents/me`)."""
    result = {}
    for kind, (limit, duration) in limits_for(tier).items():
        start, end = window(duration, now)
        used = cache.get(counter_key(identity, kind, start)) or 0
        result[kind] = {"limit": limit, "period_seconds": duration, "used": min(used, limit),
                        "remaining": max(0, limit - used), "reset": end}
    return result


class ApiRateThrottle(BaseThrottle):
    """The one throttle of every API view (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES)."""

    def allow_request(self, request, view):
        identity, tier = caller(request)
        kind = request_kind(request, view)
        limit, duration = limits_for(tier)[kind]
        now = time.time()
        start, end = window(duration, now)
        # One round trip: create the window's counter if absent (with its expiry), then count.
        key = cache.make_key(counter_key(identity, kind, start))
        pipe = get_redis_connection("default").pipeline(transaction=False)
        pipe.set(key, 0, ex=duration + 5, nx=True)
        pipe.incr(key)
        used = pipe.execute()[1]
        self.retry_after = max(1, math.ceil(end - now))
        # Read back by ApiMiddleware to add the X-RateLimit-* headers to the response.
        getattr(request, "_request", request).rate_limit = {
            "limit": limit, "remaining": max(0, limit - used), "reset": end,
        }
        return used <= limit

    def wait(self):
        return self.retry_after
