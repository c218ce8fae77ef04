"""Creator earnings: every balance is a sum over LedgerEntry rows; payouts move money by
adding rows, never by editing a stored balance.

    pending    sale earnings still in their hold (available_at in the future)
    available  everything else: cleared sales, minus payout requests, plus adjustments
    in_review  payouts requested or approved but not yet paid
    paid       payouts marked paid

so that  sales + adjustments == pending + available + in_review + paid  to the cent.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.models import MONEY, LedgerEntry, Payout, PayoutMethod
from marketplace.money import to_money
from marketplace.notifications import services as notifications
from marketplace.webhooks import events as webhook_events

PAYOUT_THRESHOLD = Decimal("50.00")
ZERO = Decimal("0.00")
OPEN_PAYOUTS = (Payout.Status.REQUESTED, Payout.Status.APPROVED)


class PayoutError(Exception):
    """A payout request or decision that the rules refuse; the message is shown to the user."""


@dataclass(frozen=True)
class Balances:
    pending: Decimal
    available: Decimal
    in_review: Decimal
    paid: Decimal

    @property
    def total_earned(self):
        return self.pending + self.available + self.in_review + self.paid

    @property
    def can_request_payout(self):
        return self.available >= PAYOUT_THRESHOLD

    @property
    def to_threshold(self):
        return max(PAYOUT_THRESHOLD - self.available, ZERO)


def _sum(condition):
    return Coalesce(Sum("amount", filter=condition), Value(ZERO), output_field=DecimalField(**MONEY))


def balances(creator, now=None):
    """The creator's four balances in one query."""
    now = now or timezone.now()
    totals = LedgerEntry.objects.filter(creator=creator).aggregate(
        pending=_sum(Q(kind=LedgerEntry.Kind.SALE, available_at__gt=now)),
        available=_sum(~Q(kind=LedgerEntry.Kind.SALE, available_at__gt=now)),
        in_review=_sum(Q(kind=LedgerEntry.Kind.PAYOUT, payout__status__in=OPEN_PAYOUTS)),
        paid=_sum(Q(kind=LedgerEntry.Kind.PAYOUT, payout__status=Payout.Status.PAID)),
    )
    return Balances(
        pending=to_money(totals["pending"]), available=to_money(totals["available"]),
        in_review=to_money(-totals["in_review"]), paid=to_money(-totals["paid"]),
    )


@transaction.atomic
def request_payout(creator, amount=None, now=None):
    """Move available earnings into a payout request (all of them unless `amount` is given).

    The creator's row is locked first, so concurrent requests queue up and each one sees the
    balance the previous one left: they cannot overdraw.
    """
    now = now or timezone.now()
    get_user_model().objects.select_for_update().only("pk").get(pk=creator.pk)
    if not PayoutMethod.objects.filter(creator=creator).exists():
        raise PayoutError("Add a payout method (PayPal or bank account) first, so we know where to send the money.")
    available = balances(creator, now=now).available
    amount = available if amount is None else to_money(amount)
    if available < PAYOUT_THRESHOLD:
        raise PayoutError(f"Payouts open at ${PAYOUT_THRESHOLD}; you have ${available} available.")
    if amount < PAYOUT_THRESHOLD:
        raise PayoutError(f"The smallest payout is ${PAYOUT_THRESHOLD}.")
    if amount > available:
        raise PayoutError(f"You can request at most ${available}.")
    payout = Payout.objects.create(creator=creator, amount=amount, requested_at=now)
    LedgerEntry.objects.create(
        creator=creator, kind=LedgerEntry.Kind.PAYOUT, amount=-amount, payout=payout, available_at=now,
        memo=f"Payout #{payout.pk} requested", created_at=now,
    )
    webhook_events.payout_updated(payout)
    return payout


def _locked_payout(payout, allowed):
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if payout.status not in allowed:
        raise PayoutError(f"Payout #{payout.pk} is already {payout.get_status_display().lower()}.")
    return payout


def _move_payout(payout, from_status, to_status, staff, now):
    payout = _locked_payout(payout, (from_status,))
    payout.status, payout.decided_by, payout.decided_at = to_status, staff, now or timezone.now()
    payout.save(update_fields=["status", "decided_by", "decided_at"])
    notifications.notify_payout_changed(payout)
    webhook_events.payout_updated(payout)
    return payout


@transaction.atomic
def approve_payout(payout, staff, now=None):
    """Staff accept a request; the money stays out of the available balance."""
    return _move_payout(payout, Payout.Status.REQUESTED, Payout.Status.APPROVED, staff, now)


@transaction.atomic
def mark_payout_paid(payout, staff, now=None):
    """The money has been sent."""
    return _move_payout(payout, Payout.Status.APPROVED, Payout.Status.PAID, staff, now)


@transaction.atomic
def reject_payout(payout, staff, note="", now=None):
    """Staff refuse a request; an adjustment entry gives the amount back to the available balance."""
    now = now or timezone.now()
    payout = _locked_payout(payout, OPEN_PAYOUTS)
    payout.status, payout.decided_by, payout.decided_at = Payout.Status.REJECTED, staff, now
    payout.note = note[:300]
    payout.save(update_fields=["status", "decided_by", "decided_at", "note"])
    LedgerEntry.objects.create(
        creator_id=payout.creator_id, kind=LedgerEntry.Kind.ADJUSTMENT, amount=payout.amount, available_at=now,
        memo=f"Payout #{payout.pk} rejected: amount released", created_at=now,
    )
    notifications.notify_payout_changed(payout)
    webhook_events.payout_updated(payout)
    return payout
