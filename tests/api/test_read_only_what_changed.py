"""Conditional reads: an unchanged answer is a 304 that costs nothing against the limit."""

import pytest

from tests.factories import TrackFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db

LIMITS = {tier: {"read": "5/min", "write": "5/min", "vote": "5/min"} for tier in ("anon", "starter", "pro",
                                                                                   "enterprise")}


def test_an_unchanged_track_answers_304_with_its_etag(api):
    track = TrackFactory()
    first = api.get(f"/api/v1/tracks/{track.pk}")
    assert first.status_code == 200 and first["ETag"].startswith('"') and first["Last-Modified"]
    again = api.get(f"/api/v1/tracks/{track.pk}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    since = api.get(f"/api/v1/tracks/{track.pk}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_changed_track_answers_200_with_a_new_etag(api, creator):
    track = TrackFactory(creator=creator)
    etag = api.get(f"/api/v1/tracks/{track.pk}")["ETag"]
    assert api.patch(f"/api/v1/tracks/{track.pk}", {"title": "Renamed"}, format="json").status_code == 200
    response = api.get(f"/api/v1/tracks/{track.pk}", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag and response.json()["title"] == "Renamed"


def test_a_304_is_not_counted_against_the_read_limit(settings, creator):
    settings.API_RATE_LIMITS = LIMITS
    TrackFactory.create_batch(2)
    api = client_with(key_for(creator))
    first = api.get("/api/v1/tracks")
    assert first["X-RateLimit-Remaining"] == "4"
    for _ in range(8):  # more than the limit of 5, all unchanged
        unchanged = api.get("/api/v1/tracks", HTTP_IF_NONE_MATCH=first["ETag"])
        assert unchanged.status_code == 304 and unchanged["X-RateLimit-Remaining"] == "4"
    assert api.get("/api/v1/tracks")["X-RateLimit-Remaining"] == "3"


def test_every_list_and_object_read_carries_an_etag(api):
    track = TrackFactory()
    for url in ["/api/v1/trending", "/api/v1/top/weekly", "/api/v1/tools", f"/api/v1/tracks/{track.pk}",
                "/api/v1/discovery/discover", "/api/v1/me/analytics", "/api/v1/keys"]:
        response = api.get(url)
        assert response.status_code == 200 and response.has_header("ETag"), url
