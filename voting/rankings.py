"""The one place pages and the API read rankings from.

Rankings are lists of ids kept in Redis and rewritten by `refresh_rankings()`, which the
recompute task and the frequent `refresh_rankings` beat task call. A page request only
reads the id list and loads those rows by primary key; it never sorts the catalogue.
(After a cache flush the first reader rebuilds a list with one read of the indexed,
precomputed score columns, so a cold start shows rankings rather than nothing.)
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from marketplace.models import Tool, Track
from marketplace.notifications import services as notifications
from marketplace.webhooks import events as webhook_events
from voting.models import TrackScore

PERIOD_FIELDS = {
    "daily": "score_daily",
    "weekly": "score_weekly",
    "monthly": "score_monthly",
    "alltime": "score",
    "trending": "trending_at_epoch",  # sorts as the public trending value (voting.trending)
}
RANKING_SIZE = 100
TOP50_PERIOD = "weekly"  # the chart /top/ opens on; entering it notifies the creator
CACHE_PREFIX = "rankings:v1:"


def _track_ids(period):
    field = PERIOD_FIELDS[period]
    return list(
        TrackScore.objects.filter(track__status=Track.Status.PUBLISHED)
        .order_by(F(field).desc(), "-upvotes", "-track_id")
        .values_list("track_id", flat=True)[:RANKING_SIZE]
    )


def _tool_ids():
    return list(
        Tool.objects.order_by(F("score__score").desc(nulls_last=True), "name").values_list("id", flat=True)[
            :RANKING_SIZE
        ]
    )


def refresh_rankings():
    """Rewrite every cached ranking from the precomputed score columns (index scans)."""
    rankings = {period: _track_ids(period) for period in PERIOD_FIELDS}
    rankings["tools"] = _tool_ids()
    charts = list(webhook_events.CHARTS)
    stored = cache.get_many([CACHE_PREFIX + chart for chart in charts])
    previous = {chart: stored.get(CACHE_PREFIX + chart) for chart in charts}
    before = previous[TOP50_PERIOD]
    cache.set_many({CACHE_PREFIX + name: ids for name, ids in rankings.items()}, timeout=None)
    for period in PERIOD_FIELDS:
        record_rank_snapshot(period, rankings[period])
    if before is not None:  # after a cold start there is nothing to compare with: nobody "entered"
        entered = set(rankings[TOP50_PERIOD][:50]) - set(before[:50])
        if entered:
            notifications.notify_top50_entries(entered)
    webhook_events.tracks_charted(previous, rankings)
    return rankings


def _cached_ids(name):
    ids = cache.get(CACHE_PREFIX + name)
    if ids is None:
        ids = _tool_ids() if name == "tools" else _track_ids(name)
        cache.set(CACHE_PREFIX + name, ids, timeout=None)
    return ids


def top_tracks(period="alltime", limit=50):
    ids = cache.get(CACHE_PREFIX + period)
    if ids is None:  # cold cache: one indexed read of the score columns fills it
        field = PERIOD_FIELDS[period]
        tracks = list(
            Track.objects.published().for_listing().filter(score__isnull=False)
            .order_by(F(f"score__{field}").desc(), "-score__upvotes", "-id")[:RANKING_SIZE]
        )
        cache.set(CACHE_PREFIX + period, [t.pk for t in tracks], timeout=None)
        return tracks[:limit]
    ids = ids[: limit + 10]  # a few spare in case some were hidden since the refresh
    found = Track.objects.published().for_listing().in_bulk(ids)
    return [found[i] for i in ids if i in found][:limit]


def trending_tracks(limit=10):
    return top_tracks("trending", limit)


def top_tools(limit=10):
    ids = cache.get(CACHE_PREFIX + "tools")
    if ids is None:
        tools = list(Tool.objects.select_related("score").order_by(F("score__score").desc(nulls_last=True), "name")[
            :RANKING_SIZE
        ])
        cache.set(CACHE_PREFIX + "tools", [t.pk for t in tools], timeout=None)
        return tools[:limit]
    ids = ids[:limit]
    found = Tool.objects.select_related("score").in_bulk(ids)
    return [found[i] for i in ids if i in found]


# --- Names the discovery pages use -------------------------------------------------------------
# Every ranking above is already a cached read, so these are the same functions; day-to-day
# rank movement compares today's refreshed ranking with yesterday's last snapshot.

SNAPSHOT_DEPTH = RANKING_SIZE
SNAPSHOT_TTL = 3 * 24 * 3600


def cached_top_tracks(period="alltime", limit=50):
    return top_tracks(period, limit)


def cached_trending_tracks(limit=10):
    return trending_tracks(limit)


def cached_top_tools(limit=10):
    return top_tools(limit)


def _snapshot_key(period, day):
    return f"rank:snapshot:{period}:{day.isoformat()}"


def record_rank_snapshot(period, track_ids, day=None):
    """Remember today's ranks {track_id: rank}; the latest refresh of the day wins (Redis, not a table)."""
    day = day or timezone.localdate()
    ranks = {pk: rank for rank, pk in enumerate(track_ids[:SNAPSHOT_DEPTH], start=1)}
    cache.set(_snapshot_key(period, day), ranks, SNAPSHOT_TTL)


def rank_movement(period, track_ids, day=None):
    """{track_id: ("up"|"down"|"same"|"new", places)} against yesterday's last snapshot.

    Empty when there is no snapshot from yesterday (fresh install, Redis flushed).
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
    ids = _cached_ids(period)[:50]
    return ids.index(track_id) + 1 if track_id in ids else None
