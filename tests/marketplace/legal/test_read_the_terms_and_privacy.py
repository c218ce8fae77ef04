"""A visitor reads the terms and the privacy notice, linked from every page's footer."""

import pytest

from tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def test_the_footer_links_to_the_terms_and_the_privacy_notice(client):
    page = client.get("/").text
    assert '<a href="/legal/terms/">Terms</a>' in page and '<a href="/legal/privacy/">Privacy</a>' in page


def test_the_terms_disclose_the_affiliate_commission_per_platform(client):
    PlatformFactory(name="Suno", commission_rate="0.2000")
    response = client.get("/legal/terms/")
    assert response.status_code == 200
    text = response.text
    assert "<h1>Terms of use</h1>" in text
    assert "Affiliate disclosure" in text and "We are not the seller" in text
    assert "<td>Suno</td><td>20 %</td>" in text
    assert "Licences: what you may do with a track" in text
    assert "hello@aimusicstore.test" in text and "example.com" not in text


def test_the_privacy_notice_says_what_we_store_and_what_we_never_do(client):
    response = client.get("/legal/privacy/")
    assert response.status_code == 200
    text = response.text
    assert "<h1>Privacy notice</h1>" in text
    assert "salted one-way hash of your IP address" in text
    assert "No advertising cookies" in text and "We do not sell or rent personal data" in text
    assert "privacy@aimusicstore.test" in text


def test_the_legal_pages_answer_only_get(client):
    assert client.post("/legal/terms/").status_code == 405
