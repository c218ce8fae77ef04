"""An agent reads the catalogue over MCP: search, a track, top lists, its own tracks and figures, and
the same catalogue as resources, each answering as the matching REST endpoint does."""

import json

import pytest

from accounts.models import ApiKey
from tests.factories import TrackFactory
from tests.helpers import key_for
from tests.mcp.conftest import answer_of, error_of, mcp_session, rest_get
from voting import rankings

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_answers_the_page_get_tracks_answers(live_server, voter):
    TrackFactory(title="Midnight Circuit", genre="electronic")
    TrackFactory(title="Slow Brass", genre="jazz")
    raw = key_for(voter)
    rest = rest_get(live_server, raw, "tracks", {"genre": "jazz"})
    with mcp_session(live_server, raw) as call:
        found = answer_of(call(lambda s: s.call_tool("search_tracks", {"genre": ["jazz"]})))
    assert [t["title"] for t in found["tracks"]] == ["Slow Brass"]
    assert found == rest


def test_a_bad_filter_is_a_tool_error_naming_it(live_server, voter):
    with mcp_session(live_server, key_for(voter)) as call:
        refused = error_of(call(lambda s: s.call_tool("search_tracks", {"genre": ["polka-metal"], "per_page": 500})))
    assert refused["code"] == "invalid" and "genre" in refused["fields"]


def test_get_track_and_its_resource_answer_the_track_object(live_server, voter):
    track = TrackFactory(title="Glass Harbour")
    raw = key_for(voter)
    rest = rest_get(live_server, raw, f"tracks/{track.pk}")

    async def read(session):
        return (await session.call_tool("get_track", {"track_id": track.pk}),
                await session.read_resource(f"track://{track.pk}"),
                await session.call_tool("get_track", {"track_id": 999999}))

    with mcp_session(live_server, raw) as call:
        tool, resource, missing = call(read)
    assert answer_of(tool) == rest
    assert json.loads(resource.contents[0].text) == rest
    assert error_of(missing)["code"] == "not_found"


def test_top_lists_come_from_the_rankings(live_server, voter):
    tracks = TrackFactory.create_batch(2)
    rankings.refresh_rankings()
    expected = [t.pk for t in rankings.top_tracks("alltime", 50)]

    async def read(session):
        return (await session.call_tool("top_tracks", {"period": "alltime"}),
                await session.read_resource("tracks://top/alltime"),
                await session.read_resource("tracks://trending"))

    with mcp_session(live_server, key_for(voter)) as call:
        tool, resource, trending = call(read)
    assert [t["id"] for t in answer_of(tool)["tracks"]] == expected
    assert sorted(expected) == sorted(t.pk for t in tracks)
    assert [t["id"] for t in json.loads(resource.contents[0].text)["tracks"]] == expected
    assert set(json.loads(trending.contents[0].text)) == {"tracks", "tools"}


def test_my_tracks_and_analytics_answer_as_the_rest_api(live_server, creator):
    TrackFactory(creator=creator, title="Mine")
    TrackFactory(title="Someone else's")
    raw = key_for(creator)
    rest = rest_get(live_server, raw, "me/analytics", {"days": 7})

    async def read(session):
        return (await session.call_tool("my_tracks", {}), await session.call_tool("my_analytics", {"days": 7}),
                await session.call_tool("my_analytics", {"days": 400}))

    with mcp_session(live_server, raw) as call:
        mine, figures, too_long = call(read)
    assert [t["title"] for t in answer_of(mine)["tracks"]] == ["Mine"]
    assert answer_of(figures) == rest
    assert error_of(too_long)["fields"] == {"days": ["Enter a whole number from 1 to 365."]}


def test_analytics_need_the_analytics_scope(live_server, creator):
    raw = key_for(creator, scopes=[ApiKey.Scope.READ])
    with mcp_session(live_server, raw) as call:
        refused = error_of(call(lambda s: s.call_tool("my_analytics", {})))
    assert refused["code"] == "scope_missing" and "'analytics' scope" in refused["message"]
