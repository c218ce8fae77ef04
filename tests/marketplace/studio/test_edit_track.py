"""A creator edits one of their tracks on the studio's edit page or through the API (PATCH/PUT /api/v1/tracks/<id>)."""

import pytest
from django.db import connection

from marketplace.models import Platform, Track
from tests import media_files
from tests.concurrency import at_once
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(client):
    track = TrackFactory(title="Old Title", platform=PlatformFactory())
    client.force_login(track.creator)
    return track


def edit_data(track, **overrides):
    data = {"title": track.title, "artist": track.artist, "genre": track.genre, "moods": track.moods,
            "bpm": track.bpm, "platform": track.platform_id, "purchase_url": track.purchase_url,
            "price": str(track.price), "description": "", "tags": ""}
    data.update(overrides)
    return data


# --- The track changes ------------------------------------------------------------------------

def test_the_edit_form_is_filled_with_the_track(client, track):
    response = client.get(f"/dashboard/tracks/{track.pk}/edit/")
    assert response.status_code == 200
    assert 'value="Old Title"' in response.text


def test_a_creator_renames_and_reprices_a_track(client, track):
    response = client.post(f"/dashboard/tracks/{track.pk}/edit/", edit_data(track, title="New Title", price="4.99"))
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.title == "New Title" and str(track.price) == "4.99"
    assert track.preview_url == "https://cdn.example.test/preview.mp3"  # kept when none is given
    assert "affiliate=aimusicstore" in track.purchase_url


def test_it_lets_the_owner_change_a_track(api, creator):
    track = TrackFactory(creator=creator)
    response = api.patch(f"/api/v1/tracks/{track.pk}", {"title": "Renamed", "price": "4.50", "mood": "dark"},
                         format="json")
    assert response.status_code == 200, response.json()
    track.refresh_from_db()
    assert (track.title, str(track.price), track.moods[0]) == ("Renamed", "4.50", "dark")
    assert response.json()["title"] == "Renamed"


def test_it_replaces_a_track_with_put(api, creator):
    track = TrackFactory(creator=creator)
    payload = {"title": "Fresh", "genre": "ambient", "mood": "chill", "platform": "suno-ai",
               "audio_url": "https://cdn.example.test/fresh.mp3", "purchase_url": "https://suno.com/song/fresh",
               "price": "2.99"}
    response = api.put(f"/api/v1/tracks/{track.pk}", payload, format="json")
    assert response.status_code == 200, response.json()
    track.refresh_from_db()
    assert track.genre == "ambient" and track.purchase_url == "https://suno.com/song/fresh?affiliate=aimusicstore"


def test_a_new_cover_and_preview_replace_the_old_ones(client, track):
    client.post(f"/dashboard/tracks/{track.pk}/edit/",
                edit_data(track, cover=media_files.cover("c.png"), preview_audio=media_files.preview(9, "p.ogg")))
    track.refresh_from_db()
    assert track.cover.name.endswith(".jpg") and track.preview_audio.name.endswith(".ogg")
    assert track.preview_url == "" and track.audio_url == track.preview_audio.url


def test_switching_from_an_uploaded_preview_to_a_url_uses_the_url(client, track):
    client.post(f"/dashboard/tracks/{track.pk}/edit/", edit_data(track, preview_audio=media_files.preview(9)))
    track.refresh_from_db()
    client.post(f"/dashboard/tracks/{track.pk}/edit/", edit_data(track, preview_url="https://cdn.example.test/n.mp3"))
    track.refresh_from_db()
    assert not track.preview_audio and track.audio_url == "https://cdn.example.test/n.mp3"


def test_moving_to_an_other_platform_needs_buy_approval_again(client, track):
    other = Platform.objects.create(name="Other", slug="other", domains=[], requires_approval=True)
    client.post(f"/dashboard/tracks/{track.pk}/edit/",
                edit_data(track, platform=other.pk, purchase_url="https://shop.example/t"))
    track.refresh_from_db()
    assert track.platform == other and track.buy_approved is False


# --- Who may edit -----------------------------------------------------------------------------

def test_nobody_else_can_edit_a_track(client, track):
    client.force_login(CreatorFactory())
    assert client.get(f"/dashboard/tracks/{track.pk}/edit/").status_code == 404
    assert client.post(f"/dashboard/tracks/{track.pk}/edit/", edit_data(track, title="Hijack")).status_code == 404
    track.refresh_from_db()
    assert track.title == "Old Title"


def test_it_forbids_another_key_from_editing_or_deleting(creator):
    track = TrackFactory(creator=creator)
    stranger = client_with(key_for(CreatorFactory()))
    response = stranger.patch(f"/api/v1/tracks/{track.pk}", {"title": "Mine now"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert stranger.delete(f"/api/v1/tracks/{track.pk}").status_code == 403
    track.refresh_from_db()
    assert track.title != "Mine now" and track.status == Track.Status.PUBLISHED


def test_it_requires_a_key_to_edit(anon, creator):
    track = TrackFactory(creator=creator)
    response = anon.patch(f"/api/v1/tracks/{track.pk}", {"title": "x"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    track.refresh_from_db()
    assert track.title != "x"


def test_a_removed_track_cannot_be_edited(client, track):
    Track.objects.filter(pk=track.pk).update(status=Track.Status.REMOVED)
    assert client.get(f"/dashboard/tracks/{track.pk}/edit/").status_code == 404
    assert client.post(f"/dashboard/tracks/{track.pk}/edit/", edit_data(track, title="Back")).status_code == 404
    track.refresh_from_db()
    assert (track.title, track.status) == ("Old Title", Track.Status.REMOVED)


# --- Bad input --------------------------------------------------------------------------------

def test_bad_input_on_edit_is_explained_and_nothing_changes(client, track):
    response = client.post(f"/dashboard/tracks/{track.pk}/edit/",
                           edit_data(track, title="Changed", bpm="999", cover=media_files.truncated_jpeg()))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"bpm", "cover"}
    track.refresh_from_db()
    assert track.title == "Old Title"


def test_it_names_a_bad_field_on_edit(api, creator):
    track = TrackFactory(creator=creator)
    response = api.patch(f"/api/v1/tracks/{track.pk}", {"purchase_url": "https://udio.com/x"}, format="json")
    assert response.status_code == 400
    assert "purchase_url" in response.json()["error"]["fields"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_a_tracks_platform_all_answer_and_one_wins():
    PlatformFactory()
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com", "www.udio.com"])
    creator = CreatorFactory()
    raw = key_for(creator)
    track = TrackFactory(creator=creator)
    bodies = [{"platform": "udio", "purchase_url": "https://www.udio.com/songs/1"},
              {"platform": "suno-ai", "purchase_url": "https://suno.com/song/1"}] * 4

    results, errors = at_once(len(bodies), lambda i: client_with(raw).patch(
        f"/api/v1/tracks/{track.pk}", bodies[i], format="json").status_code,
        setup=iter(range(len(bodies))).__next__)

    assert not errors and results == [200] * len(bodies)
    track.refresh_from_db()
    assert (track.platform_id == udio.pk) == track.purchase_url.startswith("https://www.udio.com/")
    connection.close()
