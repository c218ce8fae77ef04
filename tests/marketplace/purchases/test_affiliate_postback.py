"""A platform reports a sale for one of our clicks through the signed postback."""

import hashlib
import hmac
import json
from decimal import Decimal

import pytest
from django.test import Client

from marketplace.models import LedgerEntry, Sale
from marketplace.purchases import services
from tests.concurrency import at_once
from tests.factories import TrackFactory

SECRET = "test-postback-secret"
URL = "/api/v1/affiliate/postback"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.AFFILIATE_POSTBACK_SECRET = SECRET


@pytest.fixture
def click(db):
    return services.record_purchase_click(TrackFactory(price="1.99"))


def post(client, payload, secret=SECRET, signature=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    signature = signature if signature is not None else hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(URL, body, content_type="application/json", HTTP_X_SIGNATURE=signature)


def payload(click, **overrides):
    return {"click_id": str(click.click_id), "order_id": "suno-1001", "amount": "1.99", "currency": "USD",
            **overrides}


def test_a_signed_postback_records_one_sale_split_to_the_cent(client, click):
    response = post(client, payload(click))
    assert response.status_code == 201
    assert response.json() == {
        "sale_id": Sale.objects.get().pk, "order_id": "suno-1001", "click_id": str(click.click_id),
        "track_id": click.track_id, "amount": "1.99", "currency": "USD", "commission_rate": "0.2000",
        "commission": "0.40", "earnings": "1.59",
    }
    sale = Sale.objects.get()
    assert (sale.click, sale.track, sale.source) == (click, click.track, Sale.Source.POSTBACK)
    entry = LedgerEntry.objects.get()
    assert (entry.creator_id, entry.kind, entry.amount) == (click.track.creator_id, "sale", Decimal("1.59"))


def test_the_same_order_twice_makes_one_sale(client, click):
    assert post(client, payload(click)).status_code == 201
    again = post(client, payload(click))
    assert again.status_code == 200
    assert again.json()["order_id"] == "suno-1001"
    assert Sale.objects.count() == 1 and LedgerEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_order_sent_concurrently_makes_one_sale(click):
    statuses, _ = at_once(8, lambda: post(Client(), payload(click)).status_code)
    assert sorted(statuses) == [200] * 7 + [201]
    assert Sale.objects.count() == 1 and LedgerEntry.objects.count() == 1


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex", "sha256=abc"])
def test_a_bad_signature_is_forbidden_and_records_nothing(client, click, signature):
    response = post(client, payload(click), signature=signature)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "bad_signature"
    assert Sale.objects.count() == 0


def test_a_signature_made_with_another_secret_is_forbidden(client, click):
    response = post(client, payload(click), secret="guess")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "bad_signature"
    assert Sale.objects.count() == 0 and LedgerEntry.objects.count() == 0


def test_a_signature_over_a_different_body_is_forbidden(client, click):
    body = json.dumps(payload(click)).encode()
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    tampered = body.replace(b"1.99", b"9.99")
    assert post(client, None, signature=signature, raw=tampered).status_code == 403
    assert Sale.objects.count() == 0


def test_without_a_configured_secret_every_postback_is_refused(client, click, settings):
    settings.AFFILIATE_POSTBACK_SECRET = ""
    response = post(client, payload(click), secret="")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "bad_signature"
    assert Sale.objects.count() == 0


def test_an_unknown_click_is_a_bad_request_naming_the_field(client, db):
    response = post(client, {"click_id": "7f0c5a4e-2d1b-4c55-9d8e-000000000000", "order_id": "o-1", "amount": "1.99"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"click_id": ["Unknown click."]}


@pytest.mark.parametrize("amount", ["0", "-1.99", "0.00", "abc", "NaN", "Infinity", "", None, "1.999", "1e99"])
def test_an_amount_that_is_not_a_positive_decimal_is_a_bad_request(client, click, amount):
    response = post(client, payload(click, amount=amount))
    assert response.status_code == 400
    assert "amount" in response.json()["error"]["fields"]
    assert Sale.objects.count() == 0


@pytest.mark.parametrize("field", ["click_id", "order_id", "amount"])
def test_a_missing_field_is_named(client, click, field):
    body = payload(click)
    del body[field]
    response = post(client, body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_another_currency_is_refused(client, click):
    response = post(client, payload(click, currency="EUR"))
    assert response.status_code == 400
    assert "currency" in response.json()["error"]["fields"]


def test_malformed_json_is_a_bad_request_not_a_crash(client, click):
    response = post(client, None, raw=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"


def test_get_is_not_allowed(client, db):
    response = client.get(URL)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert Sale.objects.count() == 0


def test_a_sale_at_a_full_commission_credits_the_creator_nothing(client, db):
    click = services.record_purchase_click(TrackFactory(platform__slug="all-ours", platform__name="All ours",
                                                        platform__commission_rate=Decimal("1"),
                                                        platform__domains=["suno.com"]))
    response = post(client, payload(click))
    assert response.status_code == 201
    assert (response.json()["commission"], response.json()["earnings"]) == ("1.99", "0.00")
    assert LedgerEntry.objects.count() == 0
