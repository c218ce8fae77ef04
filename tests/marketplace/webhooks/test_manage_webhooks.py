"""A member creates, lists, changes and deletes webhooks over the API; unsafe targets are refused."""

import pytest

from accounts.models import ApiKey
from marketplace.models import Webhook
from tests.factories import CreatorFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks"
TARGET = "https://hooks.example.com/aimusicstore"


@pytest.fixture(autouse=True)
def public_dns(monkeypatch):
    """hooks.example.com resolves to a public address (the machine has no DNS of its own)."""
    import socket

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        if host == "sneaky.example.com":  # a public name that points inside
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_it_creates_a_webhook_and_shows_its_secret_once(api):
    answer = api.post(URL, {"url": TARGET, "events": ["track.published", "vote.received"]}, format="json")
    assert answer.status_code == 201
    body = answer.json()
    assert body["secret"].startswith("whsec_") and body["active"] is True
    assert body["events"] == ["track.published", "vote.received"]
    assert answer["Location"].endswith(f"/api/v1/webhooks/{body['id']}")
    listed = api.get(URL).json()
    assert [w["id"] for w in listed["webhooks"]] == [body["id"]] and "secret" not in listed["webhooks"][0]
    assert "secret" not in api.get(f"{URL}/{body['id']}").json()


def test_it_changes_and_deletes_a_webhook(api):
    hook = api.post(URL, {"url": TARGET, "events": ["track.published"]}, format="json").json()
    changed = api.patch(f"{URL}/{hook['id']}", {"events": ["review.posted"], "description": "reviews"},
                        format="json")
    assert changed.status_code == 200 and changed.json()["events"] == ["review.posted"]
    rotated = api.post(f"{URL}/{hook['id']}/secret")
    assert rotated.status_code == 200 and rotated.json()["secret"] != hook["secret"]
    assert api.delete(f"{URL}/{hook['id']}").status_code == 204
    assert not Webhook.objects.exists()


def test_another_member_cannot_see_or_delete_it(api):
    hook = api.post(URL, {"url": TARGET, "events": ["track.published"]}, format="json").json()
    stranger = client_with(key_for(CreatorFactory()))
    assert stranger.get(f"{URL}/{hook['id']}").status_code == 404
    assert stranger.delete(f"{URL}/{hook['id']}").status_code == 404
    assert stranger.get(f"{URL}/{hook['id']}/deliveries").status_code == 404
    assert stranger.get(URL).json()["webhooks"] == []


def test_it_requires_a_key(anon):
    assert anon.get(URL).status_code == 401
    assert anon.post(URL, {"url": TARGET, "events": ["track.published"]}, format="json").status_code == 401


@pytest.mark.parametrize("body, field", [
    ({"url": TARGET, "events": ["track.exploded"]}, "events"),
    ({"url": TARGET, "events": []}, "events"),
    ({"url": "not a url", "events": ["track.published"]}, "url"),
    ({"events": ["track.published"]}, "url"),
])
def test_bad_input_is_a_400_naming_the_field(api, body, field):
    answer = api.post(URL, body, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]


@pytest.mark.parametrize("url, reason", [
    ("http://hooks.example.com/x", "must start with https://"),
    ("https://127.0.0.1/x", "private or loopback"),
    ("https://localhost:8443/x", "private or loopback"),
    ("https://10.0.0.7/x", "private or loopback"),
    ("https://169.254.169.254/latest/meta-data", "private or loopback"),
    ("https://[::1]/x", "private or loopback"),
    ("https://[::ffff:127.0.0.1]/x", "private or loopback"),
    ("https://sneaky.example.com/x", "private or loopback"),
    ("https://user:pw@hooks.example.com/x", "user name or password"),
])
def test_it_refuses_targets_inside_our_network(api, url, reason):
    answer = api.post(URL, {"url": url, "events": ["track.published"]}, format="json")
    assert answer.status_code == 400, answer.json()
    assert reason in answer.json()["error"]["fields"]["url"][0]
    assert not Webhook.objects.exists()


def test_a_read_only_key_lists_but_cannot_create(creator):
    reader = client_with(key_for(creator, scopes=[ApiKey.Scope.READ]))
    assert reader.get(URL).status_code == 200
    refused = reader.post(URL, {"url": TARGET, "events": ["track.published"]}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "scope_missing"


def test_sales_and_payouts_need_the_analytics_scope(creator):
    writer = client_with(key_for(creator, scopes=[ApiKey.Scope.READ, ApiKey.Scope.WRITE]))
    refused = writer.post(URL, {"url": TARGET, "events": ["sale.recorded"]}, format="json")
    assert refused.status_code == 403 and "analytics" in refused.json()["error"]["message"]
    assert writer.post(URL, {"url": TARGET, "events": ["review.posted"]}, format="json").status_code == 201


def test_an_account_has_at_most_ten_webhooks(api, settings):
    for _ in range(settings.WEBHOOK_MAX_PER_USER):
        assert api.post(URL, {"url": TARGET, "events": ["track.published"]}, format="json").status_code == 201
    refused = api.post(URL, {"url": TARGET, "events": ["track.published"]}, format="json")
    assert refused.status_code == 400 and "delete one first" in refused.json()["error"]["fields"]["url"][0]
