"""A buyer clicks Buy, reads the disclosure, continues, and lands on the platform's page."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from marketplace.models import PurchaseClick
from tests.conftest import ARTIFACTS
from tests.factories import PlatformFactory, TrackFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


@pytest.fixture
def platform_host():
    """A stand-in for the music platform: a tiny HTTP server on a free local port."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = b"<!doctype html><title>Stand-in platform</title><h1>Checkout at the platform</h1>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.seen = seen
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_buyer_sees_the_disclosure_and_lands_on_the_platform(live_server, browser, platform_host, settings, width):
    settings.PURCHASE_URL_SCHEMES = ("https", "http")  # the stand-in host speaks plain http
    platform = PlatformFactory(name="Stand-in Music", slug="stand-in", domains=["127.0.0.1"])
    track = TrackFactory(title="Midnight Dreams", platform=platform, price="1.99",
                         purchase_url=f"{platform_host.url}/song/42?ref=creator", creator__display_name="AIProducer")

    context = browser.new_context(viewport={"width": width, "height": 900}, user_agent=CHROME)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(live_server.url + track.get_absolute_url())

    page.get_by_role("link", name=re.compile(r"^Buy \$1\.99")).click()
    dialog = page.get_by_role("dialog", name="Buy Midnight Dreams")
    dialog.wait_for(state="visible")
    assert dialog.get_by_text("aimusicstore earns $0.40 (20 %)").is_visible()
    assert "Stand-in Music" in dialog.inner_text() and "AIProducer" in dialog.inner_text()
    assert dialog.get_by_role("link", name="How buying works").get_attribute("href") == "/how-buying-works/"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"buy-dialog-{width}.png"))
    assert PurchaseClick.objects.count() == 0  # opening the dialog records nothing

    with context.expect_page() as new_tab:
        dialog.get_by_role("button", name="Continue to purchase").click()
    platform_page = new_tab.value
    platform_page.wait_for_load_state()
    assert platform_page.get_by_role("heading", name="Checkout at the platform").is_visible()

    click = PurchaseClick.objects.get()
    landed = urlsplit(platform_page.url)
    assert f"{landed.scheme}://{landed.netloc}{landed.path}" == f"{platform_host.url}/song/42"
    assert parse_qs(landed.query) == {"ref": ["creator"], "affiliate": ["aimusicstore"],
                                      "click_id": [str(click.click_id)]}
    pages = [path for path in platform_host.seen if path != "/favicon.ico"]
    assert pages == [f"/song/42?ref=creator&affiliate=aimusicstore&click_id={click.click_id}"]
    assert click.track == track and click.referrer.endswith(track.get_absolute_url())
    page.wait_for_function("() => !document.querySelector('[data-buy-dialog]').open")
    context.close()
    assert not errors, errors


def test_cancel_closes_the_dialog_and_records_nothing(live_server, page):
    track = TrackFactory(title="Golden Tides")
    page.goto(live_server.url + track.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"^Buy \$")).click()
    dialog = page.get_by_role("dialog", name="Buy Golden Tides")
    dialog.wait_for(state="visible")
    dialog.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="hidden")
    assert PurchaseClick.objects.count() == 0


def test_without_javascript_buy_opens_the_confirmation_page(live_server, browser):
    track = TrackFactory(title="Paper Letters")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + track.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"^Buy \$")).click()
    page.wait_for_url(f"**/tracks/{track.pk}/buy/")
    assert page.get_by_role("heading", name="Purchase “Paper Letters”").is_visible()
    assert page.get_by_text("aimusicstore earns $0.40 (20 %)").is_visible()
    context.close()
    assert PurchaseClick.objects.count() == 0
