"""Celery task of the analysis: thin, idempotent, taking ids."""

from celery import shared_task

from marketplace.analysis import services


@shared_task(acks_late=True, name="marketplace.analysis.tasks.analyse_preview", autoretry_for=(OSError,),
             retry_backoff=5, max_retries=3)
def analyse_preview(track_id, force=False):
    """Measure a track's preview (loudness, tempo, key, fingerprint, features) and store the normalised copy.

    Running it twice is harmless: a preview this analyser version has measured is skipped. An
    OSError (the file moved by a concurrent preview cut) retries with back-off.
    """
    analysis = services.analyse_track(track_id, force=force)
    return analysis.status if analysis else None
