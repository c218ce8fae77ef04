"""Staff suspend a creator: their tracks are hidden, their keys (and their agents') answer 401,
and their votes weigh zero with the scores they touched recomputed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from marketplace.models import Track
from marketplace.moderation import services
from marketplace.moderation.models import ModerationNotice, Report, Suspension
from tests.factories import AgentFactory, CreatorFactory, TrackFactory, UserFactory
from tests.helpers import client_with, key_for
from voting import weights
from voting.models import TrackScore, Vote
from voting.services import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspect():
    return CreatorFactory(date_joined=timezone.now() - timedelta(days=60))


def test_a_suspended_creators_keys_answer_401_and_their_votes_stop_counting(
        django_capture_on_commit_callbacks, suspect):
    agent = AgentFactory(owner=suspect)
    own_track = TrackFactory(creator=suspect)
    liked, agent_liked = TrackFactory(), TrackFactory()
    cast_vote(suspect, liked, 1)
    cast_vote(agent.user, agent_liked, 1)
    assert TrackScore.objects.get(track=liked).score > 0
    raw, agent_raw = key_for(suspect), key_for(agent.user)
    assert client_with(raw).get("/api/v1/me/tracks").status_code == 200  # the key is now cached too
    Report.objects.create(reporter=UserFactory(), target_type="creator", target_id=suspect.pk, reason="spam")

    with django_capture_on_commit_callbacks(execute=True):
        hidden = services.suspend(suspect, "Vote ring", UserFactory(is_staff=True))

    assert hidden == 1
    for key in (raw, agent_raw):
        response = client_with(key).get("/api/v1/me/tracks")
        assert response.status_code == 401 and response.json()["error"]["code"] == "authentication_failed"
    assert set(Vote.objects.filter(voter__in=[suspect, agent.user]).values_list("weight", flat=True)) == {0.0}
    assert TrackScore.objects.get(track=liked).score == 0
    assert TrackScore.objects.get(track=agent_liked).score == 0
    own_track.refresh_from_db()
    assert own_track.status == Track.Status.HIDDEN and "Vote ring" in own_track.moderation_reason
    assert not User.objects.get(pk=suspect.pk).is_active
    assert Suspension.objects.get(user=suspect).reason == "Vote ring"
    assert Report.objects.get().status == Report.Status.ACTIONED
    assert ModerationNotice.objects.get(creator=suspect).kind == "suspended"
    assert mail.outbox[-1].to == [suspect.email]


def test_a_suspended_principal_weighs_zero_whatever_its_standing():
    standing = weights.Standing(1, timezone.now() - timedelta(days=90), 50.0, True, active=False)
    assert weights.weight_for(standing) == 0.0
    assert weights.weight_for(weights.Standing(1, standing.joined, 50.0, True)) > 0


def test_a_suspended_creator_cannot_sign_in(client, suspect):
    services.suspend(suspect, "Impersonation", UserFactory(is_staff=True))
    response = client.post("/accounts/login/", {"login": suspect.email, "password": "correct-horse-42"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_suspending_needs_a_reason_and_spares_staff(suspect):
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError) as refused:
        services.suspend(suspect, "", staff)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.suspend(UserFactory(is_staff=True), "no", staff)
    assert User.objects.get(pk=suspect.pk).is_active
