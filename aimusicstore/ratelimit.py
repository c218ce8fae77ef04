"""The one fixed-window counter behind every rate limit: API calls per key or address, votes per voter.

A window is one Redis counter named after what it counts and the window's start, with an expiry
a little past its end; counting any number of windows is one pipelined round trip (SET NX with
the expiry, then INCR, for each). Keys go through the cache's `make_key`, so they honour
`KEY_PREFIX` like every other cache entry.

When Redis is down the same windows are counted in this process instead (and a warning logged),
so limits still hold per web process rather than refusing everyone or answering 500.
"""

import logging
import threading
import time

from django.core.cache import cache
from django_redis import get_redis_connection
from redis.exceptions import RedisError

logger = logging.getLogger("aimusicstore.degraded")
_local_counts = {}
_local_lock = threading.Lock()


def voter_counter(user_id):
    """The name of a voter's own vote counter (voting.ratelimit), whichever door the vote comes through."""
    return f"vote:{user_id}"


def window(duration, now=None):
    """(start, end) in Unix seconds of the `duration`-second window holding `now`."""
    now = time.time() if now is None else now
    start = int(now // duration * duration)
    return start, start + duration


def _key(name, duration, start):
    return f"ratelimit:{name}:{duration}:{start}"


def add_hit(pipe, name, duration, now):
    """Queue one hit on `name`'s window of `duration` on a pipeline (two answers: SET NX, then the count)."""
    start, end = window(duration, now)
    key = cache.make_key(_key(name, duration, start))
    pipe.set(key, 0, ex=duration + 5, nx=True)
    pipe.incr(key)
    return key, end


def hit(name, durations, now=None):
    """Count one hit against `name` in a window of each duration; return [(used, window end), ...]."""
    now = time.time() if now is None else now
    ends = []
    keys = []
    try:
        pipe = get_redis_connection("default").pipeline(transaction=False)
        for duration in durations:
            start, end = window(duration, now)
            key = cache.make_key(_key(name, duration, start))
            pipe.set(key, 0, ex=duration + 5, nx=True)
            pipe.incr(key)
            ends.append(end)
            keys.append((key, end))
        return list(zip(pipe.execute()[1::2], ends, strict=True))
    except RedisError as error:
        logger.warning("rate limit %s counted in this process: Redis unavailable (%s)", name, error)
        return _hit_locally(keys, now)


def _hit_locally(keys, now):
    """The fallback counter: the same windows, kept in this process's memory."""
    with _local_lock:
        for stale in [key for key, (_, end) in _local_counts.items() if end + 5 < now]:
            del _local_counts[stale]
        result = []
        for key, end in keys:
            count = _local_counts.get(key, (0, end))[0] + 1
            _local_counts[key] = (count, end)
            result.append((count, end))
        return result


def used(name, duration, now=None):
    """(hits so far, window end) of `name`'s current window, counting nothing."""
    start, end = window(duration, now)
    return cache.get(_key(name, duration, start)) or 0, end


def refund(name, duration, now=None):
    """Hand back one hit of `name`'s current window (a 304 is not counted); one round trip, never below 0."""
    start, _ = window(duration, now)
    key = cache.make_key(_key(name, duration, start))
    try:
        connection = get_redis_connection("default")
        if connection.decr(key) < 0:
            connection.set(key, 0, ex=duration + 5)
    except RedisError:
        with _local_lock:
            count, end = _local_counts.get(key, (0, start + duration))
            _local_counts[key] = (max(0, count - 1), end)
