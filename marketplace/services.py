"""Writes for the marketplace: each rule enforced in one place, inside a transaction."""

import hashlib
import logging
import uuid
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aimusicstore import pagecache

from . import tiers, validators
from .models import (
    Favourite,
    LedgerEntry,
    PlayEvent,
    PurchaseClick,
    Sale,
    Track,
    TrackDailyStats,
    TrackReferrerDaily,
    WaitlistEntry,
)
from .money import split_sale

logger = logging.getLogger(__name__)
EARNINGS_HOLD = timedelta(days=14)  # refunds/chargebacks window before earnings are available


def hash_ip(ip):
    if not ip:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def bump_daily(track_id, day=None, **counters):
    """Add to a track's per-day counters with one upsert-style statement pair."""
    day = day or timezone.localdate()
    updates = {name: F(name) + amount for name, amount in counters.items()}
    if not TrackDailyStats.objects.filter(track_id=track_id, day=day).update(**updates):
        TrackDailyStats.objects.get_or_create(track_id=track_id, day=day)
        TrackDailyStats.objects.filter(track_id=track_id, day=day).update(**updates)


@transaction.atomic
def record_purchase_click(track, user=None, session_key="", referrer="", ip="", user_agent="", at=None):
    """Record a confirmed Buy; the click_id travels to the platform and back in the postback."""
    at = at or timezone.now()
    click = PurchaseClick.objects.create(
        track=track, user=user if user and user.is_authenticated else None, session_key=session_key or "",
        referrer=referrer[:500], ip_hash=hash_ip(ip), user_agent=user_agent[:300], created_at=at,
    )
    bump_daily(track.pk, day=at.date(), clicks=1)
    return click


@transaction.atomic
def record_sale(track, order_id, amount, currency="USD", click=None, source=Sale.Source.POSTBACK, at=None):
    """Record an affiliate sale once per order_id, split at the platform's current rate.

    Returns (sale, created). The creator's earnings enter the ledger, held for EARNINGS_HOLD.
    """
    existing = Sale.objects.filter(order_id=order_id).first()
    if existing:
        return existing, False
    at = at or timezone.now()
    rate = track.platform.commission_rate
    commission, earnings = split_sale(amount, rate)
    try:
        with transaction.atomic():  # a concurrent report of the same order wins the unique index
            sale = Sale.objects.create(
                order_id=order_id, click=click, track=track, amount=commission + earnings, currency=currency,
                commission_rate=rate, commission=commission, earnings=earnings, source=source, created_at=at,
            )
    except IntegrityError:
        return Sale.objects.get(order_id=order_id), False
    if earnings > 0:  # a 100 % commission leaves the creator nothing to credit
        LedgerEntry.objects.create(
            creator_id=track.creator_id, kind=LedgerEntry.Kind.SALE, amount=earnings, sale=sale,
            available_at=at + EARNINGS_HOLD, memo=f"Sale of “{track.title}”", created_at=at,
        )
    return sale, True


# --- Publishing (the studio form and the API both call these) ---------------------

TRACK_FIELDS = (
    "title", "artist", "genre", "moods", "bpm", "platform", "tool", "duration", "preview_url",
    "purchase_url", "price", "description", "tags",
)


def uploads_this_month(creator):
    return Track.objects.filter(creator=creator, created_at__gte=timezone.now() - timedelta(days=30)).count()


def check_upload_allowed(creator):
    """Free creators get tiers.FREE_UPLOADS_PER_30_DAYS uploads per 30 days; paid tiers are unlimited."""
    limit = tiers.upload_limit(creator.tier)
    if limit is not None and uploads_this_month(creator) >= limit:
        raise ValidationError(
            f"Your {creator.get_tier_display()} plan allows {limit} uploads every 30 days. "
            "Upgrade to Pro for unlimited uploads.",
            code="upload_limit",
        )


def _apply_media(track, data):
    """Store a new cover (re-encoded, no EXIF) and/or preview; return the preview length if one came."""
    cover = data.get("cover")
    if cover:
        track.cover.save("cover.jpg", validators.reencode_image(cover, validators.COVER_STORED_SIDE), save=False)
    audio = data.get("preview_audio")
    if audio:
        info = validators.inspect_preview(audio)
        audio.seek(0)
        track.preview_audio.save(f"preview.{info.extension}", audio, save=False)
        track.preview_duration = info.duration
        return info.duration
    return None


def _schedule_after_upload(track, preview_length):
    from . import studio_tasks

    if preview_length and preview_length > validators.PREVIEW_CUT_SECONDS + 0.5:
        transaction.on_commit(lambda: studio_tasks.cut_preview.delay(track.pk))


@transaction.atomic
def publish_track(creator, data):
    """Create a live track for `creator` from validated data (form or API); it is searchable at once.

    The purchase URL gets our affiliate tag, the cover is re-encoded, a long preview is cut by
    Celery, followers are emailed. 'Other' platforms wait for staff approval of the Buy button.
    """
    from accounts.models import User

    creator = User.objects.select_for_update().get(pk=creator.pk)
    check_upload_allowed(creator)
    if creator.role == User.Role.BUYER:
        creator.role = User.Role.CREATOR
        creator.save(update_fields=["role"])
    track = Track(creator=creator, status=Track.Status.PUBLISHED)
    for name in TRACK_FIELDS:
        if name in data:
            setattr(track, name, data[name])
    track.artist = track.artist or creator.name
    track.purchase_url = validators.with_affiliate_tag(track.purchase_url)
    track.buy_approved = not track.platform.requires_approval
    length = _apply_media(track, data)
    track.save()
    _schedule_after_upload(track, length)
    from . import studio_tasks

    transaction.on_commit(lambda: studio_tasks.email_followers_about_track.delay(track.pk))
    return track


@transaction.atomic
def update_track(track, data):
    """Change a track's details and media; a changed 'Other' purchase URL needs approval again."""
    track = Track.objects.select_for_update().select_related("platform").get(pk=track.pk)
    old_url, old_platform = track.purchase_url, track.platform_id
    for name in TRACK_FIELDS:
        if name in data:
            setattr(track, name, data[name])
    track.purchase_url = validators.with_affiliate_tag(track.purchase_url)
    if track.platform.requires_approval and (track.purchase_url != old_url or track.platform_id != old_platform):
        track.buy_approved = False
    elif not track.platform.requires_approval:
        track.buy_approved = True
    if data.get("preview_url") and not data.get("preview_audio") and track.preview_audio:
        track.preview_audio.delete(save=False)  # the creator switched to a hosted preview
        track.preview_duration = None
    length = _apply_media(track, data)
    if data.get("preview_audio"):
        track.preview_url = ""
    track.save()
    _schedule_after_upload(track, length)
    return track


def _set_status(track, status):
    Track.objects.filter(pk=track.pk).update(status=status, updated_at=timezone.now())
    pagecache.invalidate()
    track.status = status
    return track


def remove_track(track):
    """The creator deletes a track: hidden from the public at once, its clicks and sales kept."""
    return _set_status(track, Track.Status.REMOVED)


def cut_preview_to_length(track_id, seconds=None):
    """Replace a long uploaded preview by its first `seconds` seconds, same format (soundfile)."""
    import io

    import soundfile

    seconds = seconds or validators.PREVIEW_CUT_SECONDS
    track = Track.objects.filter(pk=track_id).first()
    if track is None or not track.preview_audio or (track.preview_duration or 0) <= seconds + 0.5:
        return False
    with track.preview_audio.open("rb") as fh, soundfile.SoundFile(io.BytesIO(fh.read())) as audio:
        rate = audio.samplerate
        data = audio.read(frames=int(seconds * rate), always_2d=True)
    frames = len(data)
    ext = track.preview_audio.name.rsplit(".", 1)[-1].lower()
    fmt = {"mp3": "MP3", "ogg": "OGG", "wav": "WAV", "flac": "FLAC"}[ext]
    out = io.BytesIO()
    soundfile.write(out, data, rate, format=fmt, subtype={"OGG": "VORBIS", "MP3": "MPEG_LAYER_III"}.get(fmt))
    old_name = track.preview_audio.name
    track.preview_audio.save(f"preview.{ext}", ContentFile(out.getvalue()), save=False)
    track.preview_duration = min(seconds, frames / rate)
    Track.objects.filter(pk=track.pk).update(preview_audio=track.preview_audio.name,
                                             preview_duration=track.preview_duration)
    track.preview_audio.storage.delete(old_name)
    return True


# --- Views, favourites, follows -------------------------------------------------------

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


def toggle_follow(follower, creator):
    """Follow or unfollow a creator; returns True when now following. Nobody follows themself."""
    from accounts.models import Follow

    if follower.pk == creator.pk:
        raise ValidationError("You cannot follow yourself.", code="follow_self")
    deleted, _ = Follow.objects.filter(follower=follower, creator=creator).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(follower=follower, creator=creator)
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


def hide_track(track):
    """A moderator takes a track down; the creator still sees it, the public does not."""
    return _set_status(track, Track.Status.HIDDEN)


def join_waitlist(email, interest=WaitlistEntry.Interest.BUYER):
    """Add an address to the waitlist once (case-insensitive); returns (entry, created)."""
    email = email.strip().lower()
    entry = WaitlistEntry.objects.filter(email__iexact=email).first()
    if entry:
        return entry, False
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(email=email, interest=interest), True
    except IntegrityError:  # joined concurrently
        return WaitlistEntry.objects.get(email__iexact=email), False
