from celery import shared_task

from . import services


@shared_task(acks_late=True)
def recompute_scores(track_ids=None, tool_ids=None):
    """Rewrite weighted scores from the vote log; safe to run twice."""
    services.recompute_scores(track_ids=track_ids, tool_ids=tool_ids)
