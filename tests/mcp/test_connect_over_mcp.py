"""An agent's MCP client connects to /mcp: with a key it sees the tools and the catalogue's resources;
without one, or with a revoked or expired one, it is refused as the REST API refuses it."""

from datetime import timedelta

import httpx2
import pytest
from django.utils import timezone

from accounts.models import ApiKey
from tests.helpers import key_for
from tests.mcp.conftest import mcp_session

pytestmark = pytest.mark.django_db(transaction=True)

TOOLS = {"search_tracks", "get_track", "discover_tracks", "top_tracks", "vote", "upload_track", "my_tracks",
         "my_analytics"}


def test_it_lists_the_tools_and_resources(live_server, voter):
    async def listing(session):
        return await session.list_tools(), await session.list_resources(), await session.list_resource_templates()

    with mcp_session(live_server, key_for(voter)) as call:
        tools, resources, templates = call(listing)
    assert {tool.name for tool in tools.tools} == TOOLS
    vote = next(tool for tool in tools.tools if tool.name == "vote")
    assert set(vote.input_schema["required"]) == {"target_id", "vote"}
    assert [r.uri for r in resources.resources] == ["tracks://trending"]
    assert {t.uri_template for t in templates.resource_templates} == {"track://{track_id}", "tracks://top/{period}"}


def post(live_server, headers=None):
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    return httpx2.post(f"{live_server.url}/mcp", json=body,
                       headers={"Accept": "application/json, text/event-stream", **(headers or {})})


def test_it_refuses_a_request_without_a_key(live_server, db):
    response = post(live_server)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_sdk_client_is_refused_without_a_key(live_server, db):
    with pytest.raises(Exception), mcp_session(live_server) as call:  # noqa: B017 - the SDK's own error types
        call(lambda s: s.list_tools())


@pytest.mark.parametrize("change", [{"revoked_at": timezone.now()},
                                    {"expires_at": timezone.now() - timedelta(minutes=1)}])
def test_it_refuses_a_revoked_or_expired_key(live_server, voter, change):
    raw = key_for(voter)
    ApiKey.objects.filter(user=voter).update(**change)
    response = post(live_server, {"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API key is unknown, revoked or expired."


def test_get_and_delete_are_405_as_a_stateless_server_answers(client, voter):
    raw = key_for(voter)
    for method in (client.get, client.delete):
        response = method("/mcp", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 405 and response["Allow"] == "POST"
        assert response.json()["error"]["code"] == "method_not_allowed"
