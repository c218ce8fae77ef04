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
FLUSH_LOCK_KEY = "studio:flush-lock"


def view_fields(track_id, referrer="", own_host=""):
    """The Redis hash fields one view of a track adds one to, [(hash, field)]: its day's views, and
    the referring site's (another site than `own_host`) if there is one."""
    day = timezone.localdate().isoformat()
    domain = (urlsplit(referrer).hostname or "")[:100] if referrer else ""
    domain = domain.removeprefix("www.") if domain and domain != own_host else ""
    fields = [(VIEW_COUNTS_KEY, f"{track_id}:{day}")]
    if domain:
        fields.append((REFERRER_COUNTS_KEY, f"{track_id}:{day}:{domain}"))
    return fields


def count_view(track_id, referrer="", own_host=""):
    """Count a page view with two Redis increments; flush_view_counts writes them in batches.

    A stored track page adds them in the round trip that reads it (pagecache.cache_for_visitors'
    `counts`, from view_fields); this is the rendered page's. With Redis down the view is written
    straight to the database instead, so none is lost.
    """
    from django_redis import get_redis_connection
    from redis.exceptions import RedisError

    fields = view_fields(track_id, referrer, own_host)
    try:
        pipe = get_redis_connection("default").pipeline()
        for hash_key, field in fields:
            pipe.hincrby(hash_key, field, 1)
        pipe.execute()
    except RedisError:
        logger.warning("view of track %s written to the database: Redis unavailable", track_id)
        counts = {hash_key: {field: 1} for hash_key, field in fields}
        _write_views(counts[VIEW_COUNTS_KEY], counts.get(REFERRER_COUNTS_KEY, {}))


def _take(redis, key):
    """Move a hash's counts aside under a batch name (atomic rename), so new increments start afresh."""
    batch = f"{key}:flushing:{uuid.uuid4().hex}"
    try:
        redis.rename(key, batch)
    except Exception:  # no such key: nothing counted since the last flush
        return None
    return batch


def _pending_batches(redis, key):
    """Batches taken by an earlier flush whose database write never committed, then a fresh one."""
    batches = [name.decode() for name in redis.scan_iter(match=f"{key}:flushing:*", count=1000)]
    fresh = _take(redis, key)
    return batches + ([fresh] if fresh else [])


def _counts(redis, batch):
    return {k.decode(): int(v) for k, v in redis.hgetall(batch).items()}


@transaction.atomic
def _write_views(views, referrers):
    live = set(Track.objects.filter(
        pk__in={int(k.split(":")[0]) for k in [*views, *referrers]}).values_list("pk", flat=True))
    for field, count in views.items():
        track_id, day = field.split(":", 1)
        if int(track_id) in live:
            bump_daily(int(track_id), day=date.fromisoformat(day), views=count)
    for field, count in referrers.items():
        track_id, day, domain = field.split(":", 2)
        if int(track_id) not in live:
            continue
        row, _ = TrackReferrerDaily.objects.select_for_update().get_or_create(
            track_id=int(track_id), day=date.fromisoformat(day), domain=domain
        )
        TrackReferrerDaily.objects.filter(pk=row.pk).update(views=F("views") + count)


def flush_view_counts():
    """Move batched view and referrer counts from Redis into TrackDailyStats / TrackReferrerDaily.

    A batch leaves Redis only after its database write committed: if the database is down the
    batch stays under its `:flushing:` name and the next flush writes it first.
    """
    from django_redis import get_redis_connection

    redis = get_redis_connection("default")
    # One flush at a time, so a batch left over from a failed flush is never written twice.
    lock = redis.lock(FLUSH_LOCK_KEY, timeout=300, blocking=False)
    if not lock.acquire():
        return 0
    try:
        total = 0
        for key in (VIEW_COUNTS_KEY, REFERRER_COUNTS_KEY):
            for batch in _pending_batches(redis, key):
                counts = _counts(redis, batch)
                if key == VIEW_COUNTS_KEY:
                    _write_views(counts, {})
                    total += sum(counts.values())
                else:
                    _write_views({}, counts)
                redis.delete(batch)
        return total
    finally:
        lock.release()


def toggle_favourite(user, track):
    """Heart or un-heart a track; returns True when it is now a favourite."""
    deleted, _ = Favourite.objects.filter(user=user, track=track).delete()
    if deleted:
        return False
    Favourite.objects.get_or_create(user=user, track=track)
    return True


NEW_LISTENERS_PER_ADDRESS = 5  # new anonymous listeners one address may add to a track in a day


@transaction.atomic
def record_play(track, listener, day=None, address=None):
    """Count a preview heard for 5 s, at most once per listener, track and day; return True if counted.

    The PlayEvent unique constraint is the guard, so two tabs racing still count once. With
    `address` (a listener we have just given its first cookie), one address adds at most
    NEW_LISTENERS_PER_ADDRESS listeners to a track a day, however many cookies it discards.
    """
    from aimusicstore import ratelimit
    from aimusicstore.http import hash_ip

    day = day or timezone.localdate()
    listener = listener[:64]
    if address is not None:
        [(used, _)] = ratelimit.hit(f"plays:{hash_ip(address)[:32]}:{track.pk}:{day}", [86400])
        if used > NEW_LISTENERS_PER_ADDRESS:
            return False
    _, created = PlayEvent.objects.get_or_create(track=track, listener=listener, day=day)
    if created:
        bump_daily(track.pk, day=day, plays=1)
    return created
