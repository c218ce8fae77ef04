"""A creator deletes one of their tracks from the studio or through the API (DELETE /api/v1/tracks/<id>)."""

import pytest

from marketplace.models import Sale, Track
from marketplace.purchases import services
from tests.factories import CreatorFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(own_track_titled):
    return own_track_titled("Gone Soon")


def test_a_deleted_track_is_hidden_from_the_public_at_once(client, track):
    response = client.post(f"/dashboard/tracks/{track.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    track.refresh_from_db()
    assert track.status == Track.Status.REMOVED
    client.logout()
    assert client.get(track.get_absolute_url()).status_code == 404
    assert "Gone Soon" not in client.get("/browse/").text
    assert "Gone Soon" not in client.get(f"/creators/{track.creator.handle}/").text


def test_delete_removes_the_track_from_the_store(api, anon, creator):
    track = TrackFactory(creator=creator)
    assert api.delete(f"/api/v1/tracks/{track.pk}").status_code == 204
    track.refresh_from_db()
    assert track.status == Track.Status.REMOVED
    assert anon.get(f"/api/v1/tracks/{track.pk}").status_code == 404
    assert api.get("/api/v1/me/tracks").json()["total"] == 0


def test_a_deleted_track_keeps_its_sales(client, track):
    sale, _ = services.record_sale(track, "order-1", "1.99")
    client.post(f"/dashboard/tracks/{track.pk}/delete/")
    assert Sale.objects.filter(pk=sale.pk, track=track).exists()
    assert track.creator.ledger.count() == 1


def test_a_deleted_track_leaves_the_studio_list(client, track):
    response = client.post(f"/dashboard/tracks/{track.pk}/delete/", follow=True)
    assert "“Gone Soon” was deleted" in response.text
    assert [t.title for t in response.context["tracks"]] == []


def test_deleting_asks_first_and_a_get_changes_nothing(client, track):
    response = client.get(f"/dashboard/tracks/{track.pk}/delete/")
    assert "sales history are kept" in response.text
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED


def test_nobody_else_can_delete_a_track(client, track):
    client.force_login(CreatorFactory())
    assert client.post(f"/dashboard/tracks/{track.pk}/delete/").status_code == 404
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED
