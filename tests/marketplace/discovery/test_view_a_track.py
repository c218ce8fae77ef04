"""A buyer opens a track page (/tracks/<id>/); an agent reads the track object (/api/v1/tracks/<id>)."""

import json
import re

import pytest

from marketplace.models import Track
from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with
from voting.models import TrackScore, Vote

pytestmark = pytest.mark.django_db


def test_it_renders_the_description_from_markdown_without_raw_html(client):
    track = TrackFactory(description="**Bold** idea\n\n<script>alert(1)</script><img src=x onerror=alert(2)>"
                                     "\n\n[site](javascript:alert(3))")
    response = client.get(track.get_absolute_url())
    assert "<strong>Bold</strong>" in response.text
    assert "<script>alert(1)" not in response.text
    assert "onerror" not in response.text
    assert "javascript:" not in response.text


def test_it_carries_opengraph_twitter_and_music_recording_data(client):
    track = TrackFactory(title="Golden </script> Tides", duration=185, tags=["ocean"])
    response = client.get(track.get_absolute_url())
    assert '<meta property="og:title" content="Golden &lt;/script&gt; Tides by' in response.text
    assert '<meta name="twitter:card"' in response.text
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "MusicRecording"
    assert data["name"] == "Golden </script> Tides"
    assert data["duration"] == "PT3M5S"
    assert data["offers"]["price"] == "1.99"


def test_it_shows_facts_tags_share_links_and_an_actions_area(client):
    track = TrackFactory(bpm=128, duration=200, tags=["synth", "night"], moods=["dark"])
    text = client.get(track.get_absolute_url()).text
    for expected in ["128", "3:20", "#synth", "Dark", "twitter.com/intent/tweet", 'class="track-detail__actions',
                     "data-play"]:
        assert expected in text


def test_a_track_object_has_the_contract_fields(anon):
    track = TrackFactory(moods=["epic", "dark"], price="12.5")
    body = anon.get(f"/api/v1/tracks/{track.pk}").json()
    assert body["price"] == "12.50" and body["mood"] == "epic" and body["moods"] == ["epic", "dark"]
    assert body["platform"] == "Suno AI" and body["score"] == 0 and body["vote_count"] == 0
    assert body["url"].startswith("http://testserver/tracks/")
    expected = {"id", "title", "artist", "genre", "bpm", "audio_url", "cover_url", "purchase_url", "created_at"}
    assert expected <= set(body)


def test_similar_tracks_prefer_the_same_genre_mood_and_tempo(client):
    track = TrackFactory(genre="jazz", moods=["chill"], bpm=90)
    close = TrackFactory(title="Close Cousin", genre="jazz", moods=["chill"], bpm=92)
    TrackFactory(title="Far Relative", genre="jazz", moods=["aggressive"], bpm=180)
    TrackFactory(title="Other Genre", genre="metal", moods=["aggressive"], bpm=180)
    similar = client.get(track.get_absolute_url()).context["similar"]
    assert similar[0] == close
    assert "Other Genre" not in [t.title for t in similar]


def test_similar_tracks_include_what_the_same_voters_liked(client):
    track = TrackFactory(genre="jazz")
    liked_too = TrackFactory(title="Liked Too", genre="metal", moods=[])
    for voter in UserFactory.create_batch(2):
        Vote.objects.create(voter=voter, track=track, value=1)
        Vote.objects.create(voter=voter, track=liked_too, value=1)
    assert liked_too in client.get(track.get_absolute_url()).context["similar"]


def test_it_shows_the_weekly_rank(client):
    track = TrackFactory()
    TrackScore.objects.filter(track=track).update(score_weekly=3, upvotes=3)
    assert "#1 this week" in client.get(track.get_absolute_url()).text


def test_the_track_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    track = TrackFactory()
    TrackFactory.create_batch(20)
    # 8 whatever the catalogue size: similar tracks take three small indexed queries on a cold cache.
    with django_assert_max_num_queries(8):
        client.get(track.get_absolute_url())


# --- Who sees a track --------------------------------------------------------------------------

@pytest.mark.parametrize("status, owner_sees", [
    (Track.Status.PUBLISHED, True), (Track.Status.HIDDEN, True), (Track.Status.PENDING, True),
    (Track.Status.REMOVED, False),
])
def test_page_and_api_agree_on_who_sees_a_track(client, api, creator, status, owner_sees):
    track = TrackFactory(creator=creator, status=status)
    public = status == Track.Status.PUBLISHED

    assert client.get(track.get_absolute_url()).status_code == (200 if public else 404)
    assert client_with().get(f"/api/v1/tracks/{track.pk}").status_code == (200 if public else 404)
    client.force_login(creator)
    assert client.get(track.get_absolute_url()).status_code == (200 if owner_sees else 404)
    assert api.get(f"/api/v1/tracks/{track.pk}").status_code == (200 if owner_sees else 404)
    assert client.get(f"/dashboard/tracks/{track.pk}/edit/").status_code == (200 if owner_sees else 404)
    listed = {row["id"] for row in api.get("/api/v1/me/tracks").json()["tracks"]}
    assert (track.pk in listed) is owner_sees


def test_unknown_tracks_are_not_found(client):
    for path in ("/tracks/999999/", "/tracks/99999999999999999999/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "<title>Not found" in response.text
