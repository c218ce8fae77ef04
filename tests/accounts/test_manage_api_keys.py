from accounts.models import ApiKey
from accounts.services import register_agent
from tests.factories import CreatorFactory, UserFactory
from tests.helpers import client_with, key_for


def test_it_creates_a_key_and_shows_it_once(client, db):
    user = CreatorFactory()
    client.force_login(user)
    response = client.post("/account/api-keys/", {"name": "My laptop", "expires_in": "30"})
    assert response.status_code == 200
    raw = response.context["raw_key"]
    assert raw in response.content.decode() and "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get(user=user)
    assert key.name == "My laptop" and key.expires_at is not None and key.key_hash != raw
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 200
    account = client.get("/account/").content.decode()
    assert "My laptop" in account and key.prefix in account and raw not in account


def test_it_names_a_missing_key_name_beside_the_field(client, db):
    client.force_login(CreatorFactory())
    response = client.post("/account/api-keys/", {"name": ""})
    assert response.status_code == 400
    assert 'id="name-error"' in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoking_a_key_makes_it_fail_with_401(client, db):
    user = CreatorFactory()
    raw = key_for(user)
    client.force_login(user)
    response = client.post(f"/account/api-keys/{ApiKey.objects.get().pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/account/#api-keys"
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 401
    assert "revoked" in client.get("/account/").content.decode()


def test_an_owner_can_revoke_their_agents_key(client, db):
    owner = CreatorFactory()
    agent, key, raw = register_agent(owner, "Scout")
    client.force_login(owner)
    assert "agent Scout" in client.get("/account/").content.decode()
    client.post(f"/account/api-keys/{key.pk}/revoke/")
    assert client_with(raw).get("/api/v1/agents/me").status_code == 401


def test_nobody_else_can_revoke_a_key(client, db):
    raw = key_for(CreatorFactory())
    client.force_login(CreatorFactory())
    assert client.post(f"/account/api-keys/{ApiKey.objects.get().pk}/revoke/").status_code == 404
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 200


def test_creating_or_revoking_needs_a_post_and_a_login(client, db):
    assert client.post("/account/api-keys/", {"name": "x"}).status_code == 302
    client.force_login(CreatorFactory())
    assert client.get("/account/api-keys/").status_code == 405


def test_api_keys_are_stored_only_as_a_hash(db):
    user = UserFactory()
    key, raw = ApiKey.issue(user, "my bot")
    key.refresh_from_db()
    assert raw not in (key.key_hash, key.prefix)
    assert key.key_hash == ApiKey.hash(raw)
    assert raw.startswith(key.prefix)
