from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from tests.factories import AgentFactory, TrackFactory, UserFactory
from voting import detection, tasks
from voting.admin import VoteAdmin
from voting.models import ReputationEvent, TrackScore, Vote
from voting.services import cast_vote

pytestmark = pytest.mark.django_db


def young_ring(size):
    return [UserFactory(date_joined=timezone.now() - timedelta(hours=30)) for _ in range(size)]


def test_a_ring_of_young_accounts_is_flagged_and_stops_counting():
    targets = TrackFactory.create_batch(5)
    for member in young_ring(6):
        for track in targets:
            cast_vote(member, track, 1)
    # Accounts a day old weigh nothing yet: their votes are stored, held at 0 and out of the counts.
    assert TrackScore.objects.get(track=targets[0]).score == 0
    counts = detection.detect_abuse()
    assert counts["ring"] == 30
    assert set(Vote.objects.values_list("status", flat=True)) == {Vote.Status.SUSPECTED}
    assert "lockstep group" in Vote.objects.first().flag_reason
    score = TrackScore.objects.get(track=targets[0])
    assert score.score == 0 and score.upvotes == 0  # flagged votes are out of the public counts too


def test_a_ring_of_aged_accounts_voting_in_step_is_flagged_and_leaves_score_and_counts():
    targets = TrackFactory.create_batch(4)
    aged = [UserFactory(date_joined=timezone.now() - timedelta(days=60)) for _ in range(5)]
    for member in aged:
        for track in targets:
            cast_vote(member, track, 1)
    assert TrackScore.objects.get(track=targets[0]).upvotes == 5
    assert detection.detect_abuse()["ring"] == 20
    score = TrackScore.objects.get(track=targets[0])
    assert (score.score, score.upvotes, score.trending, score.score_weekly) == (0, 0, 0, 0)


def test_young_accounts_voting_independently_are_not_a_ring():
    tracks = TrackFactory.create_batch(12)
    for i, member in enumerate(young_ring(6)):
        for track in tracks[2 * i: 2 * i + 3]:
            cast_vote(member, track, 1)
    assert detection.detect_abuse()["ring"] == 0


def test_serial_voting_on_one_creators_tracks_is_flagged(voter):
    creator = UserFactory()
    tracks = TrackFactory.create_batch(10, creator=creator)
    voter.tier = User.Tier.ENTERPRISE
    for track in tracks:
        cast_vote(voter, track, -1)
    assert detection.detect_abuse()["serial"] == 10
    assert "serial voting" in Vote.objects.first().flag_reason


def test_one_owners_agents_voting_together_are_flagged():
    track = TrackFactory()
    owner = UserFactory(date_joined=timezone.now() - timedelta(days=60))
    for _ in range(3):
        cast_vote(AgentFactory(owner=owner, user__date_joined=owner.date_joined).user, track, 1)
    assert detection.detect_abuse()["agent_ring"] == 3


def test_a_velocity_spike_flags_the_young_accounts_in_it(voter):
    track = TrackFactory()
    old = timezone.now() - timedelta(days=90)
    for _ in range(18):
        cast_vote(UserFactory(date_joined=old), track, 1)
    young = [UserFactory(date_joined=timezone.now() - timedelta(days=2)) for _ in range(3)]
    for user in young:
        cast_vote(user, track, 1)
    assert detection.detect_abuse()["spike"] == 3
    assert set(Vote.objects.filter(status=Vote.Status.SUSPECTED).values_list("voter", flat=True)) == {
        u.pk for u in young
    }


def moderate(action, votes):
    staff = UserFactory(is_staff=True, is_superuser=True)
    request = RequestFactory().post("/admin/voting/vote/")
    request.user = staff
    request._messages = type("Messages", (), {"add": lambda *a, **k: None})()
    getattr(VoteAdmin(Vote, site), action)(request, votes)


def test_a_moderator_clearing_a_flag_makes_the_vote_count_again(voter):
    track = TrackFactory()
    cast_vote(voter, track, 1)
    Vote.objects.update(status=Vote.Status.SUSPECTED)
    tasks.recompute_scores()
    assert TrackScore.objects.get(track=track).score == 0
    moderate("clear", Vote.objects.all())
    assert TrackScore.objects.get(track=track).score > 0


def test_confirmed_abuse_costs_reputation_and_reweighs_the_voters_other_votes(voter):
    flagged, other = TrackFactory(), TrackFactory()
    cast_vote(voter, flagged, 1)
    cast_vote(voter, other, 1)
    before = TrackScore.objects.get(track=other).score
    Vote.objects.filter(track=flagged).update(status=Vote.Status.SUSPECTED, flag_reason="vote ring: test")
    moderate("confirm_abuse", Vote.objects.filter(track=flagged))
    event = ReputationEvent.objects.get(user=voter)
    assert event.delta < 0 and "vote ring" in event.reason and event.source.startswith("moderator:")
    voter.refresh_from_db()
    assert voter.reputation == event.delta
    assert 0 < TrackScore.objects.get(track=other).score < before
    assert TrackScore.objects.get(track=flagged).score == 0


def test_agreeing_with_the_later_consensus_raises_reputation_and_weight():
    track = TrackFactory()
    old = timezone.now() - timedelta(days=90)
    agreeing = UserFactory(date_joined=old)
    others = [UserFactory(date_joined=old) for _ in range(5)]
    for user in [agreeing, *others]:
        cast_vote(user, track, 1)
    Vote.objects.update(created_at=timezone.now() - timedelta(days=10))
    tasks.recompute_scores()
    weight_before = Vote.objects.get(voter=agreeing).weight
    tasks.reward_consensus()
    agreeing.refresh_from_db()
    assert agreeing.reputation == pytest.approx(0.2)
    assert ReputationEvent.objects.get(user=agreeing).source == "consensus"
    assert Vote.objects.get(voter=agreeing).weight > weight_before
    tasks.reward_consensus()  # idempotent
    assert ReputationEvent.objects.filter(user=agreeing).count() == 1
