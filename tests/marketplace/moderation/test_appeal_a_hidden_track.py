"""A creator sees why a track was hidden and appeals once; staff grant or uphold; the decision is emailed and shown."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from marketplace.models import Track
from marketplace.moderation import services
from marketplace.moderation.models import Appeal
from tests.factories import TrackFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(own_track_titled):
    track = own_track_titled("Contested")
    services.hide(track, "Sounds like a famous song", UserFactory(is_staff=True))
    return track


def test_a_creator_appeals_once(client, hidden):
    page = client.get(f"/dashboard/tracks/{hidden.pk}/appeal/")
    assert page.status_code == 200 and "Sounds like a famous song" in page.text
    first = client.post(f"/dashboard/tracks/{hidden.pk}/appeal/", {"note": "It is my own melody"})
    assert first.status_code == 302 and first.url == "/dashboard/"
    again = client.post(f"/dashboard/tracks/{hidden.pk}/appeal/", {"note": "Please"})
    assert again.status_code == 400 and "appealed once" in again.text
    appeal = Appeal.objects.get()
    assert (appeal.note, appeal.hidden_reason, appeal.status) == ("It is my own melody", "Sounds like a famous song",
                                                                  "open")
    assert "Waiting for a decision" in client.get("/dashboard/").text


def test_an_empty_appeal_shows_beside_the_field(client, hidden):
    response = client.post(f"/dashboard/tracks/{hidden.pk}/appeal/", {"note": " "})
    assert response.status_code == 400 and "This field is required" in response.text
    assert not Appeal.objects.exists()


def test_only_a_hidden_track_of_ones_own_can_be_appealed(client, own_track_titled):
    live = own_track_titled("Live")
    response = client.post(f"/dashboard/tracks/{live.pk}/appeal/", {"note": "why not"})
    assert response.status_code == 400 and "Only a hidden track" in response.text
    someone_elses = TrackFactory(status=Track.Status.HIDDEN)
    assert client.post(f"/dashboard/tracks/{someone_elses.pk}/appeal/", {"note": "x"}).status_code == 404
    assert not Appeal.objects.exists()


def test_granting_an_appeal_restores_the_track_and_emails_the_creator(django_capture_on_commit_callbacks, client,
                                                                       hidden):
    appeal = services.appeal(hidden.creator, hidden, "Mine")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_appeal(appeal, UserFactory(is_staff=True), grant=True, note="Checked: original work")
    hidden.refresh_from_db()
    assert hidden.status == Track.Status.PUBLISHED
    assert "Your appeal was granted" in mail.outbox[-1].body and mail.outbox[-1].to == [hidden.creator.email]
    assert "Checked: original work" in client.get("/dashboard/").text


def test_upholding_keeps_it_hidden_and_a_decision_is_final(django_capture_on_commit_callbacks, client, hidden):
    appeal = services.appeal(hidden.creator, hidden, "Mine")
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_appeal(appeal, staff, grant=False, note="Matches the claimed work")
    hidden.refresh_from_db()
    assert hidden.status == Track.Status.HIDDEN
    assert "upheld" in mail.outbox[-1].body
    with pytest.raises(ValidationError) as refused:
        services.decide_appeal(appeal, staff, grant=True)
    assert "decision" in refused.value.message_dict
    dashboard = client.get("/dashboard/").text
    assert "Upheld: the track stays hidden" in dashboard and "Matches the claimed work" in dashboard
