"""The store calls itself by its own name and domain (SITE_NAME / SITE_DOMAIN), never example.com."""

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command

from marketplace.site_identity import CHECK_ID, check_site_row
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_the_sites_row_holds_the_sites_own_domain_and_name():
    site = Site.objects.get_current()
    assert (site.domain, site.name) == (settings.SITE_DOMAIN, settings.SITE_NAME)
    assert settings.SITE_DOMAIN == "aimusicstore.test" and settings.SITE_NAME == "aimusicstore"


def test_an_account_email_greets_with_the_sites_name(client):
    client.post("/accounts/signup/", {"email": "new@example.test", "password1": "a-long-pass-phrase-42",
                                      "password2": "a-long-pass-phrase-42"})
    message = mail.outbox[0]
    assert "Hello from aimusicstore!" in message.body
    assert "aimusicstore.test" in message.body
    assert "example.com" not in message.body and "example.com" not in message.subject
    assert message.subject.startswith("[aimusicstore] ")


def test_the_sitemap_links_to_the_sites_domain(client):
    track = TrackFactory(title="Mapped")
    index = client.get("/sitemap.xml").text
    assert "http://aimusicstore.test/sitemap-tracks.xml" in index and "example.com" not in index
    tracks = client.get("/sitemap-tracks.xml").text
    assert f"http://aimusicstore.test{track.get_absolute_url()}" in tracks and "example.com" not in tracks


def test_the_feeds_carry_the_sites_name_and_domain(client):
    TrackFactory(title="Fed")
    rss = client.get("/feeds/new/").text
    assert "<title>aimusicstore — new releases</title>" in rss
    assert "http://aimusicstore.test/" in rss and "example.com" not in rss
    assert "<subtitle>The newest AI-made tracks on aimusicstore.</subtitle>" in client.get("/feeds/new/atom/").text


def test_pages_name_the_site_for_link_previews(client):
    assert '<meta property="og:site_name" content="aimusicstore">' in client.get("/").text


def test_the_check_warns_when_the_row_disagrees_and_migrate_puts_it_right():
    assert check_site_row(databases=["default"]) == []
    Site.objects.filter(pk=settings.SITE_ID).update(domain="example.com", name="example.com")
    Site.objects.clear_cache()
    warnings = check_site_row(databases=["default"])
    assert [w.id for w in warnings] == [CHECK_ID] and "example.com" in warnings[0].msg
    call_command("migrate", verbosity=0)
    assert Site.objects.get_current().domain == "aimusicstore.test"
    assert check_site_row(databases=["default"]) == []
