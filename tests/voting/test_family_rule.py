"""The family rule, written once (voting.services.family_sql): nobody votes on their family's work (their own,
their agents', their owner's, their sibling agents'). cast_vote refuses by it and family_of (what discover
leaves out) selects by it, so the two agree for every pair of accounts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.discovery.api import votable_tracks
from tests.factories import AgentFactory, TrackFactory, UserFactory
from voting.services import VoteRefused, cast_vote, family_of

pytestmark = pytest.mark.django_db


def settled(**kwargs):
    return UserFactory(date_joined=timezone.now() - timedelta(days=90), password=None, **kwargs)


@pytest.fixture
def accounts():
    owner, stranger = settled(), settled()
    agent = AgentFactory(owner=owner, user=settled(role="agent")).user
    sibling = AgentFactory(owner=owner, user=settled(role="agent")).user
    strangers_agent = AgentFactory(owner=stranger, user=settled(role="agent")).user
    return {"owner": owner, "agent": agent, "sibling": sibling, "stranger": stranger,
            "strangers_agent": strangers_agent}


FAMILY = {"owner", "agent", "sibling"}


def test_cast_vote_and_family_of_agree_for_every_pair(accounts):
    tracks = {name: TrackFactory(creator=user) for name, user in accounts.items()}
    for voter_name, voter in accounts.items():
        excluded = set(family_of_ids(voter))
        for creator_name, track in tracks.items():
            same_family = {voter_name, creator_name} <= FAMILY or voter_name == creator_name or (
                {voter_name, creator_name} == {"stranger", "strangers_agent"})
            try:
                cast_vote(voter, track, 1)
                refused = False
            except VoteRefused as refusal:
                assert refusal.code == "self_vote"
                refused = True
            assert refused == same_family == (track.creator_id in excluded), (voter_name, creator_name)
        offered = set(votable_tracks(voter).values_list("pk", flat=True))
        assert not offered & {t.pk for t in tracks.values() if t.creator_id in excluded}, voter_name


def family_of_ids(user):
    from accounts.models import User

    return User.objects.filter(pk__in=family_of(user.pk)).values_list("pk", flat=True)
