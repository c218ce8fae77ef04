"""One client-address rule: X-Forwarded-* believed from TRUSTED_PROXIES only, for pages, API, plays and clicks."""

import pytest
from django.test import RequestFactory

from aimusicstore.http import ClientAddressMiddleware
from marketplace.models import PurchaseClick
from tests.factories import TrackFactory

PROXY = "10.0.0.5"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


def seen(remote, **headers):
    """(REMOTE_ADDR, is_secure()) as every view after the middleware sees them."""
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    return ClientAddressMiddleware(lambda r: (r.META["REMOTE_ADDR"], r.is_secure()))(request)


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def test_a_direct_client_cannot_choose_its_address_or_claim_https():
    assert seen("198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1", HTTP_X_FORWARDED_PROTO="https") == (
        "198.51.100.7", False)


def test_through_the_proxy_the_client_it_saw_and_its_scheme_count():
    assert seen(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1", HTTP_X_FORWARDED_PROTO="https") == ("203.0.113.1", True)


def test_a_forged_address_the_client_prepended_is_skipped():
    # nginx replaces X-Forwarded-For, but a proxy that appends leaves the client's forgery on the left.
    assert seen(PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1")[0] == "203.0.113.1"
    assert seen(PROXY, HTTP_X_FORWARDED_FOR="not-an-ip")[0] == PROXY


def test_with_no_trusted_proxies_nobody_is_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert seen(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1", HTTP_X_FORWARDED_PROTO="https") == (PROXY, False)


@pytest.mark.django_db
def test_api_limits_count_the_real_client_not_the_header_it_sends(client):
    track = TrackFactory()
    codes = [client.post(f"/api/v1/tracks/{track.pk}/purchase-click", REMOTE_ADDR="198.51.100.7",
                         HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", HTTP_USER_AGENT=CHROME).status_code
             for n in range(11)]
    assert codes.count(201) == 10 and codes[-1] == 429  # rotating the header bought nothing


@pytest.mark.django_db
def test_behind_the_proxy_each_visitor_has_their_own_limit_and_identity(client):
    track = TrackFactory()
    for n in range(12):
        response = client.post(f"/api/v1/tracks/{track.pk}/purchase-click", REMOTE_ADDR=PROXY,
                               HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", HTTP_USER_AGENT=CHROME)
        assert response.status_code == 201
    page = client.post(f"/tracks/{track.pk}/buy/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.99",
                       HTTP_USER_AGENT=CHROME)
    assert page.status_code == 303
    assert PurchaseClick.objects.values("ip_hash").distinct().count() == 13


def wrong_logins(client, count, forwarded_for=lambda n: "203.0.113.1", **meta):
    return [client.post("/accounts/login/", {"login": f"someone{n}@example.test", "password": "wrong-guess"},
                        HTTP_X_FORWARDED_FOR=forwarded_for(n), **meta) for n in range(count)]


@pytest.mark.django_db
def test_a_direct_client_rotating_the_header_is_still_one_address_to_the_login_limit(client):
    pages = wrong_logins(client, 11, forwarded_for=lambda n: f"203.0.113.{n}", REMOTE_ADDR="198.51.100.7")
    assert "Too many failed login attempts" not in pages[9].text
    assert "Too many failed login attempts" in pages[10].text  # allauth's 10 a minute per address


@pytest.mark.django_db
def test_behind_the_proxy_one_visitors_wrong_logins_do_not_lock_out_another(client):
    from tests.factories import UserFactory

    UserFactory(email="member@example.test")
    pages = wrong_logins(client, 11, REMOTE_ADDR=PROXY)  # one visitor behind nginx
    assert "Too many failed login attempts" in pages[-1].text
    other = client.post("/accounts/login/", {"login": "member@example.test", "password": "correct-horse-42"},
                        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert other.status_code == 302
