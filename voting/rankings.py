"""The one place pages and the API read rankings from."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from marketplace.models import Tool, Track

PERIOD_FIELDS = {
    "daily": "score_daily",
    "weekly": "score_weekly",
    "monthly": "score_monthly",
    "alltime": "score",
    "trending": "trending",
}


def top_tracks(period="alltime", limit=50):
    field = PERIOD_FIELDS[period]
    return list(
        Track.objects.published()
        .for_listing()
        .filter(score__isnull=False)
        .order_by(F(f"score__{field}").desc(), "-score__upvotes", "-id")[:limit]
    )


def trending_tracks(limit=10):
    return top_tracks("trending", limit)


def top_tools(limit=10):
    return list(
        Tool.objects.select_related("score").order_by(F("score__score").desc(nulls_last=True), "name")[:limit]
    )


# --- Cached reads for the discovery pages -------------------------------------------------
# Rankings change only when votes land, and a few seconds of staleness is invisible to
# buyers, so pages read them through these short-lived Redis copies.

RANKING_TTL = 30
SNAPSHOT_DEPTH = 200
SNAPSHOT_TTL = 3 * 24 * 3600


def cached_top_tracks(period="alltime", limit=50):
    """top_tracks() through Redis for RANKING_TTL seconds; each refresh also records today's snapshot."""
    key = f"rank:tracks:{period}:{limit}"
    tracks = cache.get(key)
    if tracks is None:
        tracks = top_tracks(period, limit)
        cache.set(key, tracks, RANKING_TTL)
        record_rank_snapshot(period, [t.pk for t in tracks])
    return tracks


def cached_trending_tracks(limit=10):
    return cached_top_tracks("trending", limit)


def cached_top_tools(limit=10):
    return cache.get_or_set(f"rank:tools:{limit}", lambda: top_tools(limit), RANKING_TTL)


def _snapshot_key(period, day):
    return f"rank:snapshot:{period}:{day.isoformat()}"


def record_rank_snapshot(period, track_ids, day=None):
    """Remember today's ranks {track_id: rank} (the latest refresh of the day wins).

    Kept in Redis, not a table: it is small (top SNAPSHOT_DEPTH ids), written at most
    once per RANKING_TTL, and losing it costs only a day of movement arrows.
    """
    day = day or timezone.localdate()
    ranks = {pk: rank for rank, pk in enumerate(track_ids[:SNAPSHOT_DEPTH], start=1)}
    cache.set(_snapshot_key(period, day), ranks, SNAPSHOT_TTL)


def rank_movement(period, track_ids, day=None):
    """{track_id: ("up"|"down"|"same"|"new", places)} against yesterday's last snapshot.

    Empty when no snapshot from yesterday exists (fresh install, Redis flushed):
    showing every track as "new" then would be a lie.
    """
    day = day or timezone.localdate()
    yesterday = cache.get(_snapshot_key(period, day - timedelta(days=1)))
    if not yesterday:
        return {}
    movement = {}
    for rank, pk in enumerate(track_ids, start=1):
        before = yesterday.get(pk)
        if before is None:
            movement[pk] = ("new", 0)
        elif before > rank:
            movement[pk] = ("up", before - rank)
        elif before < rank:
            movement[pk] = ("down", rank - before)
        else:
            movement[pk] = ("same", 0)
    return movement


def rank_of(track_id, period="weekly"):
    """The track's place in the cached top 50 for ``period``, or None when it is not in it."""
    for rank, track in enumerate(cached_top_tracks(period, 50), start=1):
        if track.pk == track_id:
            return rank
    return None
