"""A developer reads /agents/ to connect an MCP client: the endpoint, the Bearer header, every tool."""

import json
import re
from html import unescape

from aimusicstore.mcp.server import TOOL_GUIDE


def test_the_guide_shows_the_endpoint_the_tools_and_a_client_config(client, db):
    response = client.get("/agents/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="mcp-h"' in page and "http://testserver/mcp" in page
    assert {entry.name for entry in TOOL_GUIDE} == {"search_tracks", "get_track", "discover_tracks", "top_tracks",
                                                   "vote", "upload_track", "my_tracks", "my_analytics"}
    for entry in TOOL_GUIDE:
        assert f"<code>{entry.name}</code>" in page
    assert "<code>track://{track_id}</code>" in page


def test_the_config_snippets_are_valid_json_pointing_at_mcp_with_a_bearer_header(client, db):
    page = client.get("/agents/").content.decode()
    snippets = [json.loads(unescape(code)) for code in re.findall(r"<code>(\{\s*\"mcpServers\".*?)</code>", page, re.S)]
    assert len(snippets) == 2
    generic, desktop = (s["mcpServers"]["aimusicstore"] for s in snippets)
    assert generic["url"] == "http://testserver/mcp" and generic["headers"]["Authorization"].startswith("Bearer ")
    assert "http://testserver/mcp" in desktop["args"] and desktop["env"]["AUTH_HEADER"].startswith("Bearer ")
