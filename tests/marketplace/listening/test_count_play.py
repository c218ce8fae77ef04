from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.listening import services
from marketplace.models import PlayEvent, Track, TrackDailyStats
from tests.factories import TrackFactory, UserFactory

pytestmark = pytest.mark.django_db


def plays(track):
    return sum(TrackDailyStats.objects.filter(track=track).values_list("plays", flat=True))


def test_it_counts_a_play_once_per_listener_per_day(client):
    track = TrackFactory()

    first = client.post(f"/listen/tracks/{track.pk}/play/")
    second = client.post(f"/listen/tracks/{track.pk}/play/")

    assert first.status_code == 200 and first.json() == {"counted": True}
    assert second.json() == {"counted": False}
    assert PlayEvent.objects.filter(track=track).count() == 1
    assert plays(track) == 1


def test_each_listener_counts_separately(client):
    from django.test import Client

    track = TrackFactory()
    Client().post(f"/listen/tracks/{track.pk}/play/", HTTP_USER_AGENT="Browser A")
    Client().post(f"/listen/tracks/{track.pk}/play/", HTTP_USER_AGENT="Browser B")
    client.force_login(UserFactory())
    client.post(f"/listen/tracks/{track.pk}/play/")
    client.post(f"/listen/tracks/{track.pk}/play/")

    assert plays(track) == 3


def test_the_same_listener_counts_again_the_next_day():
    track = TrackFactory()
    today = timezone.localdate()
    assert services.record_play(track, "u:1", day=today)
    assert services.record_play(track, "u:1", day=today + timedelta(days=1))
    assert not services.record_play(track, "u:1", day=today)
    assert plays(track) == 2


def test_it_needs_no_csrf_token_so_embeds_can_count(client):
    from django.test import Client

    track = TrackFactory()
    response = Client(enforce_csrf_checks=True).post(f"/listen/tracks/{track.pk}/play/")
    assert response.json() == {"counted": True}


def test_it_rejects_get(client):
    track = TrackFactory()
    assert client.get(f"/listen/tracks/{track.pk}/play/").status_code == 405
    assert plays(track) == 0


def test_an_unknown_or_hidden_track_is_a_404_naming_the_id(client):
    hidden = TrackFactory(status=Track.Status.HIDDEN)
    for pk in (hidden.pk, 987654):
        response = client.post(f"/listen/tracks/{pk}/play/")
        assert response.status_code == 404
        assert "id" in response.json()["error"]["fields"]
    assert PlayEvent.objects.count() == 0


def test_counting_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    track = TrackFactory()
    # The day's first play also creates the stats row; a repeat is a lookup and a conflict.
    with django_assert_max_num_queries(13):
        client.post(f"/listen/tracks/{track.pk}/play/")
    with django_assert_max_num_queries(8):
        client.post(f"/listen/tracks/{track.pk}/play/")
