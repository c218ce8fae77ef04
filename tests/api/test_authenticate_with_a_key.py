from datetime import timedelta

from django.utils import timezone

from accounts.models import ApiKey
from tests.api.conftest import client_with, key_for


def test_it_accepts_a_live_key_and_notes_when_it_was_used(creator):
    raw = key_for(creator)
    response = client_with(raw).get("/api/v1/me/tracks")
    assert response.status_code == 200
    assert ApiKey.objects.get(user=creator).last_used is not None


def test_it_writes_last_used_at_most_every_few_minutes(creator, django_assert_max_num_queries):
    raw = key_for(creator)
    client = client_with(raw)
    client.get("/api/v1/me/tracks")
    first = ApiKey.objects.get(user=creator).last_used
    client.get("/api/v1/me/tracks")
    assert ApiKey.objects.get(user=creator).last_used == first


def test_it_refuses_a_revoked_key(creator):
    raw = key_for(creator)
    ApiKey.objects.filter(user=creator).update(revoked_at=timezone.now())
    response = client_with(raw).get("/api/v1/me/tracks")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_it_refuses_an_expired_key(creator):
    raw = key_for(creator, expires_at=timezone.now() - timedelta(seconds=1))
    response = client_with(raw).get("/api/v1/me/tracks")
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_it_refuses_an_unknown_key(db):
    response = client_with("ams_not-a-real-key").get("/api/v1/tracks")
    assert response.status_code == 401


def test_it_refuses_a_key_of_a_deactivated_user(creator):
    raw = key_for(creator)
    creator.is_active = False
    creator.save()
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 401


def test_it_names_the_scheme_it_wants(db):
    response = client_with().get("/api/v1/me/tracks", HTTP_AUTHORIZATION="Token abc")
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]["message"]


def test_it_stores_only_a_hash_and_a_short_prefix(creator):
    raw = key_for(creator)
    key = ApiKey.objects.get(user=creator)
    assert raw not in (key.key_hash, key.prefix) and raw.startswith(key.prefix) and len(key.prefix) < 12
