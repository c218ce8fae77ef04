from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from tests.concurrency import at_once
from tests.factories import AgentFactory, ToolFactory, TrackFactory, UserFactory
from voting import services
from voting.models import ToolScore, TrackScore, Vote
from voting.services import VoteRefused, cast_vote, recompute_scores

pytestmark = pytest.mark.django_db

SCORE_FIELDS = ["upvotes", "downvotes", "score", "score_daily", "score_weekly", "score_monthly", "trending"]


def scores_of(model, **lookup):
    row = model.objects.get(**lookup)
    return {field: getattr(row, field) for field in SCORE_FIELDS}


def test_a_vote_changes_the_score_immediately(voter):
    track = TrackFactory()
    result = cast_vote(voter, track, 1)
    score = TrackScore.objects.get(track=track)
    assert (score.upvotes, score.downvotes) == (1, 0)
    assert score.score == pytest.approx(result.weight) and score.score > 0
    assert score.trending == pytest.approx(result.weight, rel=1e-4)  # decays 8e-6 of itself a second


def test_changing_and_withdrawing_a_vote_update_the_score(voter):
    track = TrackFactory()
    cast_vote(voter, track, 1)
    cast_vote(voter, track, -1)
    score = TrackScore.objects.get(track=track)
    assert (score.upvotes, score.downvotes) == (0, 1) and score.score < 0
    cast_vote(voter, track, 0)
    score.refresh_from_db()
    assert (score.upvotes, score.downvotes, score.score) == (0, 0, 0)
    assert not Vote.objects.filter(voter=voter).exists()


def test_repeating_a_vote_counts_it_once(voter):
    track = TrackFactory()
    cast_vote(voter, track, 1)
    assert cast_vote(voter, track, 1).changed is False
    assert TrackScore.objects.get(track=track).upvotes == 1


def test_tools_are_voted_on_too(voter):
    tool = ToolFactory()
    cast_vote(voter, tool, -1)
    assert ToolScore.objects.get(tool=tool).downvotes == 1


def test_it_rejects_self_votes():
    track = TrackFactory()
    with pytest.raises(VoteRefused) as refused:
        cast_vote(track.creator, track, 1)
    assert refused.value.code == "self_vote"
    assert not Vote.objects.exists()


def test_a_creators_agents_cannot_vote_on_the_creators_work():
    track = TrackFactory()
    agent = AgentFactory(owner=track.creator)
    with pytest.raises(VoteRefused):
        cast_vote(agent.user, track, 1)
    assert not Vote.objects.exists()


def test_junk_vote_values_are_refused(voter):
    track = TrackFactory()
    for junk in (2, "up", None, "1.5", -2):
        with pytest.raises(VoteRefused):
            cast_vote(voter, track, junk)


def test_an_owners_agents_do_not_multiply_its_influence_on_a_target(voter):
    track = TrackFactory()
    owner = UserFactory(date_joined=timezone.now() - timedelta(days=90))
    agents = [AgentFactory(owner=owner, user__date_joined=owner.date_joined) for _ in range(5)]
    cast_vote(owner, track, 1)
    single = TrackScore.objects.get(track=track).score
    for agent in agents:
        cast_vote(agent.user, track, 1)
    score = TrackScore.objects.get(track=track)
    assert score.upvotes == 1  # one family, one vote in the public count too (issue 18)
    assert Vote.objects.filter(track=track).count() == 6  # every agent's vote is still stored
    assert score.score == pytest.approx(single)


def test_new_accounts_weigh_less_than_settled_ones(voter):
    fresh = UserFactory()
    track = TrackFactory()
    assert cast_vote(fresh, track, 1).weight < cast_vote(voter, track, 1).weight / 5


def test_recompute_from_the_log_equals_the_incremental_aggregates():
    tracks, tools = TrackFactory.create_batch(4), ToolFactory.create_batch(2)
    old = timezone.now() - timedelta(days=90)
    voters = [UserFactory(date_joined=old - timedelta(days=i)) for i in range(8)]
    owner = voters[0]
    voters += [AgentFactory(owner=owner, user__date_joined=old).user for _ in range(2)]
    for i, voter in enumerate(voters):
        for j, target in enumerate(tracks + tools):
            value = [1, -1, 1, 0][(i + j) % 4]
            cast_vote(voter, target, 1)
            cast_vote(voter, target, value)
    Vote.objects.filter(voter=voters[3]).update(created_at=timezone.now())  # the vote time stays the cast time
    incremental = {t.pk: scores_of(TrackScore, track=t) for t in tracks}
    incremental_tools = {t.pk: scores_of(ToolScore, tool=t) for t in tools}
    recompute_scores()
    for track in tracks:
        assert scores_of(TrackScore, track=track) == pytest.approx(incremental[track.pk], abs=1e-4)
    for tool in tools:
        assert scores_of(ToolScore, tool=tool) == pytest.approx(incremental_tools[tool.pk], abs=1e-4)


@pytest.mark.django_db(transaction=True)
def test_64_concurrent_identical_votes_count_once():
    voter = UserFactory(date_joined=timezone.now() - timedelta(days=90), tier=User.Tier.ENTERPRISE)
    track = TrackFactory()
    _, errors = at_once(64, lambda: cast_vote(voter, track, 1))
    assert errors == []
    assert Vote.objects.filter(track=track).count() == 1
    score = TrackScore.objects.get(track=track)
    assert score.upvotes == 1
    assert score.score == pytest.approx(Vote.objects.get(track=track).weight)


@pytest.mark.django_db(transaction=True)
def test_votes_racing_a_trending_rebase_all_count_as_shown():
    from voting import trending
    from voting.models import TrendingEpoch

    TrendingEpoch.objects.update_or_create(pk=1, defaults={"epoch": timezone.now() - timedelta(days=3)})
    trending.forget_epoch()
    track = TrackFactory()
    old = timezone.now() - timedelta(days=90)
    jobs = ["rebase", *(UserFactory(date_joined=old) for _ in range(24))]

    def act(job):
        return ("rebase", trending.rebase(force=True)) if job == "rebase" else ("vote", cast_vote(job, track, 1).weight)

    try:
        results, errors = at_once(len(jobs), act, setup=jobs.pop)
        assert errors == []
        assert dict(results)["rebase"] == 3  # three half-lives moved while the votes went in
        weights = [w for kind, w in results if kind == "vote"]
        shown = TrackScore.objects.get(track=track)
        assert shown.trending == pytest.approx(sum(weights), rel=1e-4)  # each vote against the epoch it met
        recompute_scores(track_ids=[track.pk])
        assert TrackScore.objects.get(track=track).trending_at_epoch == pytest.approx(shown.trending_at_epoch,
                                                                                      rel=1e-9)
    finally:
        trending.forget_epoch()


def test_a_vote_runs_a_constant_number_of_queries(voter, django_assert_num_queries):
    quiet, busy = TrackFactory(), TrackFactory()
    old = timezone.now() - timedelta(days=90)
    for _ in range(30):
        cast_vote(UserFactory(date_joined=old), busy, 1)
    recompute_scores()
    with django_assert_num_queries(4) as quiet_queries:  # BEGIN, context, the vote counted, COMMIT
        cast_vote(voter, quiet, 1)
    with django_assert_num_queries(len(quiet_queries)):
        cast_vote(voter, busy, 1)


def test_services_module_keeps_one_definition_of_a_counted_vote():
    assert set(services.COUNTED_STATUSES) == {Vote.Status.COUNTED, Vote.Status.CLEARED}


def test_vote_limits_count_under_the_cache_key_prefix(settings):
    """Two stores sharing one Redis under different prefixes (or a test run beside `make run`) never share limits."""
    from voting.ratelimit import RateLimited, check_vote_rate

    settings.VOTE_RATE_LIMITS = {tier: {60: 2} for tier in ("new", "free", "pro", "verified", "enterprise")}
    voter = UserFactory()
    original = cache.key_prefix
    try:
        cache.key_prefix = "another-store"
        check_vote_rate(voter)
        check_vote_rate(voter)
        with pytest.raises(RateLimited):
            check_vote_rate(voter)
    finally:
        cache.key_prefix = original
    check_vote_rate(voter)  # this store's own window is still empty
    check_vote_rate(voter)
    with pytest.raises(RateLimited):
        check_vote_rate(voter)


def test_the_database_refuses_a_second_vote_by_the_same_voter():
    track = TrackFactory()
    voter = UserFactory()
    Vote.objects.create(voter=voter, track=track, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=voter, track=track, value=-1)


def test_the_database_refuses_a_vote_on_two_targets_or_none():
    voter = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=voter, value=1)
