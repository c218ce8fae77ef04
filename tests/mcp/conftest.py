"""Talk to the store's /mcp as an AI agent's client would: the MCP SDK's own Streamable HTTP client
against the live test server (real HTTP, real PostgreSQL and Redis)."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import anyio
import httpx2
import pytest
from django.utils import timezone
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from tests.factories import UserFactory


def mcp_session(live_server, raw_key=None, responses=None):
    """`with mcp_session(live_server, key) as call: call(lambda session: session.list_tools())`.

    `responses`, a list, receives every HTTP response of the exchange (to read its headers)."""

    class Caller:
        def __enter__(self):
            return self.call

        def __exit__(self, *exc):
            return False

        def call(self, action):
            async def run():
                headers = {"Authorization": f"Bearer {raw_key}"} if raw_key else {}
                async def keep(response):
                    if responses is not None:
                        responses.append(response)

                async with httpx2.AsyncClient(headers=headers, timeout=30, event_hooks={"response": [keep]}) as http:
                    async with streamable_http_client(f"{live_server.url}/mcp", http_client=http) as (read, write):
                        async with ClientSession(read, write) as session:
                            await session.initialize()
                            return await action(session)

            # Its own thread: a session-wide Playwright (the e2e tests) may hold this thread's loop.
            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(anyio.run, run).result()

    return Caller()


def rest_get(live_server, raw_key, path, params=None):
    """The REST API's answer over the same live server (so absolute URLs name the same host)."""
    response = httpx2.get(f"{live_server.url}/api/v1/{path}", params=params,
                          headers={"Authorization": f"Bearer {raw_key}"})
    assert response.status_code == 200, response.text
    return response.json()


def error_of(result):
    """The REST error body a refused tool call carries as its text."""
    assert result.is_error, result
    return json.loads(result.content[0].text)["error"]


def answer_of(result):
    assert not result.is_error, result.content[0].text
    return result.structured_content


@pytest.fixture
def voter(transactional_db):
    """A settled account (three months old) on the free tier, as in tests/voting."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=90))
