"""The newsletter's beat task: thin, and safe to run twice at once or again after a crash."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task

from marketplace.newsletter import services


@shared_task(acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=60, max_retries=5)
def send_weekly_newsletter(week=None):
    """Send the week's top tracks to every opted-in address that has not had this week's issue."""
    return services.send_weekly_newsletter(week=date.fromisoformat(week) if week else None)
