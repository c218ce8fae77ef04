"""A member builds a playlist: create it, save tracks from cards and the track page, reorder, remove, delete."""

import pytest

from marketplace.playlists import services
from marketplace.playlists.models import Playlist, PlaylistItem
from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


def order_of(playlist):
    return list(PlaylistItem.objects.filter(playlist=playlist).order_by("position")
                .values_list("track__title", flat=True))


@pytest.fixture
def member(signed_in):
    return signed_in(UserFactory(display_name="Cutter"))


def test_a_member_creates_a_playlist_and_saves_tracks_from_cards_and_the_track_page(client, member):
    first, second = TrackFactory(title="Opening Shot"), TrackFactory(title="Second Act")
    response = client.post("/playlists/", {"title": "Spring reel", "description": "Cuts", "is_public": "on"})
    playlist = Playlist.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/playlists/{playlist.pk}/"
    browse = client.get("/browse/").text
    assert "Add Opening Shot to Spring reel" in browse  # every card's menu lists the member's playlists
    assert "Add Opening Shot to Spring reel" in client.get(first.get_absolute_url()).text
    saved = client.post("/playlists/add/", {"track": first.pk, "playlist": playlist.pk}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "Saved to" in saved.text
    again = client.post("/playlists/add/", {"track": first.pk, "playlist": playlist.pk}, HTTP_HX_REQUEST="true")
    assert "already there" in again.text
    plain = client.post("/playlists/add/", {"track": second.pk, "playlist": playlist.pk, "next": "/browse/"})
    assert plain.status_code == 302 and plain["Location"] == "/browse/"
    assert order_of(playlist) == ["Opening Shot", "Second Act"]


def test_the_menu_starts_a_new_playlist_with_the_track(client, member):
    track = TrackFactory(title="Seed Track")
    response = client.post("/playlists/add/", {"track": track.pk, "new_title": "Fresh list"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    playlist = Playlist.objects.get(owner=member)
    assert playlist.title == "Fresh list" and order_of(playlist) == ["Seed Track"]
    blank = client.post("/playlists/add/", {"track": track.pk, "new_title": "  "}, HTTP_HX_REQUEST="true")
    assert blank.status_code == 400 and 'class="field__error"' in blank.text


def test_bad_input_is_a_message_not_a_500(client, member):
    assert client.post("/playlists/", {"title": ""}).status_code == 400
    assert "field__error" in client.post("/playlists/", {"title": ""}).text
    assert client.post("/playlists/add/", {"track": "junk"}).status_code == 404
    assert client.post("/playlists/add/", {"track": 999999, "new_title": "x"}).status_code == 404
    theirs = services.create_playlist(UserFactory(), title="Not yours")
    track = TrackFactory()
    assert client.post("/playlists/add/", {"track": track.pk, "playlist": theirs.pk}).status_code == 404
    assert not PlaylistItem.objects.exists()


def test_order_survives_reorders_from_the_page_and_the_api(client, member):
    playlist = services.create_playlist(member, title="Order")
    tracks = {name: TrackFactory(title=name) for name in "ABCDE"}
    for track in tracks.values():
        services.add_track(playlist, track)
    assert order_of(playlist) == list("ABCDE")
    client.post(f"/playlists/{playlist.pk}/tracks/{tracks['E'].pk}/move/", {"position": 0})
    client.post(f"/playlists/{playlist.pk}/tracks/{tracks['A'].pk}/move/", {"position": 4})
    assert order_of(playlist) == list("EBCDA")
    api = client_with(key_for(member))
    moved = api.post(f"/api/v1/playlists/{playlist.pk}/tracks", {"track_id": tracks["C"].pk, "position": 1},
                     format="json")
    assert moved.status_code == 200
    assert [i["track"]["title"] for i in moved.json()["tracks"]] == list("ECBDA")
    added = api.post(f"/api/v1/playlists/{playlist.pk}/tracks", {"track_id": TrackFactory(title="F").pk,
                                                                   "position": 2}, format="json")
    assert added.status_code == 201 and [i["position"] for i in added.json()["tracks"]] == [0, 1, 2, 3, 4, 5]
    assert api.delete(f"/api/v1/playlists/{playlist.pk}/tracks/{tracks['B'].pk}").status_code == 204
    client.post(f"/playlists/{playlist.pk}/tracks/{tracks['D'].pk}/remove/")
    assert order_of(playlist) == list("ECFA")
    assert list(PlaylistItem.objects.filter(playlist=playlist).order_by("position")
                .values_list("position", flat=True)) == [0, 1, 2, 3]
    page = client.get(f"/playlists/{playlist.pk}/").text
    assert [page.index(f">{name}</a>") for name in "ECFA"] == sorted(page.index(f">{name}</a>") for name in "ECFA")


def test_the_api_creates_reads_edits_and_deletes_playlists(anon):
    owner = UserFactory(display_name="Agent Smith")
    api = client_with(key_for(owner))
    created = api.post("/api/v1/playlists", {"title": "For the video", "is_public": False}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["title"], body["is_public"], body["tracks"], body["embed_url"]) == ("For the video", False, [], None)
    pk = body["id"]
    assert api.patch(f"/api/v1/playlists/{pk}", {"is_public": True, "description": "Shortlist"},
                     format="json").json()["is_public"] is True
    listed = anon.get("/api/v1/playlists").json()
    assert listed["total"] == 1 and listed["playlists"][0]["owner"]["name"] == "Agent Smith"
    stranger = client_with(key_for(UserFactory()))
    assert stranger.patch(f"/api/v1/playlists/{pk}", {"title": "mine now"}, format="json").status_code == 403
    assert stranger.delete(f"/api/v1/playlists/{pk}").status_code == 403
    assert anon.post("/api/v1/playlists", {"title": "x"}, format="json").status_code == 401
    missing = api.post(f"/api/v1/playlists/{pk}/tracks", {"track_id": 999999}, format="json")
    assert missing.status_code == 404 and "track_id" in missing.json()["error"]["fields"]
    bad = api.post(f"/api/v1/playlists/{pk}/tracks", {"track_id": TrackFactory().pk, "position": -1}, format="json")
    assert bad.status_code == 400 and "position" in bad.json()["error"]["fields"]
    assert api.post("/api/v1/playlists", {"title": ""}, format="json").json()["error"]["fields"].keys() == {"title"}
    assert api.delete(f"/api/v1/playlists/{pk}").status_code == 204
    assert not Playlist.objects.exists()


def test_the_owner_edits_and_deletes_a_playlist_on_its_page(client, member):
    playlist = services.create_playlist(member, title="Draft")
    response = client.post(f"/playlists/{playlist.pk}/edit/", {"title": "Final", "description": "", "is_public": ""})
    assert response.status_code == 302
    playlist.refresh_from_db()
    assert (playlist.title, playlist.is_public) == ("Final", False)
    assert client.post(f"/playlists/{playlist.pk}/edit/", {"title": ""}).status_code == 400
    other = services.create_playlist(UserFactory(), title="Theirs")
    assert client.post(f"/playlists/{other.pk}/delete/").status_code == 404
    assert client.post(f"/playlists/{playlist.pk}/delete/").status_code == 302
    assert list(Playlist.objects.values_list("title", flat=True)) == ["Theirs"]


def test_the_player_fetches_a_menu_for_the_track_playing(client, member):
    services.create_playlist(member, title="From the player")
    track = TrackFactory(title="Now Playing")
    menu = client.get(f"/playlists/menu/?track={track.pk}")
    assert menu.status_code == 200 and "Add Now Playing to From the player" in menu.text
    assert client.get("/playlists/menu/?track=junk").status_code == 404
    client.logout()
    assert "Log in to save tracks to playlists" in client.get(f"/playlists/menu/?track={track.pk}").text


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_keep_one_gapless_order():
    from tests.concurrency import at_once

    owner = UserFactory()
    playlist = services.create_playlist(owner, title="Race")
    tracks = [TrackFactory(creator=owner) for _ in range(8)]
    queue = iter(tracks)
    results, errors = at_once(8, lambda track: services.add_track(playlist, track), setup=lambda: next(queue))
    assert not errors and results == [True] * 8
    positions = list(PlaylistItem.objects.filter(playlist=playlist).order_by("position")
                     .values_list("position", flat=True))
    assert positions == list(range(8))
