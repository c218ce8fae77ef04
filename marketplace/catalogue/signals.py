"""Queue the waveform whenever a track's stored preview file is new or changed; retire stored
visitor pages whenever what they show changes."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from aimusicstore import pagecache
from aimusicstore.enqueue import enqueue
from marketplace.models import FeaturedPlacement, Tool, Track

# Saves that change nothing a visitor sees (a login stamp) leave the stored pages alone.
UNSEEN_USER_FIELDS = {"last_login", "password", "notify_new_tracks"}


@receiver([post_save, post_delete], sender=Track)
@receiver([post_save, post_delete], sender=Tool)
@receiver([post_save, post_delete], sender=FeaturedPlacement)
def retire_visitor_pages(sender, raw=False, **kwargs):
    if not raw:
        pagecache.invalidate()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def retire_visitor_pages_for_profile(sender, created=False, update_fields=None, raw=False, **kwargs):
    # A new account is on no page yet: sign-ups must not empty the page cache.
    if not raw and not created and not (update_fields and set(update_fields) <= UNSEEN_USER_FIELDS):
        pagecache.invalidate()


@receiver(post_init, sender=Track)
def remember_preview(sender, instance, **kwargs):
    # Read from __dict__ so a queryset that defers the field never pays a query here.
    preview = instance.__dict__.get("preview_audio")
    instance._preview_name_at_load = getattr(preview, "name", preview) or ""


@receiver(post_save, sender=Track)
def queue_waveform(sender, instance, created, raw=False, **kwargs):
    if raw or "preview_audio" not in instance.__dict__:
        return
    name = instance.preview_audio.name or ""
    if name and (created or name != instance._preview_name_at_load or not instance.waveform):
        from marketplace.catalogue.tasks import compute_waveform

        track_id = instance.pk
        transaction.on_commit(lambda: enqueue(compute_waveform, track_id))
    elif not name and instance._preview_name_at_load and instance.waveform:
        # The stored file was replaced by an external URL: its peaks no longer apply.
        Track.objects.filter(pk=instance.pk).update(waveform=[])
    instance._preview_name_at_load = name
