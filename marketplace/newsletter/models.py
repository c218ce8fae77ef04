"""One row per address per week, claimed before the email goes (registered in marketplace.models)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class NewsletterSend(models.Model):
    """The week's newsletter for one address: the unique row is what makes it once only.

    A sender claims a batch of unsent rows (SKIP LOCKED, with a lease in `claimed_until`), sends
    each and stamps `sent_at`. A second sender running at the same time takes other rows; one
    that crashed leaves its claim to expire and the next run sends what it had not.
    """

    email = models.EmailField()
    week = models.DateField(help_text="The Monday of the ISO week this issue is for")
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "week"], name="newsletter_one_send_per_address_week")]
        indexes = [models.Index(fields=["week"], condition=Q(sent_at__isnull=True), name="newsletter_unsent_idx")]

    def __str__(self):
        return f"{self.email} · week of {self.week}"
