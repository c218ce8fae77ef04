"""A creator says where payouts go; staff see it masked and export approved payouts as a CSV batch."""

import csv
import io
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import Payout, PayoutMethod
from marketplace.payouts import services as payout_services
from marketplace.purchases import ledger, services
from tests.factories import CreatorFactory, TrackFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db
IBAN = "DE89370400440532013000"
PAYPAL = "ada.lovelace@paypal.example.test"


def earn(creator, total):
    track = TrackFactory(creator=creator, platform__slug="zero", platform__name="Zero", platform__commission_rate=0)
    services.record_sale(track, f"order-{creator.pk}", Decimal(total), at=timezone.now() - timedelta(days=30))


def test_a_payout_cannot_be_requested_without_a_method(client, signed_in):
    creator = signed_in(CreatorFactory(payout_method=None))
    earn(creator, "80.00")
    with pytest.raises(ledger.PayoutError, match="Add a payout method"):
        ledger.request_payout(creator)
    response = client.post("/dashboard/earnings/payout/", {"amount": ""})
    assert response.status_code == 400 and "Add a payout method" in response.text
    assert "Add a payout method</a>" in client.get("/dashboard/earnings/").text
    assert not Payout.objects.exists()


def test_a_creator_saves_an_iban_and_sees_it_masked(client, signed_in):
    creator = signed_in(CreatorFactory(payout_method=None))
    response = client.post("/dashboard/earnings/payout-method/", {
        "kind": "iban", "account": "de89 3704 0044 0532 0130 00", "account_name": "Ada Lovelace",
        "legal_name": "Ada Lovelace", "country": "de",
    })
    assert response.status_code == 302
    method = PayoutMethod.objects.get(creator=creator)
    assert method.account == IBAN and method.masked == "DE•• •••• 3000" and method.country == "DE"
    assert "DE•• •••• 3000" in client.get("/dashboard/earnings/").text


@pytest.mark.parametrize("data, field", [
    ({"kind": "iban", "account": "DE00123", "account_name": "A"}, "account"),
    ({"kind": "iban", "account": IBAN}, "account_name"),
    ({"kind": "paypal", "account": "not-an-email"}, "account"),
    ({"kind": "paypal", "account": PAYPAL, "country": "Germany"}, "country"),
])
def test_bad_destinations_are_explained_beside_the_field(client, signed_in, data, field):
    signed_in(CreatorFactory(payout_method=None))
    response = client.post("/dashboard/earnings/payout-method/", {"legal_name": "Ada", "country": "DE", **data})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'id="{field}-errors"' in response.text
    assert not PayoutMethod.objects.exists()


def test_the_full_destination_never_shows_in_pages_admin_logs_or_api(client, admin_client, signed_in, caplog):
    creator = signed_in(CreatorFactory(payout_method=None))
    with caplog.at_level(logging.DEBUG):
        client.post("/dashboard/earnings/payout-method/", {"kind": "paypal", "account": PAYPAL,
                                                           "legal_name": "Ada Lovelace", "country": "GB"})
        earn(creator, "60.00")
        client.post("/dashboard/earnings/payout/", {"amount": ""})
        payout = Payout.objects.get()
        seen = [
            client.get("/dashboard/earnings/").text,
            client.get("/dashboard/earnings/payout-method/").text,
            admin_client.get("/admin/marketplace/payout/").text,
            admin_client.get(f"/admin/marketplace/payout/{payout.pk}/change/").text,
            admin_client.get("/admin/marketplace/payoutmethod/").text,
            admin_client.get(f"/admin/marketplace/payoutmethod/{creator.payout_method.pk}/change/").text,
        ]
        api = client_with(key_for(creator))
        seen += [api.get(url).content.decode() for url in ("/api/v1/me/tracks", "/api/v1/me/analytics",
                                                            "/api/v1/me/purchases")]
    seen += [record.getMessage() for record in caplog.records]
    assert "a•••@paypal.example.test" in seen[2]  # staff see where to pay, masked
    assert "a•••@paypal.example.test" in " ".join(r.getMessage() for r in caplog.records)
    assert not [text for text in seen if PAYPAL in text]


def test_staff_export_approved_payouts_with_the_full_destination(admin_client):
    creator = CreatorFactory(payout_method=None, email="ada@example.test")
    payout_services.save_payout_method(creator, kind="iban", account=IBAN, account_name="Ada L",
                                       legal_name="Ada Lovelace", country="DE")
    earn(creator, "75.00")
    payout = ledger.request_payout(creator)
    other = CreatorFactory()
    earn(other, "50.00")
    ledger.request_payout(other)  # still requested: not in the batch
    admin_client.post("/admin/marketplace/payout/", {"action": "approve", "_selected_action": [payout.pk]})
    response = admin_client.post("/admin/marketplace/payout/", {
        "action": "export_csv", "_selected_action": [p.pk for p in Payout.objects.all()],
    })
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [{
        "payout_id": str(payout.pk), "amount": "75.00", "currency": "USD", "method": "iban", "account": IBAN,
        "account_name": "Ada L", "legal_name": "Ada Lovelace", "country": "DE", "creator_email": "ada@example.test",
        "requested_at": payout.requested_at.isoformat(),
    }]
