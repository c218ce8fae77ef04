import pytest

from marketplace.models import Favourite, Track
from tests.factories import TrackFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(signed_in):
    return signed_in(UserFactory())


def test_a_buyer_hearts_a_track_and_sees_it_in_the_account(client, buyer):
    track = TrackFactory(title="Loved Song")
    response = client.post(f"/tracks/{track.pk}/favourite/", {"next": "/browse/"})
    assert response.status_code == 302 and response["Location"] == "/browse/"
    assert Favourite.objects.filter(user=buyer, track=track).exists()
    page = client.get("/account/")
    assert "Loved Song" in page.text
    assert 'aria-label="Remove Loved Song from favourites"' in client.get(track.get_absolute_url()).text


def test_a_second_heart_takes_the_favourite_back(client, buyer):
    track = TrackFactory()
    client.post(f"/tracks/{track.pk}/favourite/")
    client.post(f"/tracks/{track.pk}/favourite/")
    assert not Favourite.objects.exists()


def test_the_heart_answers_htmx_with_the_fresh_button(client, buyer):
    track = TrackFactory(title="Swap Me")
    response = client.post(f"/tracks/{track.pk}/favourite/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.startswith('<form class="fav-form"') and 'aria-pressed="true"' in response.text


def test_every_track_card_carries_a_heart_with_one_query_for_all(client, buyer, django_assert_max_num_queries):
    tracks = [TrackFactory() for _ in range(5)]
    Favourite.objects.create(user=buyer, track=tracks[0])
    response = client.get("/browse/")
    assert response.text.count('class="fav-form"') == 5
    assert response.text.count('aria-pressed="true"') == 1


def test_visitors_are_asked_to_log_in_and_a_get_does_nothing(client):
    track = TrackFactory()
    client.logout()
    assert client.post(f"/tracks/{track.pk}/favourite/").status_code == 302
    assert "Log in to add" in client.get("/browse/").text
    client.force_login(UserFactory())
    assert client.get(f"/tracks/{track.pk}/favourite/").status_code == 405
    assert not Favourite.objects.exists()


def test_an_unknown_or_removed_track_cannot_be_favourited(client, buyer):
    track = TrackFactory(status=Track.Status.REMOVED)
    assert client.post(f"/tracks/{track.pk}/favourite/").status_code == 404
    assert client.post("/tracks/999999/favourite/").status_code == 404
    assert not Favourite.objects.exists()


def test_an_outside_next_url_is_ignored(client, buyer):
    track = TrackFactory()
    response = client.post(f"/tracks/{track.pk}/favourite/", {"next": "https://evil.example/"})
    assert response["Location"] == track.get_absolute_url()
