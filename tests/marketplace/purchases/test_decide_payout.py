"""Staff approve, pay or reject payout requests in the admin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import LedgerEntry, Payout
from marketplace.purchases import ledger, services
from tests.factories import CreatorFactory, TrackFactory

pytestmark = pytest.mark.django_db
URL = "/admin/marketplace/payout/"


@pytest.fixture
def payout():
    creator = CreatorFactory(password=None)
    track = TrackFactory(creator=creator, price="99.99")
    services.record_sale(track, "o-1", Decimal("100.00"), at=timezone.now() - timedelta(days=20))
    return ledger.request_payout(creator)


def act(client, action, payout):
    return client.post(URL, {"action": action, "_selected_action": [payout.pk]}, follow=True)


def test_approving_then_paying_moves_the_money_to_paid(admin_client, payout):
    assert "Approved 1 payouts." in act(admin_client, "approve", payout).text
    assert "Marked paid 1 payouts." in act(admin_client, "mark_paid", payout).text
    payout.refresh_from_db()
    assert payout.status == "paid" and payout.decided_by.is_staff
    balances = ledger.balances(payout.creator)
    assert (balances.available, balances.in_review, balances.paid) == (Decimal("0.00"), Decimal("0.00"),
                                                                       Decimal("80.00"))


def test_rejecting_releases_the_money_through_an_adjustment_entry(admin_client, payout):
    assert "Rejected 1 payouts." in act(admin_client, "reject", payout).text
    payout.refresh_from_db()
    assert payout.status == "rejected"
    adjustment = LedgerEntry.objects.get(kind="adjustment")
    assert adjustment.amount == Decimal("80.00") and f"#{payout.pk}" in adjustment.memo
    assert ledger.balances(payout.creator).available == Decimal("80.00")


def test_a_payout_cannot_be_rejected_twice_or_paid_unapproved(admin_client, payout):
    act(admin_client, "reject", payout)
    assert f"Payout #{payout.pk} is already rejected." in act(admin_client, "reject", payout).text
    assert f"Payout #{payout.pk} is already rejected." in act(admin_client, "mark_paid", payout).text
    assert LedgerEntry.objects.filter(kind="adjustment").count() == 1
    assert ledger.balances(payout.creator).available == Decimal("80.00")


def test_staff_cannot_add_or_delete_payouts_or_ledger_entries_by_hand(admin_client, payout):
    assert admin_client.get(URL + "add/").status_code == 403
    assert admin_client.get("/admin/marketplace/ledgerentry/add/").status_code == 403
    assert admin_client.get(f"{URL}{payout.pk}/delete/").status_code == 403
    assert Payout.objects.count() == 1


def test_creators_cannot_reach_the_payout_admin(client, payout):
    client.force_login(payout.creator)
    assert client.post(URL, {"action": "approve", "_selected_action": [payout.pk]}).status_code == 302
    payout.refresh_from_db()
    assert payout.status == "requested"
