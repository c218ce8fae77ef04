"""Payout destinations: the creator saves one; staff export approved payouts to pay them in a batch."""

import csv
import io
import logging

from django.db import transaction
from django.utils import timezone

from marketplace.models import Payout
from marketplace.payouts.models import PayoutMethod

log = logging.getLogger(__name__)
CSV_COLUMNS = ["payout_id", "amount", "currency", "method", "account", "account_name", "legal_name", "country",
               "creator_email", "requested_at"]


def method_of(creator):
    return PayoutMethod.objects.filter(creator=creator).first()


@transaction.atomic
def save_payout_method(creator, *, kind, account, legal_name, country, account_name=""):
    """Create or replace the creator's payout destination; logs only its masked form."""
    method, _ = PayoutMethod.objects.update_or_create(creator=creator, defaults={
        "kind": kind, "account": account, "account_name": account_name, "legal_name": legal_name,
        "country": country.upper(), "updated_at": timezone.now(),
    })
    log.info("payout method saved for creator %s: %s", creator.pk, method)
    return method


def approved_payouts_csv(payouts=None):
    """The CSV batch a bank or PayPal mass payment takes: approved payouts with their full destination.

    Staff only (the admin action): the one place a full account number leaves the database.
    """
    payouts = payouts if payouts is not None else Payout.objects.all()
    rows = payouts.filter(status=Payout.Status.APPROVED).select_related("creator__payout_method").order_by("pk")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for payout in rows:
        method = getattr(payout.creator, "payout_method", None)
        writer.writerow([
            payout.pk, f"{payout.amount:.2f}", "USD", method.kind if method else "",
            method.account if method else "", method.account_name if method else "",
            method.legal_name if method else "", method.country if method else "", payout.creator.email,
            payout.requested_at.isoformat(),
        ])
    log.info("exported %d approved payouts as CSV", rows.count())
    return out.getvalue()
