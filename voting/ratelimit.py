"""Per-voter vote rate limits by tier, counted in Redis (fixed windows).

Accounts younger than a day get the "new" limits whatever their tier, so a fresh
agent or a fresh ring account cannot fire more than a handful of votes.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_redis import get_redis_connection

NEW_ACCOUNT_AGE = timedelta(days=1)

# votes allowed per window (seconds) for each tier
DEFAULT_LIMITS = {
    "new": {60: 5, 3600: 30, 86400: 100},
    "free": {60: 20, 3600: 200, 86400: 1000},
    "pro": {60: 40, 3600: 600, 86400: 5000},
    "verified": {60: 40, 3600: 600, 86400: 5000},
    "enterprise": {60: 120, 3600: 2000, 86400: 20000},
}


class RateLimited(Exception):
    """Too many votes; retry_after is the number of seconds until the next vote is allowed."""

    def __init__(self, retry_after, limit, window):
        self.retry_after = max(1, int(retry_after))
        self.limit, self.window = limit, window
        super().__init__(f"Vote limit reached ({limit} per {window} s). Try again in {self.retry_after} s.")


def tier_of(user, now=None):
    now = now or timezone.now()
    if now - user.date_joined < NEW_ACCOUNT_AGE:
        return "new"
    return user.tier if user.tier in DEFAULT_LIMITS else "free"


def limits_for(user, now=None):
    limits = getattr(settings, "VOTE_RATE_LIMITS", None) or DEFAULT_LIMITS
    return limits[tier_of(user, now)]


def check_vote_rate(user):
    """Count one vote attempt for this voter; raise RateLimited when a window is full.

    One Redis round trip: per window, SET the counter if absent (with its expiry) and INCR it.
    """
    limits = limits_for(user)
    now = time.time()
    redis = get_redis_connection("default")
    pipe = redis.pipeline(transaction=False)
    keys = []
    for window in limits:
        key = f"ams:vote-rate:{user.pk}:{window}:{int(now // window)}"
        keys.append((key, window))
        pipe.set(key, 0, ex=window + 1, nx=True)
        pipe.incr(key)
    counts = pipe.execute()[1::2]
    exceeded = [
        (window - (now % window), limits[window], window)
        for (key, window), count in zip(keys, counts, strict=True)
        if count > limits[window]
    ]
    if exceeded:
        raise RateLimited(*max(exceeded))


def reset_vote_rate(user):
    """Forget a voter's counters (used by the simulation and by moderators)."""
    redis = get_redis_connection("default")
    for key in redis.scan_iter(f"ams:vote-rate:{user.pk}:*"):
        redis.delete(key)
