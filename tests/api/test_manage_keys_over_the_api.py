"""`GET/POST keys`, `DELETE keys/<id>`, `POST keys/<id>/rotate`, and scopes a key can be narrowed to."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiKey
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def voter(db):
    return UserFactory(date_joined=timezone.now() - timedelta(days=90))


def test_it_lists_the_callers_keys_without_the_keys_themselves(api, creator):
    key_for(CreatorFactory(), name="someone else's")
    body = api.get("/api/v1/keys").json()
    assert [k["name"] for k in body["keys"]] == ["test key"]
    assert body["keys"][0]["scopes"] == ["read", "write", "vote", "analytics"]
    assert "api_key" not in body["keys"][0] and "key_hash" not in body["keys"][0]


def test_a_new_key_is_shown_once_with_its_location_and_works(api):
    response = api.post("/api/v1/keys", {"name": "reader", "scopes": ["read"], "expires_in_days": 7}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["scopes"] == ["read"] and body["api_key"].startswith("ams_") and body["expires_at"]
    assert response["Location"].endswith(f"/api/v1/keys/{body['id']}")
    assert client_with(body["api_key"]).get(response["Location"]).json()["name"] == "reader"


def test_a_key_narrowed_to_read_cannot_vote(voter):
    track = TrackFactory()
    reader = client_with(key_for(voter, scopes=["read"]))
    assert reader.get("/api/v1/discovery/discover").status_code == 200
    response = reader.post("/api/v1/votes", {"target_id": track.pk, "target_type": "track", "vote": 1},
                           format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing" and "'vote'" in response.json()["error"]["message"]
    assert not track.votes.exists()
    full = client_with(key_for(voter))
    assert full.post("/api/v1/votes", {"target_id": track.pk, "target_type": "track", "vote": 1},
                     format="json").status_code == 200


def test_each_scope_guards_its_own_endpoints(creator):
    track = TrackFactory(creator=creator)
    voter_only = client_with(key_for(creator, scopes=["vote"]))
    assert voter_only.get("/api/v1/tracks").status_code == 403
    no_analytics = client_with(key_for(creator, scopes=["read", "write"]))
    assert no_analytics.get("/api/v1/me/analytics").status_code == 403
    assert no_analytics.patch(f"/api/v1/tracks/{track.pk}", {"title": "Edited"}, format="json").status_code == 200
    read_only = client_with(key_for(creator, scopes=["read", "analytics"]))
    assert read_only.get("/api/v1/me/analytics").status_code == 200
    assert read_only.patch(f"/api/v1/tracks/{track.pk}", {"title": "Again"}, format="json").status_code == 403
    assert read_only.delete(f"/api/v1/tracks/{track.pk}").status_code == 403


def test_a_key_cannot_make_a_key_wider_than_itself(creator):
    narrow = client_with(key_for(creator, scopes=["read", "write"]))
    response = narrow.post("/api/v1/keys", {"name": "wider", "scopes": ["read", "vote"]}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "scope_too_wide"
    default = narrow.post("/api/v1/keys", {"name": "same"}, format="json").json()
    assert sorted(default["scopes"]) == ["read", "write"]
    assert not ApiKey.objects.filter(name="wider").exists()


def test_an_unknown_scope_is_a_400_naming_the_field(api):
    response = api.post("/api/v1/keys", {"name": "x", "scopes": ["admin"]}, format="json")
    assert response.status_code == 400 and "scopes" in response.json()["error"]["fields"]


def test_a_revoked_key_gets_401_at_once(creator):
    raw = key_for(creator, name="doomed")
    doomed = ApiKey.objects.get(name="doomed")
    api = client_with(key_for(creator))
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 200  # now cached as known
    assert api.delete(f"/api/v1/keys/{doomed.pk}").status_code == 204
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 401
    assert api.delete(f"/api/v1/keys/{doomed.pk}").status_code == 404


def test_rotating_gives_a_new_key_with_the_same_scopes_and_stops_the_old(creator):
    raw = key_for(creator, name="bot", scopes=["read", "vote"])
    old = ApiKey.objects.get(name="bot")
    response = client_with(raw).post(f"/api/v1/keys/{old.pk}/rotate")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "bot" and body["scopes"] == ["read", "vote"] and body["id"] != old.pk
    assert client_with(raw).get("/api/v1/keys").status_code == 401
    assert client_with(body["api_key"]).get("/api/v1/keys").status_code == 200


def test_a_narrow_key_cannot_rotate_a_wider_one_to_obtain_it(creator):
    full = key_for(creator, name="full")
    reader = client_with(key_for(creator, name="reader", scopes=["read"]))
    response = reader.post(f"/api/v1/keys/{ApiKey.objects.get(name='full').pk}/rotate")
    assert response.status_code == 403 and response.json()["error"]["code"] == "scope_too_wide"
    assert client_with(full).get("/api/v1/keys").status_code == 200


def test_nobody_else_can_see_revoke_or_rotate_my_key(api, creator):
    mine = ApiKey.objects.get(user=creator)
    stranger = client_with(key_for(CreatorFactory()))
    assert stranger.get(f"/api/v1/keys/{mine.pk}").status_code == 404
    assert stranger.delete(f"/api/v1/keys/{mine.pk}").status_code == 404
    assert stranger.post(f"/api/v1/keys/{mine.pk}/rotate").status_code == 404
    assert api.get("/api/v1/keys").status_code == 200


def test_keys_need_a_key(anon):
    assert anon.get("/api/v1/keys").status_code == 401
    assert anon.post("/api/v1/keys", {"name": "x"}, format="json").status_code == 401


def test_every_api_view_checks_scopes_first():
    from django.urls import get_resolver

    from accounts.scopes import HasScope

    def views(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from views(p.url_patterns, prefix + str(p.pattern))
            elif hasattr(p.callback, "cls") and (prefix + str(p.pattern)).startswith("api/v1/"):
                yield prefix + str(p.pattern), p.callback.cls

    checked = 0
    for route, cls in views(get_resolver().url_patterns):
        if route.endswith(("schema/", "docs")):
            continue
        assert cls.permission_classes and cls.permission_classes[0] is HasScope, route
        checked += 1
    assert checked > 30
