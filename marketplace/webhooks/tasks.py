"""Celery wrappers over the webhook services: each takes ids and is safe to run twice (attempts are claimed)."""

from celery import shared_task

from marketplace.webhooks import events, services


@shared_task(acks_late=True, ignore_result=True)
def deliver_webhook(delivery_id):
    """One attempt at a delivery (a retry, when it fails, is scheduled by the service)."""
    delivery = services.deliver(delivery_id)
    return delivery.status if delivery else None


@shared_task(acks_late=True, ignore_result=True)
def retry_due_webhooks():
    """Beat, every minute: queue the deliveries whose next attempt is due (long back-offs wait here)."""
    return services.sweep_due()


@shared_task(acks_late=True, ignore_result=True)
def emit_vote_window(track_id, start):
    """At the end of a vote window: the one aggregated `vote.received` for that track and window."""
    return len(events.emit_vote_window(track_id, start))
