"""A buyer filters for tracks they may use in monetised, Content-ID-safe videos, reads the licence in the
Buy dialog, buys, and after the platform's signed postback finds the receipt in their account."""

import json
import re

import pytest
from django.test import Client

from marketplace.licensing.models import Licence
from marketplace.licensing.services import ensure_standard_licences
from marketplace.models import PurchaseClick
from marketplace.purchases import affiliate
from tests.conftest import ARTIFACTS
from tests.e2e.test_buy_a_track import platform_host  # noqa: F401 (the stand-in platform fixture)
from tests.factories import PlatformFactory, TrackFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_buyer_filters_by_licence_buys_and_finds_the_receipt(live_server, page, platform_host, settings):  # noqa: F811
    settings.PURCHASE_URL_SCHEMES = ("https", "http")  # the stand-in host speaks plain http
    settings.AFFILIATE_POSTBACK_SECRET = "e2e-secret"
    ensure_standard_licences()  # a transactional test starts from a flushed database
    platform = PlatformFactory(name="Stand-in Music", slug="stand-in", domains=["127.0.0.1"])
    TrackFactory(title="Safe For Video", platform=platform, price="2.49", licence=Licence.objects.get(code="creator"),
                 youtube_safe_attested=True, purchase_url=f"{platform_host.url}/song/7")
    TrackFactory(title="Personal Only", platform=platform, licence=Licence.objects.get(code="personal"))
    TrackFactory(title="Claims Videos", platform=platform, licence=Licence.objects.get(code="commercial"))
    buyer = UserFactory(display_name="Bea Buyer")
    client = Client()
    client.force_login(buyer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    page.goto(live_server.url + "/browse/?use=online_monetised&youtube_safe=1")
    cards = page.locator(".track-card__title")
    assert cards.all_inner_texts() == ["Safe For Video"]
    page.get_by_role("link", name="Safe For Video", exact=True).click()
    page.get_by_role("heading", name="What you may do with it").wait_for()

    page.get_by_role("link", name=re.compile(r"^Buy \$2\.49")).click()
    dialog = page.get_by_role("dialog", name="Buy Safe For Video")
    dialog.wait_for(state="visible")
    assert dialog.get_by_text("Licence: Creator — online video, monetised").is_visible()
    assert "YouTube-safe" in dialog.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "buy-dialog-licence.png"))
    with page.context.expect_page() as new_tab:
        dialog.get_by_role("button", name="Continue to purchase").click()
    new_tab.value.wait_for_load_state()

    click = PurchaseClick.objects.get()
    assert click.user == buyer
    body = json.dumps({"click_id": str(click.click_id), "order_id": "E2E-1", "amount": "2.49", "currency": "USD"})
    answer = Client().post("/api/v1/affiliate/postback", body, content_type="application/json",
                           HTTP_X_SIGNATURE=affiliate.sign(body.encode()))
    assert answer.status_code == 201, answer.content

    page.goto(live_server.url + "/account/purchases/")
    page.get_by_role("link", name="Receipt E2E-1").click()
    page.get_by_role("heading", name="Receipt", exact=True).wait_for()
    text = page.inner_text("main")
    assert "Safe For Video" in text and "$2.49 USD" in text and "Stand-in Music" in text
    assert "Licence: Creator — online video, monetised" in text and "Monetised online video" in text
