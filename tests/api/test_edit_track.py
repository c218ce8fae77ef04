from marketplace.models import Track
from tests.factories import CreatorFactory, TrackFactory
from tests.helpers import client_with, key_for


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
    assert anon.patch(f"/api/v1/tracks/{track.pk}", {"title": "x"}, format="json").status_code == 401


def test_delete_removes_the_track_from_the_store(api, anon, creator):
    track = TrackFactory(creator=creator)
    assert api.delete(f"/api/v1/tracks/{track.pk}").status_code == 204
    track.refresh_from_db()
    assert track.status == Track.Status.REMOVED
    assert anon.get(f"/api/v1/tracks/{track.pk}").status_code == 404
    assert api.get("/api/v1/me/tracks").json()["total"] == 0


def test_it_names_a_bad_field_on_edit(api, creator):
    track = TrackFactory(creator=creator)
    response = api.patch(f"/api/v1/tracks/{track.pk}", {"purchase_url": "https://udio.com/x"}, format="json")
    assert response.status_code == 400
    assert "purchase_url" in response.json()["error"]["fields"]
