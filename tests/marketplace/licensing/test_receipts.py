"""A signed-in buyer's recorded purchase becomes a receipt (/account/purchases/, GET /api/v1/me/purchases)."""

from decimal import Decimal

import pytest

from marketplace.licensing.models import Licence, Receipt
from marketplace.purchases import services
from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold():
    buyer = UserFactory(display_name="Bea Buyer")
    track = TrackFactory(title="Golden Tides", licence=Licence.objects.get(code="creator"))
    click = services.record_purchase_click(track, user=buyer)
    sale, _ = services.record_sale(track, "ORDER-1", Decimal("1.99"), click=click)
    return buyer, track, sale


def test_a_receipt_keeps_its_terms_after_the_licence_changes(client, signed_in, sold):
    buyer, track, sale = sold
    licence = track.licence
    licence.name, licence.online_monetised = "Creator (revised)", False
    licence.save()
    track.licence = Licence.objects.get(code="personal")
    track.save()
    receipt = Receipt.objects.get(sale=sale)
    assert receipt.licence_terms["name"] == "Creator — online video, monetised"
    assert receipt.licence_terms["uses"]["online_monetised"] is True
    signed_in(buyer)
    page = client.get(receipt.get_absolute_url()).content.decode()
    assert "Creator — online video, monetised" in page and "Monetised online video" in page
    assert "ORDER-1" in page and "$1.99" in page and "Golden Tides" in page


def test_the_purchases_page_lists_the_buyers_receipts_only(client, signed_in, sold):
    buyer, _, _ = sold
    signed_in(UserFactory())
    assert "ORDER-1" not in client.get("/account/purchases/").content.decode()
    assert client.get(Receipt.objects.get().get_absolute_url()).status_code == 404
    signed_in(buyer)
    assert "Receipt ORDER-1" in client.get("/account/purchases/").content.decode()


def test_a_sale_without_a_signed_in_buyer_makes_no_receipt():
    track = TrackFactory()
    click = services.record_purchase_click(track)
    services.record_sale(track, "ORDER-2", Decimal("1.99"), click=click)
    services.record_sale(track, "ORDER-3", Decimal("1.99"))
    assert not Receipt.objects.exists()


def test_the_api_answers_the_key_holders_purchases(sold):
    buyer, track, _ = sold
    answer = client_with(key_for(buyer)).get("/api/v1/me/purchases")
    assert answer.status_code == 200
    [receipt] = answer.json()["purchases"]
    assert receipt["order_id"] == "ORDER-1" and receipt["amount"] == "1.99" and receipt["track_id"] == track.pk
    assert receipt["licence"]["code"] == "creator" and receipt["platform"] == "Suno AI"
    assert client_with().get("/api/v1/me/purchases").status_code in (401, 403)


def test_the_pages_need_a_signed_in_buyer(client):
    assert client.get("/account/purchases/").status_code == 302
