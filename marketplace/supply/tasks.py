"""Thin Celery wrappers for supply controls."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from marketplace.models import Track


@shared_task(acks_late=True)
def email_creator_track_held(track_id):
    """Tell a creator their upload waits for review, and why (once per hold: a redelivery is a no-op)."""
    from django.core.cache import cache

    if not cache.add(f"supply:held-mail:{track_id}", 1, timeout=7 * 24 * 3600):
        return 0
    track = Track.objects.select_related("creator__agent_profile__owner").filter(
        pk=track_id, status=Track.Status.PENDING).first()
    if track is None:
        return 0
    agent = getattr(track.creator, "agent_profile", None)
    person = agent.owner if agent is not None else track.creator  # an agent's mail goes to its owner
    context = {"track": track, "dashboard_url": settings.SITE_URL.rstrip("/") + "/dashboard/"}
    subject = " ".join(f"Your track “{track.title[:80]}” is held for review".split())  # one header line
    return send_mail(subject, render_to_string("marketplace/supply/email/track_held.txt", context),
                     settings.DEFAULT_FROM_EMAIL, [person.email])
