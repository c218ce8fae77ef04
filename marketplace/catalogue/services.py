"""A track's life: publish, update, remove and hide, the one place each rule is enforced (studio form and API alike)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import tiers
from aimusicstore import pagecache
from aimusicstore.enqueue import enqueue
from marketplace.catalogue import tasks, validators
from marketplace.licensing import credentials as content_credentials
from marketplace.models import Track
from marketplace.purchases import affiliate
from marketplace.supply import services as supply
from marketplace.webhooks import events as webhook_events

TRACK_FIELDS = (
    "title", "artist", "genre", "moods", "bpm", "key", "platform", "tool", "duration", "preview_url",
    "purchase_url", "price", "description", "tags",
    "licence", "licence_attestation", "youtube_safe_attested", "ai_credits", "ai_model_version", "human_contribution",
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
    credentials = content_credentials.summarise_uploads(cover, data.get("preview_audio"))  # before re-encoding
    if credentials:
        track.content_credentials = credentials
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
    if preview_length and preview_length > validators.PREVIEW_CUT_SECONDS + 0.5:
        transaction.on_commit(lambda: enqueue(tasks.cut_preview, track.pk))


@transaction.atomic
def publish_track(creator, data):
    """Create a live track for `creator` from validated data (form or API); it is searchable at once,
    unless the supply rules hold it for review (marketplace/supply: too short a preview, a repeated
    title, a stuffed title): then only its creator sees it, with the reason.

    The purchase URL gets our affiliate tag, the cover is re-encoded, a long preview is cut by
    Celery, followers are emailed. 'Other' platforms wait for staff approval of the Buy button.
    """
    from accounts.models import User

    creator = User.objects.select_for_update().get(pk=creator.pk)
    check_upload_allowed(creator)
    supply.check_upload_rate(creator)
    if creator.role == User.Role.BUYER:
        creator.role = User.Role.CREATOR
        creator.save(update_fields=["role"])
    track = Track(creator=creator, status=Track.Status.PUBLISHED)
    for name in TRACK_FIELDS:
        if name in data:
            setattr(track, name, data[name])
    track.artist = track.artist or creator.name
    track.purchase_url = affiliate.tagged_url(track.purchase_url)
    track.buy_approved = not track.platform.requires_approval
    length = _apply_media(track, data)
    reasons = supply.review_reasons(track, length)
    if reasons:
        supply.hold_for_review(track, reasons)
    track.save()
    _schedule_after_upload(track, length)
    if track.status == Track.Status.PUBLISHED:
        transaction.on_commit(lambda: enqueue(tasks.email_followers_about_track, track.pk))
        webhook_events.track_published(track)
    return track


@transaction.atomic
def update_track(track, data):
    """Change a track's details and media; a changed 'Other' purchase URL needs approval again."""
    # Lock only the track row: a join in FOR UPDATE is re-checked against the new platform_id after a
    # concurrent edit and the row drops out (Track.DoesNotExist). The platform is read after the lock.
    track = Track.objects.select_for_update().get(pk=track.pk)
    old_url, old_platform = track.purchase_url, track.platform_id
    for name in TRACK_FIELDS:
        if name in data:
            setattr(track, name, data[name])
    track.purchase_url = affiliate.tagged_url(track.purchase_url)
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


def _change(track, **fields):
    """Write a moderation or lifecycle change and retire every stored visitor page, now and on commit."""
    Track.objects.filter(pk=track.pk).update(**fields, updated_at=timezone.now())
    pagecache.invalidate()
    for name, value in fields.items():
        setattr(track, name, value)
    return track


def remove_track(track):
    """The creator deletes a track: hidden from the public at once, its clicks and sales kept."""
    return _change(track, status=Track.Status.REMOVED)


def hide_track(track, reason=""):
    """A moderator takes a track down, saying why; the creator still sees it (and the reason), the public does not."""
    _change(track, status=Track.Status.HIDDEN, moderation_reason=reason[:500])
    webhook_events.track_hidden(track, reason[:500])
    return track


def restore_track(track):
    """A moderator puts a hidden (or held) track back on sale."""
    _change(track, status=Track.Status.PUBLISHED, moderation_reason="")
    webhook_events.track_published(track)
    return track


def approve_purchase_link(track):
    """Staff checked an 'Other' platform's purchase link: the Buy button may send buyers there."""
    return _change(track, buy_approved=True)
