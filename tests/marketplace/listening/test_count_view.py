"""A visitor opens a track page and the view is counted for the creator's analytics, in batches through Redis."""

import pytest
from django.utils import timezone

from marketplace.listening import tasks
from marketplace.listening.services import count_view, flush_view_counts
from marketplace.models import TrackDailyStats, TrackReferrerDaily
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(own_track_titled):
    return own_track_titled("Counted")


def test_page_views_are_batched_in_redis_not_written_one_by_one(client, track, django_assert_max_num_queries):
    for _ in range(3):
        client.get(track.get_absolute_url(), HTTP_REFERER="https://www.reddit.com/r/aimusic")
    client.get(track.get_absolute_url())
    assert not TrackDailyStats.objects.filter(track=track, views__gt=0).exists()
    assert flush_view_counts() == 4
    assert TrackDailyStats.objects.get(track=track, day=timezone.localdate()).views == 4
    assert TrackReferrerDaily.objects.get(track=track).domain == "reddit.com"
    assert flush_view_counts() == 0  # drained: running twice adds nothing


def test_a_real_celery_worker_flushes_view_counts(live_worker):
    track = TrackFactory()
    count_view(track.pk, "https://news.ycombinator.com/item?id=1")
    count_view(track.pk)
    result = tasks.flush_view_counts.delay()
    assert result.get(timeout=20) == 2
    assert TrackDailyStats.objects.get(track=track).views == 2
