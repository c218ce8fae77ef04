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
