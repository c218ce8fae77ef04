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
