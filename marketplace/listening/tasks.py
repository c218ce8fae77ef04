"""Celery tasks of listening: thin, idempotent."""

from celery import shared_task

from marketplace.listening import services


@shared_task(acks_late=True, name="marketplace.studio_tasks.flush_view_counts")
def flush_view_counts():
    """Write the page views batched in Redis into the per-day stats rows."""
    return services.flush_view_counts()
