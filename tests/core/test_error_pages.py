"""A wrong link or a crash lands on a friendly page with a search box and a way home."""

import pytest
from django.test import RequestFactory

from aimusicstore.degrade import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_offers_search_home_and_browse(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.text
    assert "We can’t find that page" in text
    assert 'action="/search/"' in text and 'name="q"' in text
    assert '<a href="/">Home</a>' in text and '<a href="/browse/">Browse all tracks</a>' in text
    assert 'class="site-header' in text  # the site around it, so the visitor is still in the store


def test_a_missing_track_is_the_same_friendly_page(client):
    response = client.get("/tracks/987654/")
    assert response.status_code == 404 and "We can’t find that page" in response.text


def test_a_server_error_page_needs_no_database_and_offers_search(django_assert_num_queries):
    request = RequestFactory().get("/browse/")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        with django_assert_num_queries(0):
            response = server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert '<form role="search" action="/search/" method="get">' in text
    assert '<a href="/">Home</a>' in text and '<a href="/browse/">Browse all tracks</a>' in text
    assert "<link" not in text and "<script" not in text  # nothing else to load while the site is broken


def test_a_crashing_view_answers_with_the_friendly_500_page(client, settings):
    from django.urls import path

    def crash(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("crash/", crash)],
                                              "handler500": "aimusicstore.degrade.server_error"})
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500 and "Something went wrong on our side" in response.content.decode()
