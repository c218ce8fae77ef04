"""Staff import a platform's affiliate report as CSV in the admin: preview, then commit."""

import io
import re
from decimal import Decimal

import pytest

from marketplace.models import LedgerEntry, Sale
from marketplace.purchases import services
from tests.factories import PlatformFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/marketplace/sale/import/"


@pytest.fixture
def clicks():
    track = TrackFactory(price="1.99")
    return [services.record_purchase_click(track) for _ in range(3)]


def report(*rows, header="order_id,click_id,amount,currency,date"):
    text = "\n".join([header, *[",".join(map(str, row)) for row in rows]]) + "\n"
    upload = io.BytesIO(text.encode())
    upload.name = "report.csv"
    return upload


def preview(client, upload, platform=None):
    platform = platform or PlatformFactory()
    return client.post(URL, {"platform": platform.pk, "report": upload})


def commit(client, response):
    token = re.search(r'name="token" value="([0-9a-f]+)"', response.text).group(1)
    return client.post(URL, {"token": token})


def test_the_preview_lists_each_sale_and_records_nothing(admin_client, clicks):
    response = preview(admin_client, report(("A-1", clicks[0].click_id, "1.99", "USD", "2026-11-20"),
                                            ("A-2", clicks[1].click_id, "4.00", "", "")))
    assert response.status_code == 200
    assert "2 new sales totalling $5.99 (our commission $1.20); 0 already recorded." in response.text
    assert "Commit 2 sales" in response.text
    assert Sale.objects.count() == 0


def test_commit_records_every_sale_with_its_ledger_entry(admin_client, clicks):
    response = commit(admin_client, preview(admin_client, report(
        ("A-1", clicks[0].click_id, "1.99", "USD", "2026-11-20"), ("A-2", clicks[1].click_id, "4.00", "", ""))))
    assert response.status_code == 302
    assert sorted(Sale.objects.values_list("order_id", "amount", "commission", "earnings", "source")) == [
        ("A-1", Decimal("1.99"), Decimal("0.40"), Decimal("1.59"), "csv"),
        ("A-2", Decimal("4.00"), Decimal("0.80"), Decimal("3.20"), "csv"),
    ]
    assert LedgerEntry.objects.count() == 2
    assert Sale.objects.get(order_id="A-1").created_at.date().isoformat() == "2026-11-20"
    assert "Imported 2 sales" in admin_client.get(response["Location"]).text


def test_importing_the_same_report_twice_adds_nothing(admin_client, clicks):
    rows = [("A-1", clicks[0].click_id, "1.99", "USD", ""), ("A-2", clicks[1].click_id, "1.99", "USD", "")]
    commit(admin_client, preview(admin_client, report(*rows)))
    again = preview(admin_client, report(*rows))
    assert "0 new sales totalling $0.00 (our commission $0.00); 2 already recorded." in again.text
    assert "Commit" not in again.text
    assert Sale.objects.count() == 2 and LedgerEntry.objects.count() == 2


def test_an_order_already_reported_by_postback_is_skipped(admin_client, clicks):
    services.record_sale(clicks[0].track, "A-1", Decimal("1.99"), click=clicks[0])
    response = preview(admin_client, report(("A-1", clicks[0].click_id, "1.99", "", ""),
                                            ("A-2", clicks[1].click_id, "1.99", "", "")))
    assert "1 new sale totalling $1.99 (our commission $0.40); 1 already recorded." in response.text
    commit(admin_client, response)
    assert Sale.objects.count() == 2


def test_row_errors_are_listed_and_nothing_is_imported(admin_client, clicks):
    other = PlatformFactory(name="Udio", slug="udio", domains=["udio.com"])
    udio_click = services.record_purchase_click(TrackFactory(platform=other, purchase_url="https://udio.com/s/1"))
    response = preview(admin_client, report(
        ("A-1", clicks[0].click_id, "1.99", "USD", ""),
        ("A-2", "not-a-uuid", "1.99", "USD", ""),
        ("A-3", "7f0c5a4e-2d1b-4c55-9d8e-000000000000", "1.99", "USD", ""),
        ("A-4", clicks[1].click_id, "-3", "USD", ""),
        ("A-5", clicks[2].click_id, "1.999", "EUR", "yesterday"),
        ("A-1", clicks[2].click_id, "1.99", "USD", ""),
        ("A-7", udio_click.click_id, "1.99", "USD", ""),
    ))
    text = response.text
    assert "6 rows have errors" in text and "Nothing has been imported." in text
    assert "click_id is not a UUID" in text
    assert "click_id is not one of our clicks" in text
    assert "amount must be a positive decimal with at most 2 decimal places" in text
    assert "currency EUR is not supported (USD only)" in text
    assert "date must be an ISO date or date-time, not in the future" in text
    assert "order_id A-1 also appears on line 2" in text
    assert "click_id belongs to a Udio track, not Suno AI" in text
    assert 'name="token"' not in text
    assert Sale.objects.count() == 0


def test_a_file_without_the_required_columns_is_refused(admin_client, clicks):
    response = preview(admin_client, report(("x", "1.99"), header="order,total"))
    assert "Missing column(s): order_id, click_id, amount." in response.text
    assert Sale.objects.count() == 0


def test_a_file_that_is_not_text_is_refused(admin_client, clicks):
    upload = io.BytesIO(b"\xff\xfe\x00\x81binary")
    upload.name = "report.csv"
    assert "The file is not UTF-8 text." in preview(admin_client, upload).text


def test_an_expired_preview_cannot_be_committed(admin_client, clicks):
    response = admin_client.post(URL, {"token": "0" * 32}, follow=True)
    assert "That preview has expired" in response.text
    assert Sale.objects.count() == 0


def test_a_missing_file_is_explained_beside_the_field(admin_client, clicks):
    response = admin_client.post(URL, {"platform": PlatformFactory().pk})
    assert response.status_code == 200
    assert "This field is required." in response.text


def test_the_sales_list_links_to_the_import(admin_client):
    assert 'href="/admin/marketplace/sale/import/"' in admin_client.get("/admin/marketplace/sale/").text


def test_only_staff_can_import(client, clicks):
    client.force_login(UserFactory(password=None))
    response = client.post(URL, {"platform": PlatformFactory().pk, "report": report()})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_row_that_went_bad_after_the_preview_stops_the_whole_commit(admin_client, clicks):
    response = preview(admin_client, report(("A-1", clicks[0].click_id, "1.99", "", ""),
                                            ("A-2", clicks[1].click_id, "1.99", "", "")))
    clicks[1].delete()  # e.g. removed by staff between preview and commit
    followed = admin_client.get(commit(admin_client, response)["Location"])
    assert "Rows with errors: 1; nothing was imported." in followed.text
    assert Sale.objects.count() == 0 and LedgerEntry.objects.count() == 0
