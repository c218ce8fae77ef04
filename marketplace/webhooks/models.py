"""A member's webhook endpoints and the log of what was sent to them (registered in marketplace.models)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Webhook(models.Model):
    """An endpoint that receives the events it subscribed to, each signed with its own secret."""

    class Event(models.TextChoices):
        TRACK_PUBLISHED = "track.published", "A track of yours went live"
        TRACK_HIDDEN = "track.hidden", "Moderation hid a track of yours"
        VOTE_RECEIVED = "vote.received", "Votes on a track of yours (one delivery per track and minute)"
        TRACK_CHARTED = "track.charted", "A track of yours entered a top 50 or the trending top 10"
        SALE_RECORDED = "sale.recorded", "A sale of a track of yours was recorded"
        PAYOUT_UPDATED = "payout.updated", "A payout of yours was requested, approved, paid or rejected"
        REVIEW_POSTED = "review.posted", "Someone reviewed a track of yours"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = ArrayField(models.CharField(max_length=30, choices=Event.choices))
    description = models.CharField(max_length=200, blank=True)
    # Needed in clear to sign each delivery (HMAC); shown to the owner once, when the webhook is made.
    secret = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    # Failed attempts in a row (any delivery) and when the streak began; a success resets both.
    failure_streak = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="webhook_user_recent_idx")]

    def __str__(self):
        return f"{self.url} ({', '.join(self.events)})"


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one webhook; a redelivery is a new row with the same event id."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        RETRYING = "retrying", "Failed; will be retried"
        SUCCEEDED = "succeeded", "Delivered (2xx)"
        FAILED = "failed", "Failed for 24 hours; given up"
        CANCELLED = "cancelled", "Not sent: the webhook was disabled"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, help_text="The same over retries and redeliveries")
    event = models.CharField(max_length=30, choices=Webhook.Event.choices)
    payload = models.JSONField(help_text="The JSON body sent: {id, type, created_at, data}")
    # One delivery per webhook and key (a vote window, a chart entry), even when emitted twice.
    dedupe_key = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True, help_text="A sender holds it until then")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=500, blank=True, help_text="The first 500 characters")
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    redelivery_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="redeliveries")
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["webhook", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="webhook_delivery_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_recent_idx"),
            models.Index(fields=["next_attempt_at"], condition=Q(status__in=["pending", "retrying"]),
                         name="webhook_delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.webhook_id}: {self.status}"
