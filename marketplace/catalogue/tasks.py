"""Celery tasks of a track's life: thin, idempotent, taking ids.

Task names are pinned to the names they had before the feature packages, so messages already
queued and the beat schedule keep working across the move.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from accounts.services import unsubscribe_url
from aimusicstore.http import header_safe
from marketplace.catalogue import covers, media
from marketplace.models import Track
from marketplace.notifications import services as notifications


@shared_task(acks_late=True, name="marketplace.studio_tasks.cut_preview")
def cut_preview(track_id):
    """Cut an uploaded preview longer than 30 s down to its first 30 s (safe to run twice).

    The cut file is a new preview, so it is analysed again (its normalised copy must match it).
    """
    cut = media.cut_preview_to_length(track_id)
    if cut:
        from marketplace.analysis.tasks import analyse_preview

        analyse_preview.delay(track_id)
    return cut


@shared_task(acks_late=True, name="marketplace.catalogue.make_cover_thumbnails")
def make_cover_thumbnails(track_id, cover_name):
    """Make the srcset thumbnails of a newly saved cover (Track.save queues it; safe to run twice).

    `cover_name` is the cover that was saved: if the track has another by now, that one's own task does it.
    """
    return covers.make_and_record(track_id, cover_name)


@shared_task(acks_late=True, name="marketplace.studio_tasks.email_followers_about_track")
def email_followers_about_track(track_id):
    """Email each follower who wants it that a creator they follow published a track.

    Runs once per track: a cache key set on the first run makes a redelivered task a no-op.
    """
    from django.core.cache import cache

    if not cache.add(f"studio:notified:{track_id}", 1, timeout=7 * 24 * 3600):
        return 0
    track = Track.objects.select_related("creator").filter(pk=track_id, status=Track.Status.PUBLISHED).first()
    if track is None:
        return 0
    notifications.notify_followers_published(track)  # in-app; the email is this task's own, below
    followers = track.creator.followers.select_related("follower").filter(
        follower__notify_new_tracks=True, follower__is_active=True
    )
    track_url = settings.SITE_URL.rstrip("/") + track.get_absolute_url()
    messages = []
    for follow in followers:
        unsubscribe = unsubscribe_url(follow.follower)
        body = render_to_string("accounts/email/new_track.txt", {
            "user": follow.follower, "track": track, "track_url": track_url, "unsubscribe_url": unsubscribe,
        })
        messages.append(EmailMessage(
            header_safe(f"New from {track.creator.name}: {track.title}"), body, settings.DEFAULT_FROM_EMAIL,
            [follow.follower.email], headers={"List-Unsubscribe": f"<{unsubscribe}>"},
        ))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages)


@shared_task(acks_late=True, name="marketplace.tasks.compute_waveform")
def compute_waveform(track_id):
    """Decode a track's stored preview into its peak list; idempotent, so a retry is harmless."""
    media.store_waveform(track_id)
