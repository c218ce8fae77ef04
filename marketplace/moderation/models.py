"""Trust and safety records: reports, copyright takedowns, appeals and the notices creators get.

Imported at the bottom of marketplace/models.py, so Django registers them in the marketplace app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Report(models.Model):
    """One user's report of one target (a track, a creator; see targets.py for the kinds)."""

    class Reason(models.TextChoices):
        NOT_AI = "not_ai", "Not what it claims (not AI, or not as described)"
        COPYRIGHT = "copyright", "Copyright infringement"
        IMPERSONATION = "impersonation", "Impersonation"
        OFFENSIVE = "offensive", "Offensive content"
        SPAM = "spam", "Spam"
        BROKEN_LINK = "broken_link", "Broken link or preview"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACTIONED = "actioned", "Acted on"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made")
    # No choices here: the kinds live in targets.TARGETS, so a new kind needs no migration.
    target_type = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"], condition=Q(status="open"),
                name="report_one_open_per_user_target",
            ),
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id", "status"], name="report_target_idx"),
            models.Index(fields=["created_at"], name="report_open_idx", condition=Q(status="open")),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on {self.target_type} {self.target_id}"


class Takedown(models.Model):
    """A copyright claim acted on: who claimed which work, how to reach them, and when."""

    track = models.ForeignKey("marketplace.Track", on_delete=models.PROTECT, related_name="takedowns")
    claimant = models.CharField(max_length=200)
    contact = models.CharField(max_length=254, help_text="Email or postal address of the claimant")
    work_claimed = models.CharField(max_length=300)
    received_on = models.DateField(help_text="The date the claim reached us")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"takedown of {self.track_id} for {self.claimant}"


class Appeal(models.Model):
    """A creator's one appeal against a hidden track, decided by staff."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a decision"
        UPHELD = "upheld", "Upheld: the track stays hidden"
        RESTORED = "restored", "Granted: the track is back"

    track = models.ForeignKey("marketplace.Track", on_delete=models.CASCADE, related_name="appeals")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals")
    note = models.TextField(max_length=2000)
    hidden_reason = models.CharField(max_length=500, blank=True, help_text="The reason the creator appealed against")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision_note = models.TextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["track"], name="appeal_once_per_track")]
        indexes = [models.Index(fields=["created_at"], name="appeal_open_idx", condition=Q(status="open"))]

    def __str__(self):
        return f"appeal on {self.track_id} ({self.status})"


class ModerationNotice(models.Model):
    """What moderation told a creator (also emailed), listed on their dashboard."""

    class Kind(models.TextChoices):
        HIDDEN = "hidden", "Track hidden"
        RESTORED = "restored", "Track restored"
        TAKEDOWN = "takedown", "Copyright takedown"
        WARNING = "warning", "Warning"
        SUSPENDED = "suspended", "Account suspended"
        APPEAL_UPHELD = "appeal_upheld", "Appeal upheld"
        APPEAL_GRANTED = "appeal_granted", "Appeal granted"

    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notices")
    track = models.ForeignKey(
        "marketplace.Track", null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_notices"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    message = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["creator", "-created_at"], name="notice_creator_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.creator_id}"


class Suspension(models.Model):
    """A creator suspended by staff: the account is deactivated, keys revoked, votes weigh zero."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.CharField(max_length=500)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"suspension of {self.user_id}"
