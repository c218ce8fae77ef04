"""Paging an API list by cursor: `cursor=` starts, `next` (and `Link`) carries on, and the order holds
while votes move tracks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with, key_for
from voting.services import cast_vote

pytestmark = pytest.mark.django_db


def pages(client, url, params):
    """Every page from `cursor=` to the end: [ids of page 1, ids of page 2, ...]."""
    response = client.get(url, {**params, "cursor": ""})
    seen = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        seen.append([t["id"] for t in body["tracks"]])
        if body["next"] is None:
            assert "Link" not in response
            return seen
        assert response["Link"] == f'<{body["next"]}>; rel="next"'
        response = client.get(body["next"])


def test_it_pages_through_every_track_once_by_cursor():
    tracks = TrackFactory.create_batch(5)
    seen = pages(client_with(), "/api/v1/tracks", {"per_page": 2})
    assert [len(p) for p in seen] == [2, 2, 1]
    assert sorted(sum(seen, [])) == sorted(t.pk for t in tracks)


def test_votes_that_reorder_tracks_neither_repeat_nor_skip_one_between_pages():
    tracks = TrackFactory.create_batch(4)
    anon = client_with()
    first = anon.get("/api/v1/tracks", {"sort": "votes", "per_page": 2, "cursor": ""}).json()
    page_one = [t["id"] for t in first["tracks"]]
    # Votes lift the two tracks of page 2 to the top of the "votes" order before page 2 is read.
    later = [t.pk for t in tracks if t.pk not in page_one]
    for _ in range(3):
        voter = UserFactory(date_joined=timezone.now() - timedelta(days=90))
        for pk in later:
            cast_vote(voter, TrackFactory._meta.model.objects.get(pk=pk), 1)
    now_first = [t["id"] for t in anon.get("/api/v1/tracks", {"sort": "votes", "per_page": 2}).json()["tracks"]]
    assert sorted(now_first) == sorted(later)  # by page number, page 2 would now repeat page 1
    page_two = [t["id"] for t in anon.get(first["next"]).json()["tracks"]]
    assert sorted(page_one + page_two) == sorted(t.pk for t in tracks)


def test_the_page_number_shape_stays_and_gains_a_next_link():
    TrackFactory.create_batch(3)
    response = client_with().get("/api/v1/tracks", {"per_page": 2})
    body = response.json()
    assert (body["total"], body["page"], body["pages"]) == (3, 1, 2)
    assert body["next"].endswith("page=2&per_page=2") or "page=2" in body["next"]
    assert response["Link"] == f'<{body["next"]}>; rel="next"'


def test_a_malformed_cursor_is_a_400_and_an_unknown_or_expired_one_a_404_both_naming_it():
    TrackFactory()
    malformed = client_with().get("/api/v1/tracks", {"cursor": "nonsense"})
    assert malformed.status_code == 400 and list(malformed.json()["error"]["fields"]) == ["cursor"]
    unknown = client_with().get("/api/v1/tracks", {"cursor": "AAAAAAAAAAAAAAAA.2"})  # the shape the schema allows
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "cursor_not_found"
    assert list(unknown.json()["error"]["fields"]) == ["cursor"]


def test_a_cursor_belongs_to_its_filters():
    TrackFactory.create_batch(3)
    anon = client_with()
    token = anon.get("/api/v1/tracks", {"per_page": 1, "cursor": ""}).json()["next"].split("cursor=")[1]
    response = anon.get("/api/v1/tracks", {"per_page": 1, "cursor": token.split("&")[0], "genre": "ambient"})
    assert response.status_code == 404 and "cursor" in response.json()["error"]["fields"]


def test_every_paged_list_takes_a_cursor(creator):
    TrackFactory(creator=creator)
    api = client_with(key_for(creator))
    for url in ["/api/v1/tracks", "/api/v1/tools", "/api/v1/me/tracks", "/api/v1/me/purchases",
                "/api/v1/me/notifications", "/api/v1/playlists", "/api/v1/keys"]:
        response = api.get(url, {"cursor": ""})
        assert response.status_code == 200, (url, response.content)
        assert "next" in response.json(), url
