"""Races and outside failures a user can trigger: a vote and its withdrawal at once, mail down, rotating browsers."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Follow, User
from marketplace.catalogue.tasks import email_followers_about_track
from marketplace.models import TrackDailyStats
from tests.concurrency import at_once
from tests.factories import TrackFactory, UserFactory
from voting.models import TrackScore, Vote
from voting.services import cast_vote


@pytest.mark.django_db(transaction=True)
def test_one_voters_votes_and_withdrawals_at_once_never_raise():
    voter = UserFactory(date_joined=timezone.now() - timedelta(days=90), tier=User.Tier.ENTERPRISE)
    track = TrackFactory()
    values = iter([1, 0] * 32)
    _, errors = at_once(64, lambda value: cast_vote(voter, track, value), setup=lambda: next(values))
    assert errors == []
    votes = Vote.objects.filter(track=track).count()
    assert votes in (0, 1)
    assert TrackScore.objects.get(track=track).upvotes == votes


@pytest.mark.django_db
def test_sign_up_works_when_the_mail_server_is_unreachable(client, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    response = client.post("/accounts/signup/", {"email": "new@example.test", "password1": "a-long-pass-phrase-42",
                                                 "password2": "a-long-pass-phrase-42"})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert User.objects.filter(email="new@example.test").exists()


@pytest.mark.django_db
def test_a_line_break_in_a_title_does_not_stop_the_follower_email():
    track = TrackFactory(title="Neon\r\nBcc: everyone@example.test")
    Follow.objects.create(follower=UserFactory(), creator=track.creator)
    assert email_followers_about_track(track.pk) == 1
    assert "\n" not in mail.outbox[0].subject and mail.outbox[0].subject.endswith("Neon Bcc: everyone@example.test")
    assert mail.outbox[0].bcc == []


@pytest.mark.django_db
def test_rotating_the_user_agent_or_dropping_cookies_does_not_inflate_plays():
    track = TrackFactory()
    url = f"/listen/tracks/{track.pk}/play/"
    keeper = Client()
    for n in range(10):
        keeper.post(url, HTTP_USER_AGENT=f"Browser {n}")  # one listener with our cookie: once
    for n in range(20):
        Client().post(url, HTTP_USER_AGENT=f"Bot {n}")  # a fresh cookie each time, one address
    assert TrackDailyStats.objects.get(track=track).plays == 5  # 1 + at most 4 more new listeners from that address
