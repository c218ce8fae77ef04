"""Property-based: whatever sales, rates and payouts happen, the money adds up to the cent."""

import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from marketplace.models import LedgerEntry, Sale
from marketplace.money import split_sale
from marketplace.purchases import ledger, services
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory

CENT = Decimal("0.01")
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=4)


@given(amount=amounts, rate=rates)
def test_a_sale_splits_into_commission_and_earnings_that_add_up_to_the_cent(amount, rate):
    commission, earnings = split_sale(amount, rate)
    assert commission + earnings == amount
    assert commission == (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    assert commission >= 0 and earnings >= 0
    assert commission.as_tuple().exponent == -2 and earnings.as_tuple().exponent == -2


sale_op = st.tuples(st.just("sale"), st.decimals(min_value=Decimal("0.50"), max_value=Decimal("999.99"), places=2),
                    rates, st.integers(min_value=0, max_value=30))
payout_op = st.tuples(st.just("payout"), st.none() | st.decimals(min_value=Decimal("40"), max_value=Decimal("300"),
                                                                 places=2))
decide_op = st.tuples(st.just("decide"), st.integers(min_value=0, max_value=5),
                      st.sampled_from(["approve", "pay", "pay", "reject"]))
programs = st.lists(st.one_of(sale_op, payout_op, payout_op, decide_op, decide_op), min_size=4, max_size=25)


@pytest.mark.django_db
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(program=programs)
def test_balances_always_reconcile_with_sales_and_payouts(program):
    now = timezone.now()
    creator, staff = CreatorFactory(password=None), CreatorFactory(password=None, is_staff=True)
    cleared = held = Decimal("0.00")
    payouts, open_amounts, paid = [], {}, Decimal("0.00")
    for op in program:
        if op[0] == "sale":
            _, amount, rate, age = op
            platform = PlatformFactory(slug=f"p-{uuid.uuid4().hex[:8]}", name=uuid.uuid4().hex, commission_rate=rate)
            track = TrackFactory(creator=creator, platform=platform)
            at = now - timedelta(days=age)
            sale, created = services.record_sale(track, uuid.uuid4().hex, amount, at=at)
            assert created and sale.commission + sale.earnings == sale.amount == amount
            assert sale.commission_rate == rate
            if at + services.EARNINGS_HOLD > now:
                held += sale.earnings
            else:
                cleared += sale.earnings
        elif op[0] == "payout":
            available = cleared - sum(open_amounts.values()) - paid
            wanted = available if op[1] is None else op[1]
            if available >= ledger.PAYOUT_THRESHOLD and ledger.PAYOUT_THRESHOLD <= wanted <= available:
                payout = ledger.request_payout(creator, op[1], now=now)
                assert payout.amount == wanted
                payouts.append(payout)
                open_amounts[payout.pk] = wanted
                event("payout requested")
            else:
                with pytest.raises(ledger.PayoutError):
                    ledger.request_payout(creator, op[1], now=now)
        elif payouts:
            payout = payouts[op[1] % len(payouts)]
            payout.refresh_from_db()
            action, status = op[2], payout.status
            allowed = {"approve": ["requested"], "reject": ["requested", "approved"], "pay": ["approved"]}[action]
            service = {"approve": ledger.approve_payout, "reject": ledger.reject_payout,
                       "pay": ledger.mark_payout_paid}[action]
            if status in allowed:
                service(payout, staff, now=now)
                event(f"payout {action}")
                if action == "reject":
                    del open_amounts[payout.pk]
                elif action == "pay":
                    paid += open_amounts.pop(payout.pk)
            else:
                with pytest.raises(ledger.PayoutError):
                    service(payout, staff, now=now)

        balances = ledger.balances(creator, now=now)
        in_review = sum(open_amounts.values(), Decimal("0.00"))
        assert balances.pending == held
        assert balances.in_review == in_review
        assert balances.paid == paid
        assert balances.available == cleared - in_review - paid
        assert balances.available >= 0
        assert balances.total_earned == held + cleared

    sales = Sale.objects.filter(track__creator=creator).aggregate(
        amount=Sum("amount"), commission=Sum("commission"), earnings=Sum("earnings"))
    if sales["amount"] is not None:
        assert sales["commission"] + sales["earnings"] == sales["amount"]
        assert sales["earnings"] == held + cleared
    entries = LedgerEntry.objects.filter(creator=creator).aggregate(total=Sum("amount"))["total"] or 0
    assert entries == balances.pending + balances.available


def test_a_sale_splits_to_the_cent_and_credits_the_creator_ledger(db):
    track = TrackFactory(price=Decimal("1.99"))
    sale, created = services.record_sale(track, "order-1", Decimal("1.99"))
    assert created
    assert (sale.commission, sale.earnings) == (Decimal("0.40"), Decimal("1.59"))
    assert sale.commission + sale.earnings == sale.amount
    assert sale.ledger_entry.amount == Decimal("1.59")


def test_a_repeated_order_id_records_nothing_twice(db):
    track = TrackFactory()
    services.record_sale(track, "order-2", Decimal("4.99"))
    again, created = services.record_sale(track, "order-2", Decimal("4.99"))
    assert not created
    assert Sale.objects.filter(order_id="order-2").count() == 1
