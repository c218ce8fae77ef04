from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ToolFactory, TrackFactory, UserFactory
from voting import tasks
from voting.models import TrackScore, Vote


def test_a_real_celery_worker_recomputes_weighted_scores(live_worker):
    track = TrackFactory()
    for weight in (1.0, 0.5):
        Vote.objects.create(voter=UserFactory(), track=track, value=1, weight=weight)
    Vote.objects.create(voter=UserFactory(), track=track, value=-1, weight=1.0)
    tasks.recompute_scores.delay().get(timeout=30)
    score = TrackScore.objects.get(track=track)
    assert (score.upvotes, score.downvotes) == (2, 1)
    assert score.score == pytest.approx(0.5)


@pytest.mark.django_db
def test_period_scores_only_count_votes_inside_their_window():
    track = TrackFactory()
    now = timezone.now()
    Vote.objects.create(voter=UserFactory(), track=track, value=1, created_at=now - timedelta(hours=2))
    Vote.objects.create(voter=UserFactory(), track=track, value=1, created_at=now - timedelta(days=3))
    Vote.objects.create(voter=UserFactory(), track=track, value=1, created_at=now - timedelta(days=20))
    Vote.objects.create(voter=UserFactory(), track=track, value=1, created_at=now - timedelta(days=90))
    tasks.recompute_scores()
    score = TrackScore.objects.get(track=track)
    assert (score.score_daily, score.score_weekly, score.score_monthly, score.score) == (1, 2, 3, 4)
    assert 0 < score.trending < 1.6


@pytest.mark.django_db
def test_flagged_votes_weigh_zero_until_cleared():
    track = TrackFactory()
    Vote.objects.create(voter=UserFactory(), track=track, value=1, status=Vote.Status.SUSPECTED)
    tasks.recompute_scores()
    assert TrackScore.objects.get(track=track).score == 0
    Vote.objects.update(status=Vote.Status.CLEARED)
    tasks.recompute_scores()
    assert TrackScore.objects.get(track=track).score == 1


@pytest.mark.django_db
def test_tools_get_scores_too():
    tool = ToolFactory()
    Vote.objects.create(voter=UserFactory(), tool=tool, value=1)
    tasks.recompute_scores()
    assert tool.score.__class__.objects.get(tool=tool).upvotes == 1


# --- Trending at a fixed epoch: time passing rewrites nothing -------------------------------------

@pytest.fixture
def let_time_pass():
    """As if `delta` went by: every vote and the trending epoch move back by it (nothing else changes)."""
    from django.db.models import F

    from voting import trending
    from voting.models import TrendingEpoch

    # A transactional test earlier in this worker may have flushed the migration's epoch row: without it
    # the epoch would not move with the votes.
    TrendingEpoch.objects.get_or_create(id=1, defaults={"epoch": trending.DEFAULT_EPOCH})
    trending.forget_epoch()  # nor may an earlier test's cached epoch stand for this one's

    def let_pass(delta):
        Vote.objects.update(created_at=F("created_at") - delta)
        TrendingEpoch.objects.update(epoch=F("epoch") - delta)
        trending.forget_epoch()

    yield let_pass
    trending.forget_epoch()  # the epoch moved here is rolled back with the test


@pytest.mark.django_db
def test_trending_halves_every_half_life_without_rewriting_the_row(voter, let_time_pass):
    from voting.services import TRENDING_HALF_LIFE_HOURS, cast_vote

    track = TrackFactory()
    cast_vote(voter, track, 1)
    tasks.recompute_scores()
    before = TrackScore.objects.get(track=track)
    shown = before.trending
    let_time_pass(timedelta(hours=TRENDING_HALF_LIFE_HOURS))
    tasks.recompute_scores()
    after = TrackScore.objects.get(track=track)
    assert after.trending_at_epoch == before.trending_at_epoch  # the stored value did not move: only what is shown did
    # shown values decay by 8e-6 of themselves a second: the tolerance allows a few seconds between reads
    assert after.trending == pytest.approx(shown / 2, rel=1e-4)


@pytest.mark.django_db
def test_the_trending_order_follows_the_decayed_sums():
    old, new = TrackFactory(title="Old Favourite"), TrackFactory(title="New Hope")
    now = timezone.now()
    for _ in range(3):  # 3 votes two days old: 0.75 now
        Vote.objects.create(voter=UserFactory(), track=old, value=1, created_at=now - timedelta(days=2))
    Vote.objects.create(voter=UserFactory(), track=new, value=1, created_at=now - timedelta(hours=1))  # ~0.97
    tasks.recompute_scores()
    from voting import rankings

    assert [t.title for t in rankings.trending_tracks(10)][:2] == ["New Hope", "Old Favourite"]
    assert TrackScore.objects.get(track=old).trending == pytest.approx(0.75, rel=1e-3)


@pytest.mark.django_db
def test_a_rebase_moves_the_epoch_and_changes_nothing_anyone_sees(voter, let_time_pass):
    from voting import rankings, trending
    from voting.models import TrendingEpoch
    from voting.services import cast_vote

    tracks = [TrackFactory(title=f"Track {i}") for i in range(3)]
    for i, track in enumerate(tracks):
        for _ in range(i + 1):
            Vote.objects.create(voter=UserFactory(), track=track, value=1, created_at=timezone.now())
    tasks.recompute_scores()
    let_time_pass(timedelta(days=trending.REBASE_AFTER_HALF_LIVES * trending.HALF_LIFE_HOURS / 24 + 1))
    shown = {t.pk: TrackScore.objects.get(track=t).trending for t in tracks}
    order = [t.pk for t in rankings.trending_tracks(10)]
    epoch = TrendingEpoch.current()
    assert trending.rebase() >= trending.REBASE_AFTER_HALF_LIVES + 1
    assert trending.rebase() == 0  # not due any more
    assert TrendingEpoch.current() > epoch
    assert {t.pk: TrackScore.objects.get(track=t).trending for t in tracks} == pytest.approx(shown, rel=1e-4, abs=0)
    tasks.recompute_scores()
    assert {t.pk: TrackScore.objects.get(track=t).trending for t in tracks} == pytest.approx(shown, rel=1e-4, abs=0)
    assert [t.pk for t in rankings.trending_tracks(10)] == order
    result = cast_vote(voter, tracks[0], 1)  # a vote after the rebase adds its weight, as shown
    expected = shown[tracks[0].pk] + result.weight
    assert TrackScore.objects.get(track=tracks[0]).trending == pytest.approx(expected, rel=1e-4)
