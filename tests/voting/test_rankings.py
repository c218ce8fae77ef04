from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import Track
from tests.factories import ToolFactory, TrackFactory, TrackWithPreviewFactory, UserFactory
from voting import rankings, tasks
from voting.services import cast_vote


def voters(count):
    return [UserFactory(date_joined=timezone.now() - timedelta(days=90)) for _ in range(count)]


@pytest.mark.django_db
def test_rankings_are_read_from_the_cache_without_sorting_the_catalogue(django_assert_num_queries):
    low, high = TrackFactory(title="Low"), TrackFactory(title="High")
    for voter in voters(3):
        cast_vote(voter, high, 1)
    cast_vote(voters(1)[0], low, 1)
    tasks.recompute_scores()
    with django_assert_num_queries(1) as queries:  # load the cached ids' rows by primary key
        top = rankings.top_tracks("alltime", 50)
    assert [t.title for t in top] == ["High", "Low"]
    assert "ORDER BY" not in queries.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_a_cached_ranking_changes_only_when_the_recompute_refreshes_it():
    first, second = TrackFactory(title="First"), TrackFactory(title="Second")
    cast_vote(voters(1)[0], first, 1)
    tasks.recompute_scores()
    assert [t.title for t in rankings.trending_tracks(10)] == ["First", "Second"]
    for voter in voters(3):
        cast_vote(voter, second, 1)
    assert [t.title for t in rankings.trending_tracks(10)] == ["First", "Second"]
    tasks.refresh_rankings()
    assert [t.title for t in rankings.trending_tracks(10)] == ["Second", "First"]


@pytest.mark.django_db
def test_a_hidden_track_drops_out_of_the_cached_ranking_at_once():
    track = TrackFactory(title="Soon hidden")
    cast_vote(voters(1)[0], track, 1)
    tasks.recompute_scores()
    Track.objects.filter(pk=track.pk).update(status=Track.Status.HIDDEN)
    assert rankings.top_tracks("weekly", 50) == []


@pytest.mark.django_db
def test_tools_rank_by_weighted_score():
    ToolFactory(name="Quiet")
    loud = ToolFactory(name="Loud")
    cast_vote(voters(1)[0], loud, 1)
    tasks.recompute_scores()
    assert [t.name for t in rankings.top_tools(10)][:2] == ["Loud", "Quiet"]


def test_a_real_worker_recomputes_scores_and_refreshes_rankings(live_worker):
    # A stored preview: the worker also analyses it (an external URL it cannot fetch would be "unavailable").
    track = TrackWithPreviewFactory(title="Worker pick")
    for voter in voters(2):
        cast_vote(voter, track, 1)
    tasks.recompute_scores.delay().get(timeout=30)
    assert [t.title for t in rankings.trending_tracks(10)] == ["Worker pick"]
    assert tasks.detect_abuse.delay().get(timeout=30) == {
        "serial": 0, "ring": 0, "drip": 0, "agent_ring": 0, "co_registration": 0, "spike": 0}


@pytest.mark.django_db
def test_a_refresh_records_todays_ranks_for_tomorrows_movement_arrows():
    from datetime import timedelta as days

    first, second = TrackFactory(), TrackFactory()
    cast_vote(voters(1)[0], first, 1)
    tasks.recompute_scores()
    tomorrow = timezone.localdate() + days(days=1)
    assert rankings.rank_movement("alltime", [second.pk, first.pk], day=tomorrow) == {
        second.pk: ("up", 1), first.pk: ("down", 1)
    }
    assert rankings.rank_of(first.pk, "alltime") == 1
