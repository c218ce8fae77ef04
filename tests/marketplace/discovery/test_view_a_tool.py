"""A buyer opens an AI tool's page (/tools/<id>/); an agent lists and reads tools (/api/v1/tools)."""

import pytest

from tests.factories import ToolFactory, TrackFactory
from voting.models import ToolScore, TrackScore

pytestmark = pytest.mark.django_db


def test_it_shows_the_tools_votes_and_its_top_tracks_first(client):
    tool = ToolFactory(name="Suno", tagline="Songs from prompts")
    ToolScore.objects.filter(tool=tool).update(score=12, upvotes=14, downvotes=2)
    low = TrackFactory(title="Low One", tool=tool)
    high = TrackFactory(title="High One", tool=tool)
    TrackFactory(title="Other Tool")
    TrackScore.objects.filter(track=low).update(score=1)
    TrackScore.objects.filter(track=high).update(score=9)
    response = client.get(tool.get_absolute_url())
    assert [t.title for t in response.context["tracks"]] == ["High One", "Low One"]
    # The votes show once, in the vote buttons: the score (a link to how ranking works) and the counts.
    assert "Songs from prompts" in response.text and "14 up · 2 down" in response.text
    assert '<a class="score-link" href="/how-ranking-works/"' in response.text and ">12.0<" in response.text


def test_tools_list_and_detail(anon):
    tool = ToolFactory(name="Suno")
    assert anon.get("/api/v1/tools").json()["tools"][0]["name"] == "Suno"
    assert anon.get(f"/api/v1/tools/{tool.pk}").json()["id"] == tool.pk


def test_the_tool_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    tool = ToolFactory()
    TrackFactory.create_batch(20, tool=tool)
    with django_assert_max_num_queries(4):
        client.get(tool.get_absolute_url())


def test_unknown_tools_are_not_found(client):
    response = client.get("/tools/424242/")
    assert response.status_code == 404
    assert "<title>Not found" in response.text
