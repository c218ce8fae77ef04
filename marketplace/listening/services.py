"""The player's server side: page views counted in Redis and flushed in batches, plays, favourites."""

import logging
import uuid
from datetime import date
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.models import (
    Favourite,
    PlayEvent,
    Track,
    TrackReferrerDaily,
)
from marketplace.studio.services import bump_daily

logger = logging.getLogger(__name__)


VIEW_COUNTS_KEY = "studio:views"  # Redis hash "track_id:YYYY-MM-DD" -> count, drained by Celery
REFERRER_COUNTS_KEY = "studio:referrers"  # "track_id:YYYY-MM-DD:domain" -> count


def count_view(track_id, referrer="", own_host=""):
    """Count a page view with two Redis increments; flush_view_counts writes them in batches."""
    from django_redis import get_redis_connection
    from redis.exceptions import RedisError

    day = timezone.localdate().isoformat()
    domain = (urlsplit(referrer).hostname or "")[:100] if referrer else ""
    try:
        pipe = get_redis_connection("default").pipeline()
        pipe.hincrby(VIEW_COUNTS_KEY, f"{track_id}:{day}", 1)
        if domain and domain != own_host:
            pipe.hincrby(REFERRER_COUNTS_KEY, f"{track_id}:{day}:{domain.removeprefix('www.')}", 1)
        pipe.execute()
    except RedisError:
        logger.warning("view of track %s not counted: Redis unavailable", track_id)


def _drain(redis, key):
    """Atomically take a hash's counts (rename, read, delete) so concurrent increments are never lost."""
    temp = f"{key}:flushing:{uuid.uuid4().hex}"
    try:
        redis.rename(key, temp)
    except Exception:  # no such key: nothing counted since the last flush
        return {}
    counts = {k.decode(): int(v) for k, v in redis.hgetall(temp).items()}
    redis.delete(temp)
    return counts


def flush_view_counts():
    """Move batched view and referrer counts from Redis into TrackDailyStats / TrackReferrerDaily."""
    from django_redis import get_redis_connection

    redis = get_redis_connection("default")
    views = _drain(redis, VIEW_COUNTS_KEY)
    live = set(Track.objects.filter(pk__in={int(k.split(":")[0]) for k in views}).values_list("pk", flat=True))
    for field, count in views.items():
        track_id, day = field.split(":", 1)
        if int(track_id) in live:
            bump_daily(int(track_id), day=date.fromisoformat(day), views=count)
    referrers = _drain(redis, REFERRER_COUNTS_KEY)
    live = set(Track.objects.filter(pk__in={int(k.split(":")[0]) for k in referrers}).values_list("pk", flat=True))
    for field, count in referrers.items():
        track_id, day, domain = field.split(":", 2)
        if int(track_id) not in live:
            continue
        with transaction.atomic():
            row, _ = TrackReferrerDaily.objects.select_for_update().get_or_create(
                track_id=int(track_id), day=date.fromisoformat(day), domain=domain
            )
            TrackReferrerDaily.objects.filter(pk=row.pk).update(views=F("views") + count)
    return sum(views.values())


def toggle_favourite(user, track):
    """Heart or un-heart a track; returns True when it is now a favourite."""
    deleted, _ = Favourite.objects.filter(user=user, track=track).delete()
    if deleted:
        return False
    Favourite.objects.get_or_create(user=user, track=track)
    return True


@transaction.atomic
def record_play(track, listener, day=None):
    """Count a preview heard for 5 s, at most once per listener, track and day; return True if counted.

    The PlayEvent unique constraint is the guard, so two tabs racing still count once.
    """
    day = day or timezone.localdate()
    _, created = PlayEvent.objects.get_or_create(track=track, listener=listener[:64], day=day)
    if created:
        bump_daily(track.pk, day=day, plays=1)
    return created
