"""A key has one budget whichever door it uses: tool calls count against the REST API's own counters."""

import pytest

from tests.factories import TrackFactory
from tests.helpers import client_with, key_for
from tests.mcp.conftest import answer_of, error_of, mcp_session
from voting.models import Vote

pytestmark = pytest.mark.django_db(transaction=True)

# Votes in an hour window: three votes never straddle its edge the way they may a minute's.
SMALL = {tier: {"read": "3/min", "write": "2/min", "vote": "2/hour"}
         for tier in ("anon", "starter", "pro", "enterprise")}


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.API_RATE_LIMITS = SMALL


def test_reads_over_mcp_and_rest_share_the_keys_read_limit(live_server, voter):
    raw = key_for(voter)
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 200

    async def three_reads(session):
        return [await session.call_tool("my_tracks", {}) for _ in range(3)]

    with mcp_session(live_server, raw) as call:
        results = call(three_reads)
    answer_of(results[0]), answer_of(results[1])
    over = error_of(results[2])
    assert over["code"] == "rate_limited" and 1 <= over["retry_after"] <= 60
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 429


def test_votes_count_against_the_vote_limit_not_the_read_limit(live_server, voter):
    tracks = TrackFactory.create_batch(3)

    async def vote_on_all(session):
        return [await session.call_tool("vote", {"target_id": t.pk, "vote": 1}) for t in tracks]

    with mcp_session(live_server, key_for(voter)) as call:
        first, second, third = call(vote_on_all)
    answer_of(first), answer_of(second)
    assert error_of(third)["code"] == "rate_limited"
    assert Vote.objects.count() == 2


def test_mcp_answers_carry_the_rest_apis_rate_limit_headers(live_server, voter):
    """The same X-RateLimit-* and IETF RateLimit/RateLimit-Policy headers as REST: a tool call shows the window
    it counted in, any other message (initialize) the key's read window as it stands, counting nothing."""
    raw = key_for(voter)
    track = TrackFactory()
    seen = []

    async def read_then_vote(session):
        return [await session.call_tool("my_tracks", {}),
                await session.call_tool("vote", {"target_id": track.pk, "vote": 1})]

    with mcp_session(live_server, raw, responses=seen) as call:
        read, voted = call(read_then_vote)
    answer_of(read), answer_of(voted)
    initialize, *_, read_call, vote_call = [r for r in seen if r.request.method == "POST"]
    assert initialize.headers["RateLimit-Policy"] == '"read";q=3;w=60'
    assert initialize.headers["RateLimit"].startswith('"read";r=3;')  # initialize counts nothing
    assert read_call.headers["RateLimit"].startswith('"read";r=2;')
    assert read_call.headers["X-RateLimit-Limit"] == "3" and read_call.headers["X-RateLimit-Remaining"] == "2"
    # A vote reports the tighter of the key's vote bucket (2 an hour here) and the voter's own limit, as REST does.
    assert vote_call.headers["RateLimit-Policy"] == '"vote";q=2;w=3600'
    assert vote_call.headers["RateLimit"].startswith('"vote";r=1;')
    rest = client_with(raw).get("/api/v1/me/tracks")  # one budget: REST's next read sees the MCP one
    assert rest["RateLimit"].startswith('"read";r=1;') and rest["RateLimit-Policy"] == '"read";q=3;w=60'
