"""The one fixed-window counter behind every rate limit: API calls per key or address, votes per voter.

A window is one Redis counter named after what it counts and the window's start, with an expiry
a little past its end; counting any number of windows is one pipelined round trip (SET NX with
the expiry, then INCR, for each). Keys go through the cache's `make_key`, so they honour
`KEY_PREFIX` like every other cache entry.
"""

import time

from django.core.cache import cache
from django_redis import get_redis_connection


def window(duration, now=None):
    """(start, end) in Unix seconds of the `duration`-second window holding `now`."""
    now = time.time() if now is None else now
    start = int(now // duration * duration)
    return start, start + duration


def _key(name, duration, start):
    return f"ratelimit:{name}:{duration}:{start}"


def hit(name, durations, now=None):
    """Count one hit against `name` in a window of each duration; return [(used, window end), ...]."""
    now = time.time() if now is None else now
    pipe = get_redis_connection("default").pipeline(transaction=False)
    ends = []
    for duration in durations:
        start, end = window(duration, now)
        key = cache.make_key(_key(name, duration, start))
        pipe.set(key, 0, ex=duration + 5, nx=True)
        pipe.incr(key)
        ends.append(end)
    return list(zip(pipe.execute()[1::2], ends, strict=True))


def used(name, duration, now=None):
    """(hits so far, window end) of `name`'s current window, counting nothing."""
    start, end = window(duration, now)
    return cache.get(_key(name, duration, start)) or 0, end
