"""A buyer opens /tools/: every AI music tool, voted, with its track counts, each linking to its page."""

import pytest

from marketplace.models import Track
from tests.factories import ToolFactory, TrackFactory
from voting.models import ToolScore, TrackScore

pytestmark = pytest.mark.django_db


def test_it_lists_every_tool_best_voted_first_with_its_tracks_and_their_votes(client):
    suno, udio, quiet = ToolFactory(name="Suno AI"), ToolFactory(name="Udio"), ToolFactory(name="Quiet Tool")
    ToolScore.objects.filter(tool=udio).update(score=20, upvotes=21, downvotes=1)
    ToolScore.objects.filter(tool=suno).update(score=5, upvotes=5)
    for track in TrackFactory.create_batch(3, tool=suno):
        TrackScore.objects.filter(track=track).update(upvotes=4, downvotes=1)
    TrackFactory(tool=suno, status=Track.Status.HIDDEN)  # not counted
    response = client.get("/tools/")
    assert response.status_code == 200
    assert [tool.name for tool in response.context["tools"]] == ["Udio", "Suno AI", "Quiet Tool"]
    text = response.text
    assert f'href="/tools/{suno.pk}/"' in text and f'href="/tools/{quiet.pk}/"' in text
    assert "3 tracks · 15 votes on its tracks" in text
    assert "0 tracks · 0 votes on its tracks" in text


def test_the_tool_page_breadcrumb_leads_back_to_the_directory(client):
    tool = ToolFactory()
    assert '<a href="/tools/">Tools</a>' in client.get(tool.get_absolute_url()).text


def test_the_directory_is_in_the_navigation_and_the_sitemap(client):
    ToolFactory()
    assert 'href="/tools/"' in client.get("/").text
    assert "/tools/</loc>" in client.get("/sitemap-pages.xml").text


def test_the_directory_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(15):
        TrackFactory.create_batch(2, tool=ToolFactory())
    with django_assert_max_num_queries(3):
        client.get("/tools/")
