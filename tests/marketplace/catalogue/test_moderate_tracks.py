from marketplace.models import Track
from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with, key_for


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


def test_a_creators_key_is_not_a_staff_key(api, anon):
    track = TrackFactory()
    assert api.get("/api/v1/admin/tracks").status_code == 403
    assert api.delete(f"/api/v1/admin/tracks/{track.pk}").status_code == 403
    assert anon.get("/api/v1/admin/tracks").status_code == 401
