"""A public playlist is shared and embedded; a private one is 404 to everyone but its owner;
hidden tracks vanish from playlists."""

import pytest

from marketplace.models import Track
from marketplace.playlists import services
from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(display_name="Curator")


def test_a_private_playlist_is_404_to_everyone_but_its_owner(client, owner):
    private = services.create_playlist(owner, title="Secret picks", is_public=False)
    services.add_track(private, TrackFactory())
    for path in (f"/playlists/{private.pk}/", f"/embed/playlists/{private.pk}/"):
        assert client.get(path).status_code == 404
    assert client_with().get(f"/api/v1/playlists/{private.pk}").status_code == 404
    stranger = client_with(key_for(UserFactory()))
    assert stranger.get(f"/api/v1/playlists/{private.pk}").status_code == 404
    assert stranger.patch(f"/api/v1/playlists/{private.pk}", {"title": "x"}, format="json").status_code == 404
    assert stranger.post(f"/api/v1/playlists/{private.pk}/tracks", {"track_id": TrackFactory().pk},
                         format="json").status_code == 404
    assert private.pk not in [p["id"] for p in stranger.get("/api/v1/playlists").json()["playlists"]]
    client.force_login(UserFactory())
    assert client.get(f"/playlists/{private.pk}/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/playlists/{private.pk}/").status_code == 200
    assert client_with(key_for(owner)).get(f"/api/v1/playlists/{private.pk}").status_code == 200


def test_a_public_playlist_page_has_og_tags_an_embed_and_plays_as_a_queue(client, owner):
    playlist = services.create_playlist(owner, title="Trailer shortlist", description="Big builds")
    for title in ("One", "Two", "Three"):
        services.add_track(playlist, TrackFactory(title=title))
    page = client.get(f"/playlists/{playlist.pk}/").text
    assert '<meta property="og:title" content="Trailer shortlist — by Curator">' in page
    assert '<meta property="og:type" content="music.playlist">' in page
    assert "3 AI music tracks · Big builds" in page
    assert "data-queue" in page and 'aria-label="Play the playlist Trailer shortlist"' in page
    assert f"/embed/playlists/{playlist.pk}/" in page
    embed = client.get(f"/embed/playlists/{playlist.pk}/")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert embed.text.count("data-embed-track") == 3


def test_hidden_tracks_vanish_from_playlists_and_the_track_page_lists_public_ones(client, owner):
    kept, hidden = TrackFactory(title="Kept Song"), TrackFactory(title="Taken Down")
    public = services.create_playlist(owner, title="Open list")
    private = services.create_playlist(owner, title="Closed list", is_public=False)
    for playlist in (public, private):
        services.add_track(playlist, kept)
        services.add_track(playlist, hidden)
    Track.objects.filter(pk=hidden.pk).update(status=Track.Status.HIDDEN)
    page = client.get(f"/playlists/{public.pk}/").text
    assert "Kept Song" in page and "Taken Down" not in page and "1 track" in page
    body = client_with().get(f"/api/v1/playlists/{public.pk}").json()
    assert [i["track"]["title"] for i in body["tracks"]] == ["Kept Song"] and body["track_count"] == 1
    assert "Taken Down" not in client.get(f"/embed/playlists/{public.pk}/").text
    track_page = client.get(kept.get_absolute_url()).text
    assert "Open list" in track_page and "Closed list" not in track_page


def test_the_playlist_page_costs_a_bounded_number_of_queries(client, owner, django_assert_max_num_queries):
    playlist = services.create_playlist(owner, title="Big")
    for _ in range(12):
        services.add_track(playlist, TrackFactory(creator=owner))
    with django_assert_max_num_queries(8):
        assert client.get(f"/playlists/{playlist.pk}/").status_code == 200
