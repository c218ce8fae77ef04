"""A buyer searches the catalogue (/search/) and uses autocomplete (/search/suggest/)."""

import pytest

from marketplace.models import Track
from tests.factories import CreatorFactory, ToolFactory, TrackFactory
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
    TrackScore.objects.filter(track=popular).update(trending_at_epoch=5, score=5, upvotes=5)
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
    with django_assert_max_num_queries(15):  # the tracks (6), the creator named, the suggestions (8)
        client.get("/search/?q=ocean")
    with django_assert_max_num_queries(8):  # savepoint, SET LOCAL, titles, artists, creators, tools+vocabulary,
        client.get("/search/suggest/?q=ocen")  # release, tag


# --- The site's own words: moods, genres and their spellings, tags, creators, tools -----------------


def titles(response):
    return {track.title for track in response.context["page"].object_list}


def test_a_mood_finds_every_track_with_that_mood(client):
    TrackFactory(title="Soft Static", moods=["chill"])
    TrackFactory(title="Hammer Fall", moods=["aggressive"])
    assert titles(client.get("/search/?q=chill")) == {"Soft Static"}
    assert titles(client.get("/search/?q=Chill")) == {"Soft Static"}


@pytest.mark.parametrize("spelling", ["lofi", "lo fi", "lo-fi", "Lo-Fi", "LOFI"])
def test_a_genre_is_found_under_each_of_its_spellings(client, spelling):
    TrackFactory(title="Study Tape", genre="lo-fi", moods=[])
    TrackFactory(title="Loud Room", genre="rock", moods=[])
    assert titles(client.get("/search/", {"q": spelling})) == {"Study Tape"}


def test_r_and_b_and_hip_hop_spellings(client):
    TrackFactory(title="Slow Jam", genre="r-and-b", moods=[])
    TrackFactory(title="Block Party", genre="hip-hop", moods=[])
    for spelling in ("rnb", "r&b", "R & B"):
        assert titles(client.get("/search/", {"q": spelling})) == {"Slow Jam"}
    for spelling in ("hiphop", "hip hop", "Hip-Hop"):
        assert titles(client.get("/search/", {"q": spelling})) == {"Block Party"}


def test_a_term_and_other_words_must_all_match(client):
    TrackFactory(title="Rain Piano", genre="lo-fi", moods=["chill"])
    TrackFactory(title="Rain Engine", genre="techno", moods=["chill"])
    TrackFactory(title="Sun Piano", genre="lo-fi", moods=["happy"])
    assert titles(client.get("/search/?q=chill+lofi+piano")) == {"Rain Piano"}
    assert titles(client.get("/search/?q=the+chill+lofi")) == {"Rain Piano"}  # a stop word vetoes nothing
    assert titles(client.get("/search/?q=chill+-lofi")) == {"Rain Engine"}


def test_a_tool_name_finds_its_tracks(client):
    suno = ToolFactory(name="Suno AI", slug="suno-ai")
    TrackFactory(title="Made Here", tool=suno, moods=[])
    TrackFactory(title="Made Elsewhere", tool=ToolFactory(name="Udio", slug="udio"), moods=[])
    assert titles(client.get("/search/?q=suno")) == {"Made Here"}
    assert titles(client.get("/search/?q=Suno+AI")) == {"Made Here"}


def test_a_creator_finds_their_tracks_whatever_the_artist_name(client):
    creator = CreatorFactory(display_name="Lumen Fox", handle="lumen_fox")
    TrackFactory(title="Night Notes", creator=creator, artist="Alias Name", moods=[])
    TrackFactory(title="Other Notes", moods=[])
    assert titles(client.get("/search/?q=lumen+fox")) == {"Night Notes"}
    assert titles(client.get("/search/?q=lumen_fox")) == {"Night Notes"}


def test_tags_are_searched(client):
    TrackFactory(title="Gym Loop", tags=["workout"], moods=[])
    TrackFactory(title="Desk Loop", tags=["focus"], moods=[])
    assert titles(client.get("/search/?q=workout")) == {"Gym Loop"}


def test_the_page_links_the_genre_mood_creator_and_tool_it_names(client):
    TrackFactory(title="Study Tape", genre="lo-fi", moods=["chill"], tool=ToolFactory(name="Mubert", slug="mubert"),
                 creator=CreatorFactory(display_name="Lumen Fox", handle="lumen_fox"))
    page = client.get("/search/?q=lofi").text
    assert 'href="/browse/?genre=lo-fi"' in page
    assert 'href="/browse/?mood=chill"' in client.get("/search/?q=chill").text
    assert 'href="/creators/lumen_fox/"' in client.get("/search/?q=lumen").text
    assert "/tools/" in client.get("/search/?q=mubert").text


def test_browse_and_the_api_match_the_same_words(client):
    TrackFactory(title="Study Tape", genre="lo-fi", moods=["chill"])
    TrackFactory(title="Loud Room", genre="rock", moods=["aggressive"])
    browse = client.get("/browse/?q=lo+fi")
    assert [t.title for t in browse.context["page"].object_list] == ["Study Tape"]
    api = client.get("/api/v1/tracks?q=chill").json()
    assert [t["title"] for t in api["tracks"]] == ["Study Tape"]


def groups(client, q):
    data = client.get("/search/suggest/", {"q": q}).json()
    return {group["label"]: group["items"] for group in data["groups"]}


def test_suggestions_are_grouped_and_link_where_they_belong(client):
    creator = CreatorFactory(display_name="Lumen Fox", handle="lumen_fox")
    tool = ToolFactory(name="Loudly", slug="loudly")
    track = TrackFactory(title="Lucid Loop", creator=creator, tool=tool, genre="lo-fi", moods=[])
    found = groups(client, "lo")
    assert list(found) == ["Tracks", "Tools", "Genres & moods"]  # in this order; none empty
    assert found["Tracks"][0] == {"label": "Lucid Loop", "detail": "Lumen Fox", "url": track.get_absolute_url()}
    assert found["Tools"][0] == {"label": "Loudly", "detail": "AI music tool", "url": f"/tools/{tool.pk}/"}
    assert {"label": "Lo-Fi", "detail": "Genre", "url": "/browse/?genre=lo-fi"} in found["Genres & moods"]
    assert groups(client, "lumen fx")["Creators"] == [
        {"label": "Lumen Fox", "detail": "@lumen_fox", "url": "/creators/lumen_fox/"}]


def test_suggestions_know_moods_spellings_typos_and_tags(client):
    TrackFactory(title="Anything", tags=["workout"], moods=[])
    assert groups(client, "chil")["Genres & moods"][0]["url"] == "/browse/?mood=chill"
    assert groups(client, "lofi")["Genres & moods"][0]["label"] == "Lo-Fi"
    assert groups(client, "synthwaev")["Genres & moods"][0]["label"] == "Synthwave"
    assert groups(client, "workout")["Tags"] == [{"label": "#workout", "detail": "Tag", "url": "/search/?q=workout"}]


def test_creators_without_published_tracks_are_not_suggested(client):
    CreatorFactory(display_name="Quiet Person", handle="quiet_person")
    assert "Creators" not in groups(client, "quiet person")


def test_searching_the_sites_words_stays_bounded(client, django_assert_max_num_queries):
    creator = CreatorFactory(display_name="Lumen Fox")
    TrackFactory.create_batch(30, genre="lo-fi", moods=["chill"], creator=creator, tool=ToolFactory())
    with django_assert_max_num_queries(15):
        client.get("/search/?q=chill+lofi+lumen+fox")
    with django_assert_max_num_queries(8):
        client.get("/search/suggest/?q=lum")
