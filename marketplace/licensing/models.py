"""Licence terms as data, YouTube-safe claims and purchase receipts (issue 16).

Imported at the bottom of marketplace/models.py, so Django registers them in the marketplace app.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# What a buyer may do with a track: (field, plain words). Each is a yes/no column on Licence.
USES = [
    ("personal", "Personal projects"),
    ("online_monetised", "Monetised online video (YouTube, TikTok, podcasts)"),
    ("advertising", "Advertising"),
    ("client_work", "Client work"),
    ("sync", "Sync (film, TV, games)"),
    ("broadcast", "Broadcast (TV, radio)"),
    ("resale", "Resale or redistribution"),
]
USE_CODES = [code for code, _ in USES]
USE_LABELS = dict(USES)

# Honest AI credits: each part of a track is made by AI, a human, both, or is absent.
CREDIT_PARTS = ["composition", "lyrics", "vocals", "instrumentation", "production"]
CREDIT_VALUES = ["ai", "human", "mixed", "none"]
AI_SUMMARIES = [("ai-native", "AI-native"), ("human-assisted", "Human-assisted")]


class Licence(models.Model):
    """A standard licence staff maintain; a track points at one, a receipt keeps a copy of its terms."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    summary = models.CharField(max_length=300, help_text="One sentence in plain words")
    personal = models.BooleanField(default=True)
    online_monetised = models.BooleanField(default=False)
    advertising = models.BooleanField(default=False)
    client_work = models.BooleanField(default=False)
    sync = models.BooleanField(default=False)
    broadcast = models.BooleanField(default=False)
    resale = models.BooleanField(default=False)
    attribution_required = models.BooleanField(default=False)
    territory = models.CharField(max_length=80, default="Worldwide")
    term = models.CharField(max_length=80, default="Perpetual")
    badge = models.CharField(max_length=20, help_text="The short label on track cards")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("marketplace:licence-detail", args=[self.code])

    @property
    def uses(self):
        return {code: getattr(self, code) for code in USE_CODES}

    @property
    def allowed(self):
        return [USE_LABELS[code] for code in USE_CODES if getattr(self, code)]

    @property
    def not_allowed(self):
        return [USE_LABELS[code] for code in USE_CODES if not getattr(self, code)]

    def terms(self):
        """The terms as plain data: what a receipt stores, so later edits never change it."""
        return {
            "code": self.code, "name": self.name, "summary": self.summary, "uses": self.uses,
            "attribution_required": self.attribution_required, "territory": self.territory, "term": self.term,
        }


class ContentIdClaim(models.Model):
    """A buyer reports that a "YouTube-safe" track was claimed by a content-ID system.

    The hook for the moderation queue: staff uphold or dismiss it; an upheld claim takes the badge away.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        UPHELD = "upheld", "Upheld"
        DISMISSED = "dismissed", "Dismissed"

    track = models.ForeignKey("marketplace.Track", on_delete=models.CASCADE, related_name="content_id_claims")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    video_url = models.URLField(max_length=500, blank=True)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="claim_status_idx")]

    def __str__(self):
        return f"claim on {self.track_id} ({self.status})"


class Receipt(models.Model):
    """A signed-in buyer's record of a sale, with the licence terms as they were at purchase time."""

    sale = models.OneToOneField("marketplace.Sale", on_delete=models.PROTECT, related_name="receipt")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="receipts")
    track = models.ForeignKey("marketplace.Track", on_delete=models.PROTECT, related_name="receipts")
    track_title = models.CharField(max_length=200)
    creator_name = models.CharField(max_length=120)
    platform_name = models.CharField(max_length=60)
    order_id = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    purchased_at = models.DateTimeField()
    licence_terms = models.JSONField(help_text="A snapshot of the licence at purchase time")

    class Meta:
        indexes = [models.Index(fields=["buyer", "-purchased_at"], name="receipt_buyer_idx")]

    def __str__(self):
        return f"receipt {self.order_id}"

    def get_absolute_url(self):
        return reverse("marketplace:receipt", args=[self.pk])

    @property
    def allowed(self):
        return [USE_LABELS.get(code, code) for code, ok in self.licence_terms.get("uses", {}).items() if ok]

    @property
    def not_allowed(self):
        return [USE_LABELS.get(code, code) for code, ok in self.licence_terms.get("uses", {}).items() if not ok]
