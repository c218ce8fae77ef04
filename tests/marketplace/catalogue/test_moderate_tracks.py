"""Staff moderate tracks: the API's /admin/tracks and the admin's actions, which reach visitors' pages at once."""

import pytest

from marketplace.models import Track
from tests.factories import PlatformFactory, TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


def staff_client():
    return client_with(key_for(UserFactory(is_staff=True)))


def test_staff_list_every_track_whatever_its_status(db):
    TrackFactory(status=Track.Status.HIDDEN)
    TrackFactory()
    body = staff_client().get("/api/v1/admin/tracks?status=hidden").json()
    assert body["total"] == 1 and body["tracks"][0]["status"] == "hidden"


def test_staff_take_a_track_down(db, anon):
    track = TrackFactory()
    assert staff_client().delete(f"/api/v1/admin/tracks/{track.pk}").status_code == 204
    track.refresh_from_db()
    assert track.status == Track.Status.HIDDEN
    assert anon.get(f"/api/v1/tracks/{track.pk}").status_code == 404


def test_hiding_a_track_in_the_admin_takes_it_off_stored_visitor_pages_at_once(client, admin_client):
    track = TrackFactory(title="Soon Hidden")
    assert "Soon Hidden" in client.get("/browse/").text  # now stored for signed-out visitors
    assert client.get(track.get_absolute_url()).status_code == 200

    response = admin_client.post("/admin/marketplace/track/", {
        "action": "hide", "_selected_action": [track.pk], "confirm": "1", "reason": "Spam",
    })

    assert response.status_code == 302
    track.refresh_from_db()
    assert track.status == Track.Status.HIDDEN
    assert "Soon Hidden" not in client.get("/browse/").text
    assert client.get(track.get_absolute_url()).status_code == 404


def test_approving_a_link_in_the_admin_shows_the_buy_button_to_visitors_at_once(client, admin_client):
    other = PlatformFactory(name="Other", slug="other", domains=[], requires_approval=True)
    track = TrackFactory(title="Awaiting", platform=other, purchase_url="https://music.example/x", buy_approved=False)
    assert f'/tracks/{track.pk}/buy/' not in client.get(track.get_absolute_url()).text

    admin_client.post("/admin/marketplace/track/", {"action": "approve_buy", "_selected_action": [track.pk]})

    assert f'/tracks/{track.pk}/buy/' in client.get(track.get_absolute_url()).text


def test_a_creators_key_is_not_a_staff_key(api, anon):
    track = TrackFactory()
    listing = api.get("/api/v1/admin/tracks")
    assert listing.status_code == 403 and listing.json()["error"]["code"] == "permission_denied"
    takedown = api.delete(f"/api/v1/admin/tracks/{track.pk}")
    assert takedown.status_code == 403 and takedown.json()["error"]["code"] == "permission_denied"
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED
    anonymous = anon.get("/api/v1/admin/tracks")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_authenticated"
