"""A creator with $50 or more available asks for a payout from the earnings page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.models import LedgerEntry, Payout
from marketplace.purchases import ledger, services
from tests.concurrency import at_once
from tests.factories import CreatorFactory, TrackFactory

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - timedelta(days=30)  # past the 14-day hold


def earn(creator, total, at=LONG_AGO, n=[0]):  # noqa: B006 - a counter for unique order ids
    """Sales whose earnings add up to `total` for the creator (rate 0: earnings == amount)."""
    track = TrackFactory(creator=creator, platform__commission_rate=Decimal("0"))
    track.platform.commission_rate = Decimal("0")
    track.platform.save()
    n[0] += 1
    services.record_sale(track, f"order-{creator.pk}-{n[0]}", Decimal(total), at=at)


def test_the_earnings_page_shows_pending_available_and_paid(client):
    creator = CreatorFactory()
    earn(creator, "60.00")
    earn(creator, "7.50", at=timezone.now())
    client.force_login(creator)
    response = client.get("/dashboard/earnings/")
    assert response.status_code == 200
    assert 'data-balance="pending">$7.50<' in response.text
    assert 'data-balance="available">$60.00<' in response.text
    assert 'data-balance="paid">$0.00<' in response.text
    assert "Request payout" in response.text


def test_below_the_threshold_the_page_says_how_much_is_left(client):
    creator = CreatorFactory()
    earn(creator, "42.10")
    client.force_login(creator)
    text = client.get("/dashboard/earnings/").text
    assert "$7.90 to go" in text
    assert "Request payout" not in text


def test_a_payout_request_moves_the_available_balance_into_review(client):
    creator = CreatorFactory()
    earn(creator, "75.25")
    client.force_login(creator)
    response = client.post("/dashboard/earnings/payout/")
    assert response.status_code == 302
    payout = Payout.objects.get()
    assert (payout.creator, payout.amount, payout.status) == (creator, Decimal("75.25"), "requested")
    page = client.get(response["Location"]).text
    assert "Payout of $75.25 requested" in page
    assert 'data-balance="available">$0.00<' in page and 'data-balance="in_review">$75.25<' in page


def test_a_creator_may_ask_for_part_of_the_balance(client):
    creator = CreatorFactory()
    earn(creator, "120.00")
    client.force_login(creator)
    client.post("/dashboard/earnings/payout/", {"amount": "50.00"})
    assert ledger.balances(creator).available == Decimal("70.00")


@pytest.mark.parametrize("amount, message", [
    ("49.99", "Ensure this value is greater than or equal to 50.00."),
    ("500", "You can request at most $60.00."),
    ("ten", "Enter a number."),
])
def test_a_bad_amount_is_explained_beside_the_field(client, amount, message):
    creator = CreatorFactory()
    earn(creator, "60.00")
    client.force_login(creator)
    response = client.post("/dashboard/earnings/payout/", {"amount": amount})
    assert response.status_code == 400
    assert message in response.text
    assert 'id="amount-errors"' in response.text
    assert Payout.objects.count() == 0


def test_earnings_still_on_hold_cannot_be_paid_out(client):
    creator = CreatorFactory()
    earn(creator, "80.00", at=timezone.now())
    client.force_login(creator)
    response = client.post("/dashboard/earnings/payout/")
    assert response.status_code == 400
    assert "Payouts open at $50.00; you have $0.00 available." in response.text


def test_the_pages_need_a_signed_in_creator(client):
    assert client.get("/dashboard/earnings/").status_code == 302
    assert client.post("/dashboard/earnings/payout/").status_code == 302
    assert Payout.objects.count() == 0


def test_a_get_of_the_payout_action_is_refused(client):
    creator = CreatorFactory()
    earn(creator, Decimal("100.00"))
    client.force_login(creator)
    response = client.get("/dashboard/earnings/payout/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert not Payout.objects.exists()


def test_the_dashboard_links_to_earnings(client):
    client.force_login(CreatorFactory())
    assert 'href="/dashboard/earnings/"' in client.get("/dashboard/").text


def test_the_earnings_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    creator = CreatorFactory()
    for _ in range(10):
        earn(creator, "9.00")
    client.force_login(creator)
    client.post("/dashboard/earnings/payout/")
    with django_assert_max_num_queries(6):
        client.get("/dashboard/earnings/")


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_payout_requests_for_the_same_balance_make_one_payout():
    creator = CreatorFactory()
    earn(creator, "80.00")
    def logged_in():
        client = Client()
        client.force_login(creator)
        return client

    statuses, _ = at_once(20, lambda client: client.post("/dashboard/earnings/payout/").status_code,
                          setup=logged_in)
    assert sorted(statuses) == [302] + [400] * 19
    assert Payout.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    balances = ledger.balances(creator)
    assert (balances.available, balances.in_review) == (Decimal("0.00"), Decimal("80.00"))
