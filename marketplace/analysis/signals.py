"""Queue the analysis whenever a track's preview (stored file or external URL) is new or changed."""

from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from marketplace.models import Track


def _source(instance):
    # Read from __dict__ so a queryset that defers the fields never pays a query here.
    audio = instance.__dict__.get("preview_audio")
    name = getattr(audio, "name", audio) or ""
    return name or instance.__dict__.get("preview_url") or ""


@receiver(post_init, sender=Track)
def remember_preview_source(sender, instance, **kwargs):
    instance._analysis_source_at_load = _source(instance)


@receiver(post_save, sender=Track)
def queue_analysis(sender, instance, created, raw=False, **kwargs):
    if raw or "preview_audio" not in instance.__dict__ or "preview_url" not in instance.__dict__:
        return
    source = _source(instance)
    if source and (created or source != instance._analysis_source_at_load):
        from marketplace.analysis import services
        from marketplace.analysis.tasks import analyse_preview

        track_id = instance.pk
        if not created:
            services.forget_measurements(track_id)
        transaction.on_commit(lambda: analyse_preview.delay(track_id))
    instance._analysis_source_at_load = source
