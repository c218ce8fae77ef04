"""Celery tasks for notifications: thin, idempotent, taking ids."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from marketplace.notifications import services


@shared_task(acks_late=True)
def email_notification(notification_id):
    """Email one notification; claimed first, so a redelivered task sends nothing twice."""
    notification = services.claim_email(notification_id)
    if notification is None:
        return 0
    site = settings.SITE_URL.rstrip("/")
    body = render_to_string("marketplace/notifications/email.txt", {
        "notification": notification, "link": site + notification.url if notification.url else "",
        "settings_url": site + reverse("marketplace:notifications") + "#settings",
    })
    message = EmailMessage(notification.title, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email])
    return message.send()
