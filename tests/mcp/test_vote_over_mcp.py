"""An AI agent connects to /mcp with its API key, discovers tracks and votes: the MCP SDK's client
against the live server, and the vote lands through cast_vote as a REST vote does."""

import pytest

from accounts.models import ApiKey
from tests.factories import AgentFactory, TrackFactory
from tests.helpers import client_with, key_for
from tests.mcp.conftest import answer_of, error_of, mcp_session
from voting.models import TrackScore, Vote

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_discovers_a_track_and_its_vote_lands(live_server, voter):
    track = TrackFactory(title="Neon Rain")
    own = TrackFactory(creator=voter, title="My Own Song")
    with mcp_session(live_server, key_for(voter)) as call:
        discovered = answer_of(call(lambda s: s.call_tool("discover_tracks", {})))
        voted = answer_of(call(lambda s: s.call_tool("vote", {"target_id": track.pk, "vote": 1})))
    assert [t["title"] for t in discovered["tracks"]] == ["Neon Rain"]  # never the caller's own
    assert own.pk not in [t["id"] for t in discovered["tracks"]]
    vote = Vote.objects.get()
    assert (vote.voter, vote.track, vote.value) == (voter, track, 1)
    score = TrackScore.objects.get(track=track)
    assert voted["upvotes"] == score.upvotes == 1 and voted["vote_count"] == 1
    assert voted["score"] == pytest.approx(score.score, abs=1e-4) == pytest.approx(voted["weight"], abs=1e-4)


def test_a_key_narrowed_to_read_cannot_vote(live_server, voter):
    track = TrackFactory()
    raw = key_for(voter, scopes=[ApiKey.Scope.READ])
    with mcp_session(live_server, raw) as call:
        found = answer_of(call(lambda s: s.call_tool("discover_tracks", {})))
        refused = error_of(call(lambda s: s.call_tool("vote", {"target_id": track.pk, "vote": 1})))
    assert len(found["tracks"]) == 1
    assert refused["code"] == "scope_missing" and "'vote' scope" in refused["message"]
    assert not Vote.objects.exists()


def test_a_self_vote_is_refused_with_the_rest_apis_message(live_server):
    track = TrackFactory()
    agent = AgentFactory(owner=track.creator)
    raw = key_for(agent.user)
    rest = client_with(raw).post("/api/v1/votes", {"target_id": track.pk, "target_type": "track", "vote": 1},
                                 format="json")
    with mcp_session(live_server, raw) as call:
        refused = error_of(call(lambda s: s.call_tool("vote", {"target_id": track.pk, "vote": 1})))
    assert rest.status_code == 403
    assert refused["message"] == rest.json()["error"]["message"]
    assert refused["code"] == "self_vote" == rest.json()["error"]["code"]
    assert not Vote.objects.exists()


def test_bad_input_is_a_tool_error_naming_the_field(live_server, voter):
    with mcp_session(live_server, key_for(voter)) as call:
        refused = error_of(call(lambda s: s.call_tool("vote", {"target_id": 999999, "vote": 1})))
    assert refused["fields"] == {"target_id": ["No track with this id."]}
