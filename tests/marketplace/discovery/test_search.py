"""A buyer searches the catalogue (/search/) and uses autocomplete (/search/suggest/)."""

import pytest

from marketplace.models import Track
from tests.factories import TrackFactory
from voting.models import TrackScore

pytestmark = pytest.mark.django_db


def test_it_ranks_title_matches_above_tag_and_description_matches(client):
    TrackFactory(title="Quiet Room", description="A lullaby for the ocean at night.")
    TrackFactory(title="Harbour Lights", tags=["ocean"])
    TrackFactory(title="Ocean Drive")
    response = client.get("/search/?q=ocean")
    found = [track.title for track in response.context["page"].object_list]
    assert found == ["Ocean Drive", "Harbour Lights", "Quiet Room"]


def test_it_searches_artists(client):
    TrackFactory(title="Anything", artist="Velvet Circuit")
    assert "Anything" in client.get("/search/?q=velvet").text


def test_it_highlights_matches_and_escapes_the_rest(client):
    TrackFactory(title="<b>Ocean</b> & Sky")
    response = client.get("/search/?q=ocean")
    assert "&lt;b&gt;<mark>Ocean</mark>&lt;/b&gt; &amp; Sky" in response.text
    assert "<b>Ocean</b>" not in response.text


def test_hidden_tracks_are_never_found(client):
    TrackFactory(title="Secret Ocean", status=Track.Status.HIDDEN)
    assert "Secret Ocean" not in client.get("/search/?q=ocean").text


def test_no_results_offers_near_matches_and_popular_tracks(client):
    popular = TrackFactory(title="Golden Pulse")
    TrackScore.objects.filter(track=popular).update(trending=5, score=5, upvotes=5)
    response = client.get("/search/?q=goldan%20pulsr")
    assert "Nothing matches" in response.text
    assert "Did you mean" in response.text
    assert response.context["near"][0]["title"] == "Golden Pulse"
    assert "Popular right now" in response.text


def test_autocomplete_tolerates_typos(client):
    TrackFactory(title="Midnight Dreams")
    TrackFactory(title="Solar Wind", artist="Kairo")
    data = client.get("/search/suggest/?q=midnigt").json()
    assert data["results"][0]["title"] == "Midnight Dreams"
    assert data["results"][0]["url"].startswith("/tracks/")
    assert client.get("/search/suggest/?q=kairro").json()["results"][0]["artist"] == "Kairo"


def test_autocomplete_waits_for_two_characters(client):
    TrackFactory(title="Midnight Dreams")
    assert client.get("/search/suggest/?q=m").json()["results"] == []


def test_autocomplete_rejects_posts(client):
    TrackFactory(title="Midnight Dreams")
    response = client.post("/search/suggest/?q=mid")
    assert response.status_code == 405
    assert response["Allow"] == "GET" and b"Midnight" not in response.content


@pytest.mark.parametrize("junk", ["", "q=", "q=" + "z" * 10_000, "q=%00", "q=!!!%26%7C", "q=a&page=zzz",
                                  "q=ocean&page=99999", "q=%F0%9F%8E%B5"])
def test_junk_queries_give_a_normal_page(client, junk):
    TrackFactory(title="Ocean Drive")
    page = client.get("/search/?" + junk)
    assert page.status_code == 200
    assert "marketplace/search.html" in [t.name for t in page.templates] and 'name="q"' in page.text
    suggest = client.get("/search/suggest/?" + junk)
    assert suggest.status_code == 200
    assert isinstance(suggest.json()["results"], list)


def test_search_and_suggest_run_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    TrackFactory.create_batch(30, title="Ocean Wave")
    with django_assert_max_num_queries(6):
        client.get("/search/?q=ocean")
    with django_assert_max_num_queries(5):  # savepoint, SET LOCAL, titles, artists, release
        client.get("/search/suggest/?q=ocen")
