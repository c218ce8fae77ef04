"""A key may vote, publish or register agents only once its person's email is verified; the waitlist
and sign-up answers do not tell whether an address is known."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from tests.factories import AgentFactory, CreatorFactory, PlatformFactory, TrackFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db
TRACK = {"title": "Unverified Upload", "genre": "electronic", "mood": "energetic", "platform": "Suno AI",
         "audio_url": "https://cdn.example/a.mp3", "purchase_url": "https://suno.com/song/x", "price": "1.99"}


@pytest.fixture
def unverified():
    user = CreatorFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    return client_with(key_for(user))


def assert_asks_to_verify(response):
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "email_unverified" and "Verify your email address" in error["message"]


def test_an_unverified_key_cannot_vote(unverified):
    track = TrackFactory()
    assert_asks_to_verify(unverified.post("/api/v1/votes", {"target_type": "track", "target_id": track.pk,
                                                              "vote": 1}, format="json"))
    assert not track.votes.exists()


def test_an_unverified_key_cannot_publish_but_may_read(unverified):
    PlatformFactory(name="Suno AI", slug="suno-ai", domains=["suno.com"])
    assert_asks_to_verify(unverified.post("/api/v1/tracks", TRACK, format="json"))
    assert unverified.get("/api/v1/me/tracks").status_code == 200


def test_an_unverified_key_cannot_register_agents(unverified):
    assert_asks_to_verify(unverified.post("/api/v1/agents/register", {"name": "Spammer"}, format="json"))


def test_an_agent_of_an_unverified_owner_cannot_vote():
    agent = AgentFactory()
    EmailAddress.objects.filter(user=agent.owner).update(verified=False)
    track = TrackFactory()
    response = client_with(key_for(agent.user)).post(
        "/api/v1/votes", {"target_type": "track", "target_id": track.pk, "vote": 1}, format="json")
    assert_asks_to_verify(response)


def test_signing_up_through_the_api_emails_a_verification_link(anon):
    response = anon.post("/api/v1/auth/register", {"email": "new@example.test", "password": "a-long-unusual-pass-93"},
                         format="json")
    assert response.status_code == 201
    user = User.objects.get(email="new@example.test")
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1 and "new@example.test" in mail.outbox[0].to


def test_the_waitlist_answers_alike_for_a_known_and_a_new_address(anon):
    known = anon.post("/api/v1/waitlist", {"email": "fan@example.test"}, format="json")
    again = anon.post("/api/v1/waitlist", {"email": "fan@example.test"}, format="json")
    assert (known.status_code, known.json()) == (again.status_code, again.json())


def test_the_web_sign_up_answers_alike_for_a_taken_address(client):
    CreatorFactory(email="taken@example.test")
    form = {"email": "taken@example.test", "password1": "a-long-unusual-pass-93", "password2": "a-long-unusual-pass-93"}
    taken = client.post("/accounts/signup/", form, follow=True)
    fresh = client.post("/accounts/signup/", {**form, "email": "fresh@example.test"}, follow=True)
    assert taken.redirect_chain[-1][0] == fresh.redirect_chain[-1][0]
    assert "already" not in taken.text.lower()
