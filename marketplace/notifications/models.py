"""A member's notifications and their per-kind switches (registered in marketplace.models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    """One event delivered to one member: shown in the centre when `in_app`, emailed when `emailed_at` is set."""

    class Kind(models.TextChoices):
        CREATOR_PUBLISHED = "creator_published", "A creator I follow published a track"
        REVIEW_RECEIVED = "review_received", "Someone reviewed my track"
        TOP50_ENTERED = "top50_entered", "My track entered the top 50"
        PAYOUT_CHANGED = "payout_changed", "A payout changed state"
        MODERATION_DECISION = "moderation_decision", "A moderation decision about my content"
        WEEKLY_DIGEST = "weekly_digest", "The weekly top-tracks newsletter"
        WEBHOOK_DISABLED = "webhook_disabled", "A webhook of mine was disabled after failing"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=1000)
    url = models.CharField(max_length=500, blank=True, help_text="Where the notification leads, a site path")
    in_app = models.BooleanField(default=True, help_text="Shown in the member's notification centre")
    dedupe_key = models.CharField(max_length=120, blank=True, help_text="One notification per member and key")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_recent_idx"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True, in_app=True),
                         name="notification_unread_idx"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.title}"


class NotificationPreference(models.Model):
    """A member's switch for one kind; without a row the kind's defaults apply (services.DEFAULTS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(max_length=30, choices=Notification.Kind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_per_kind")]

    def __str__(self):
        return f"{self.user_id} {self.kind}: in-app {self.in_app}, email {self.email}"
