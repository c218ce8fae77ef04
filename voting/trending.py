"""Trending stored against a fixed epoch, so time passing rewrites nothing.

The public trending value of a target is Σ value·weight·0.5^(age_hours / HALF_LIFE_HOURS) over its
counted votes. Every term shrinks by the same factor as time passes, so the order of targets never
changes with time alone. The score rows therefore store the sum *at the epoch* E,

    trending_at_epoch = Σ value·weight·2^((t_vote − E) / HALF_LIFE)

and the value shown is trending_at_epoch · 2^(−(now − E) / HALF_LIFE) (`decayed`). A vote adds its
one term once; a recompute rewrites only rows whose votes changed; sorting by the stored column is
sorting by trending.

A vote cast at `now` weighs 2^((now − E)/H) at the epoch, which would overflow a float8 after about
1,000 half-lives. `rebase()` (an hourly beat task, a no-op until due) moves E forward by a whole
number of half-lives once it is REBASE_AFTER_HALF_LIVES behind, scaling every row by the matching
power of two in one UPDATE (exact in floating point, so no order changes). Votes and recomputes
hold the epoch lock shared (`LOCK_SHARED_SQL`, taken before they read the epoch in a later
statement); the rebase holds it exclusively, so nothing adds a term against one epoch to a row
scaled to another.
"""

import math
import time
from datetime import UTC, datetime, timedelta

from django.db import OperationalError, connection, transaction
from django.utils import timezone

HALF_LIFE_HOURS = 24
HALF_LIFE_SECONDS = 3600.0 * HALF_LIFE_HOURS
DECAY = math.log(2) / HALF_LIFE_SECONDS  # per second: 2^(s/H) = exp(s · DECAY)
# 2^64 ≈ 1.8e19 at the rebase: far from float8's 2^1024, and votes from ~940 half-lives before the epoch
# are still normal numbers (by then they round to 0.0 in what anyone sees anyway).
REBASE_AFTER_HALF_LIVES = 64
LOCK_KEY = 0x7472656E64  # "trend": the advisory lock guarding the epoch
LOCK_SHARED_SQL = f"pg_advisory_xact_lock_shared({LOCK_KEY})"
# The epoch row is written by the migration (the hour it ran) and moved by `rebase`; only a database flushed
# after migrating (the tests' transactional cases) lacks it, and then this fixed instant is the epoch.
DEFAULT_EPOCH = datetime(2026, 12, 1, tzinfo=UTC)
# The epoch in seconds, as SQL; read it only in a statement after the shared lock was taken.
EPOCH_SQL = (f"coalesce((SELECT date_part('epoch', epoch) FROM voting_trendingepoch WHERE id = 1), "
             f"{DEFAULT_EPOCH.timestamp()})")
REBASE_LOCK_TIMEOUT = "2s"  # votes queue behind a waiting rebase: it gives up rather than stall them long
_CACHE_SECONDS = 60.0

_cached = {"epoch": None, "until": 0.0}


def _due(epoch, now):
    return (now - epoch).total_seconds() >= REBASE_AFTER_HALF_LIVES * HALF_LIFE_SECONDS


def current_epoch(now=None):
    """The epoch the stored values are relative to, for showing them.

    Cached a minute per process, but never once it is due for a rebase: from then on (until the hourly
    rebase has run) every call reads it again, so no process shows values against an epoch already moved.
    """
    now = now or timezone.now()
    epoch = _cached["epoch"]
    if epoch is None or time.monotonic() > _cached["until"] or _due(epoch, now):
        from voting.models import TrendingEpoch

        epoch = _cached["epoch"] = TrendingEpoch.current()
        _cached["until"] = time.monotonic() + _CACHE_SECONDS
    return epoch


def forget_epoch():
    _cached["epoch"] = None


def decayed(value_at_epoch, now=None, epoch=None):
    """The public trending value now of a stored value_at_epoch."""
    if not value_at_epoch:
        return 0.0
    now = now or timezone.now()
    epoch = epoch or current_epoch(now)
    return value_at_epoch * math.exp(-(now - epoch).total_seconds() * DECAY)


def at_epoch(signed, created_at, epoch):
    """One vote's term in the stored sum: its signed weight as of the epoch."""
    return signed * math.exp((created_at - epoch).total_seconds() * DECAY)


def take_shared_lock(cursor):
    """Inside a transaction, before reading the epoch: no rebase until it commits."""
    cursor.execute(f"SELECT {LOCK_SHARED_SQL}")


_REBASE_ROWS = """
UPDATE {table} SET trending_at_epoch = trending_at_epoch * %(factor)s WHERE trending_at_epoch <> 0
"""


def rebase(now=None, force=False):
    """Move the epoch forward by whole half-lives when it is REBASE_AFTER_HALF_LIVES behind (or `force`).

    One UPDATE per score table, under the epoch lock held exclusively. Returns the half-lives moved
    (0: not due, or the lock was busy; the next run tries again).
    """
    from voting.models import TrendingEpoch

    now = now or timezone.now()
    epoch = TrendingEpoch.current()
    if not (force or _due(epoch, now)):
        return 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{REBASE_LOCK_TIMEOUT}'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            cursor.execute("INSERT INTO voting_trendingepoch (id, epoch) VALUES (1, %s) ON CONFLICT DO NOTHING",
                           [DEFAULT_EPOCH])
            cursor.execute("SELECT epoch FROM voting_trendingepoch WHERE id = 1 FOR UPDATE")
            epoch = cursor.fetchone()[0]  # as committed now (another rebase may have run meanwhile)
            behind = int((now - epoch).total_seconds() // HALF_LIFE_SECONDS)
            if behind < 1 or not (force or _due(epoch, now)):
                return 0
            factor = math.ldexp(1.0, -behind)  # 2^-behind: multiplying by it is exact (no order can change)
            for table in ("voting_trackscore", "voting_toolscore"):
                cursor.execute(_REBASE_ROWS.format(table=table), {"factor": factor})
            cursor.execute("UPDATE voting_trendingepoch SET epoch = %s WHERE id = 1",
                           [epoch + timedelta(seconds=behind * HALF_LIFE_SECONDS)])
    except OperationalError:  # lock_timeout: a long recompute held the lock; try at the next run
        return 0
    finally:
        forget_epoch()
    transaction.on_commit(forget_epoch)
    return behind
