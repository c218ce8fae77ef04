from datetime import timedelta

from django.utils import timezone

from accounts.models import ApiKey
from tests.helpers import client_with, key_for


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
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_a_key_of_a_deactivated_user(creator):
    raw = key_for(creator)
    creator.is_active = False
    creator.save()
    response = client_with(raw).get("/api/v1/me/tracks")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_it_names_the_scheme_it_wants(db):
    response = client_with().get("/api/v1/me/tracks", HTTP_AUTHORIZATION="Token abc")
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]["message"]


def test_it_stores_only_a_hash_and_a_short_prefix(creator):
    raw = key_for(creator)
    key = ApiKey.objects.get(user=creator)
    assert raw not in (key.key_hash, key.prefix) and raw.startswith(key.prefix) and len(key.prefix) < 12


# A key that has been used is remembered in Redis for a minute; each way of refusing it must
# take effect on the very next call all the same.

def used(raw):
    client = client_with(raw)
    assert client.get("/api/v1/me/tracks").status_code == 200
    return client


def test_a_used_key_needs_no_query_to_know_its_caller(creator, django_assert_num_queries):
    client = used(key_for(creator))
    with django_assert_num_queries(1):  # the caller's tracks; none to find the caller
        response = client.get("/api/v1/me/tracks")
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_revoking_a_used_key_on_the_account_page_refuses_it_at_once(creator):
    from accounts.services import revoke_key

    client = used(key_for(creator))
    assert revoke_key(creator, ApiKey.objects.get(user=creator).pk)
    assert client.get("/api/v1/me/tracks").status_code == 401


def test_revoking_or_deactivating_in_the_admin_refuses_a_used_key_at_once(creator, admin_client):
    client = used(key_for(creator))
    key = ApiKey.objects.get(user=creator)
    admin_client.post("/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    response = client.get("/api/v1/me/tracks")
    assert response.status_code == 401 and response.json()["error"]["code"] == "authentication_failed"

    other = used(key_for(creator, name="second"))
    admin_client.post("/admin/accounts/user/", {"action": "deactivate", "_selected_action": [creator.pk]})
    creator.refresh_from_db()
    assert not creator.is_active
    response = other.get("/api/v1/me/tracks")
    assert response.status_code == 401 and response.json()["error"]["code"] == "authentication_failed"


def test_editing_a_used_key_in_the_admin_takes_effect_at_once(creator):
    client = used(key_for(creator))
    key = ApiKey.objects.get(user=creator)
    key.expires_at = timezone.now() - timedelta(seconds=1)
    key.save()
    response = client.get("/api/v1/me/tracks")
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_the_remembered_key_holds_no_password_hash(creator):
    from django.core.cache import cache

    raw = key_for(creator)
    used(raw)
    remembered = cache.get(f"apikey:{ApiKey.hash(raw)}")
    assert remembered.user.pk == creator.pk and "password" not in remembered.user.__dict__
