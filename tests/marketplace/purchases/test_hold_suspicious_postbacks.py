"""Postbacks have their own limit per platform secret, and an out-of-range amount is held, never credited."""

import pytest

from marketplace.models import LedgerEntry, Sale
from marketplace.purchases import services
from marketplace.purchases.models import HeldSale
from marketplace.purchases.postbacks import decide_held_sale
from tests.factories import TrackFactory, UserFactory
from tests.marketplace.purchases.test_affiliate_postback import payload, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.AFFILIATE_POSTBACK_SECRET = "test-postback-secret"


@pytest.fixture
def click(db):
    return services.record_purchase_click(TrackFactory(price="1.99"))


def test_fifteen_real_orders_from_one_platform_address_all_land(client, click):
    codes = [post(client, payload(click, order_id=f"suno-{n}")).status_code for n in range(15)]
    assert codes == [201] * 15
    assert Sale.objects.count() == 15


def test_unsigned_postbacks_still_share_the_anonymous_bucket(client, click):
    codes = [post(client, payload(click, order_id=f"x-{n}"), signature="0" * 64).status_code for n in range(11)]
    assert codes[:10] == [403] * 10 and codes[10] == 429


def test_an_absurd_amount_is_held_for_review_not_credited(client, click):
    response = post(client, payload(click, amount="99999999.99"))
    assert response.status_code == 202
    body = response.json()
    assert body["held"] is True and "outside" in body["reason"]
    assert not Sale.objects.exists() and not LedgerEntry.objects.exists()
    assert post(client, payload(click, amount="99999999.99")).status_code == 202  # the same order: still one
    assert HeldSale.objects.get().status == HeldSale.Status.HELD


def test_a_price_a_fraction_of_a_cent_is_held_too(client, click):
    assert post(client, payload(click, amount="0.01")).status_code == 202
    assert not Sale.objects.exists()


def test_staff_release_a_held_sale_and_only_then_the_creator_is_credited(client, click):
    post(client, payload(click, amount="25.00"))
    sale = decide_held_sale(HeldSale.objects.get(), release=True, staff=UserFactory(is_staff=True))
    assert sale.amount == 25 and LedgerEntry.objects.get().amount == sale.earnings
    assert decide_held_sale(HeldSale.objects.get(), release=True, staff=None) is None  # decided once


def test_a_non_usd_currency_is_refused_naming_the_field(client, click):
    response = post(client, payload(click, currency="EUR"))
    assert response.status_code == 400 and "currency" in response.json()["error"]["fields"]
