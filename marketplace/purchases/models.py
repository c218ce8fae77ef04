"""Postbacks held for staff review (imported at the bottom of marketplace/models.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

MONEY = {"max_digits": 10, "decimal_places": 2}


class HeldSale(models.Model):
    """A signed postback whose amount is out of range for its track: never credited until staff release it."""

    class Status(models.TextChoices):
        HELD = "held", "Held for review"
        RELEASED = "released", "Released (recorded as a sale)"
        REJECTED = "rejected", "Rejected"

    order_id = models.CharField(max_length=100, unique=True)
    click = models.ForeignKey("marketplace.PurchaseClick", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="held_sales")
    track = models.ForeignKey("marketplace.Track", on_delete=models.PROTECT, related_name="held_sales")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="USD")
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        app_label = "marketplace"
        indexes = [models.Index(fields=["status", "-created_at"], name="heldsale_status_idx")]

    def __str__(self):
        return f"{self.order_id} ({self.amount} {self.currency}, {self.get_status_display()})"
