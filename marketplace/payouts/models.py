"""Where a creator's payouts go (issue 16). Imported at the bottom of marketplace/models.py.

The full account (PayPal email or IBAN) is stored because staff must pay to it; every page, admin
list, log line and API answer shows only `masked`. The full value leaves only in the staff's CSV batch.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


def mask_email(email):
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


def mask_iban(iban):
    compact = iban.replace(" ", "")
    return f"{compact[:2]}•• •••• {compact[-4:]}" if len(compact) > 6 else "••••"


class PayoutMethod(models.Model):
    class Kind(models.TextChoices):
        PAYPAL = "paypal", "PayPal"
        IBAN = "iban", "Bank transfer (IBAN)"

    creator = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payout_method")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    account = models.CharField(max_length=254, help_text="PayPal email or IBAN; never shown in full")
    account_name = models.CharField(max_length=120, blank=True, help_text="The bank account holder (IBAN)")
    legal_name = models.CharField(max_length=120)
    country = models.CharField(max_length=2, help_text="ISO 3166 two-letter code")
    masked = models.CharField(max_length=40, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.get_kind_display()} {self.masked}"

    def __repr__(self):
        return f"<PayoutMethod {self.pk} {self.kind} {self.masked}>"

    def save(self, *args, **kwargs):
        self.masked = mask_email(self.account) if self.kind == self.Kind.PAYPAL else mask_iban(self.account)
        super().save(*args, **kwargs)
