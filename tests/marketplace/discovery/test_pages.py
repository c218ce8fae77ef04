import pytest

from marketplace.models import Track
from tests.factories import TrackFactory
from voting.services import recompute_scores

pytestmark = pytest.mark.django_db


def test_home_lists_new_releases_from_the_database(client):
    TrackFactory(title="Neon Orbit")
    response = client.get("/")
    assert response.status_code == 200
    assert "Neon Orbit" in response.text


def test_home_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    TrackFactory.create_batch(20)
    recompute_scores()
    with django_assert_max_num_queries(8):
        client.get("/")


def test_track_page_shows_the_track_and_canonicalises_its_slug(client):
    track = TrackFactory(title="Golden Tides")
    response = client.get(f"/tracks/{track.pk}/wrong-slug/")
    assert response.status_code == 301
    assert response["Location"] == f"/tracks/{track.pk}/golden-tides/"
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "Golden Tides" in response.text


def test_a_hidden_track_is_not_found(client):
    track = TrackFactory(title="Kept Quiet", status=Track.Status.HIDDEN)
    response = client.get(f"/tracks/{track.pk}/")
    assert response.status_code == 404
    assert "Kept Quiet" not in response.text and "<title>Not found" in response.text


def test_an_unknown_top_period_is_not_found(client):
    response = client.get("/top/yearly/")
    assert response.status_code == 404
    assert "<title>Not found" in response.text


@pytest.mark.parametrize("path", ["/trending/", "/top/", "/top/daily/", "/top/alltime/", "/browse/"])
def test_navigation_pages_answer(client, path):
    TrackFactory(title="Signpost Song")
    recompute_scores()
    response = client.get(path)
    assert response.status_code == 200
    assert "Signpost Song" in response.text


def test_browse_filters_by_genre_and_ignores_junk(client):
    TrackFactory(title="Jazz Cat", genre="jazz")
    TrackFactory(title="Techno Dog", genre="techno")
    response = client.get("/browse/?genre=jazz")
    assert "Jazz Cat" in response.text and "Techno Dog" not in response.text
    for junk in ["?bpm_min=fast", "?sort=sideways", "?page=999999", "?genre=" + "x" * 10_000, "?price_max=-1e99"]:
        assert client.get("/browse/" + junk).status_code in (200, 400, 404)
