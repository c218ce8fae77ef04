"""The waitlist's Celery task: the confirmation email."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from marketplace.models import WaitlistEntry
from marketplace.waitlist import services


@shared_task(acks_late=True)
def email_waitlist_confirmation(entry_id):
    """Email the double-opt-in link; nothing once the address is confirmed (or the entry is gone)."""
    entry = WaitlistEntry.objects.filter(pk=entry_id, confirmed_at__isnull=True).first()
    if entry is None:
        return 0
    body = render_to_string("marketplace/waitlist/confirm_email.txt", {"confirm_url": services.confirmation_url(entry)})
    return EmailMessage("Confirm your place on the aimusicstore waitlist", body, settings.DEFAULT_FROM_EMAIL,
                        [entry.email]).send()
