"""Similar tracks worked out ahead by Celery, so a track page nobody opened lately ranks nothing itself."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aimusicstore.pagecache import invalidate
from marketplace.analysis.models import TrackAnalysis
from marketplace.analysis.selectors import SoundPool
from marketplace.discovery import services
from marketplace.discovery.models import SimilarList
from marketplace.discovery.selectors import similar_ids
from marketplace.discovery.tasks import refresh_similar_lists
from marketplace.models import Track
from tests.factories import TrackFactory, TrackWithPreviewFactory, demo_mp3

pytestmark = pytest.mark.django_db

RANKING = "WITH same_genre"


def page(client, track):
    """The track page as a visitor gets it now (the stored pages retired), and whether it ranked anything."""
    invalidate()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(track.get_absolute_url())
    assert response.status_code == 200
    ranked = any(RANKING in q["sql"] for q in queries.captured_queries)
    return [t.title for t in response.context["similar"]], ranked


def jazz_catalogue():
    track = TrackFactory(genre="jazz", moods=["chill"], bpm=90)
    TrackFactory(title="Close Cousin", genre="jazz", moods=["chill"], bpm=92)
    TrackFactory(title="Far Relative", genre="jazz", moods=["aggressive"], bpm=180)
    TrackFactory(title="Other Genre", genre="metal", moods=["aggressive"], bpm=180)
    return track


def test_after_the_task_the_page_shows_the_same_list_and_ranks_nothing(client):
    track = jazz_catalogue()
    ranked_live = [Track.objects.get(pk=pk).title for pk in similar_ids(track, 6)]
    assert refresh_similar_lists() == 4
    assert page(client, track) == (ranked_live, False)
    assert ranked_live[0] == "Close Cousin"


def test_a_track_edited_after_its_list_was_worked_out_is_ranked_afresh_and_first_in_line(client):
    track = jazz_catalogue()
    refresh_similar_lists()
    track.genre, track.moods, track.bpm = "metal", ["aggressive"], 180
    track.save()
    titles, ranked = page(client, track)
    assert ranked and titles[0] == "Other Genre"
    assert services.due_similar(1) == [track]
    refresh_similar_lists()
    assert page(client, track) == (titles, False)


def test_a_track_taken_down_since_is_not_shown(client):
    track = jazz_catalogue()
    refresh_similar_lists()
    Track.objects.filter(title="Close Cousin").update(status=Track.Status.HIDDEN)
    titles, ranked = page(client, track)
    assert "Close Cousin" not in titles and "Far Relative" in titles and not ranked


def test_new_tracks_come_first_then_the_stalest_a_bounded_batch_a_run():
    old, new = TrackFactory(), TrackFactory()
    SimilarList.objects.create(track=old, ids=[], computed_at=timezone.now() - timedelta(days=2))
    assert services.due_similar(5) == [new, old]
    assert services.refresh_similar_lists(limit=1) == 1
    assert list(SimilarList.objects.filter(track=new).values_list("ids", flat=True)) == [[old.pk]]
    assert services.refresh_similar_lists(seconds=0) == 1  # out of time after the first list
    assert services.due_similar(5) == []


def test_a_track_deleted_while_its_batch_is_worked_out_does_not_lose_the_others(monkeypatch):
    first, second, third = TrackFactory.create_batch(3)
    rank = services.similar_ids

    def deleting_the_second(track, limit, pool=None):
        if track == third:  # the newest, so the first worked out
            second.delete()
        return rank(track, limit, pool)

    monkeypatch.setattr(services, "similar_ids", deleting_the_second)
    assert services.refresh_similar_lists() == 2
    assert set(SimilarList.objects.values_list("track", flat=True)) == {first.pk, third.pk}


def test_a_batch_compares_sounds_with_the_same_tracks_a_page_would():
    tracks = TrackFactory.create_batch(6, genre="rock")
    for i, track in enumerate(tracks):
        TrackAnalysis.objects.create(track=track, status="done", features=[0.1 * i] * 44)
    pool = SoundPool()
    for track in tracks:
        assert similar_ids(track, 12, pool) == similar_ids(track, 12)


def test_the_beat_task_runs_on_a_real_worker(live_worker):
    # Real previews, two different ones (the same audio twice is held as a re-upload): the worker
    # measures them first, its queue being in order, and they stay playable.
    one, other = (TrackWithPreviewFactory(genre="jazz", preview_audio=ContentFile(demo_mp3("jazz", seed), name="p.mp3"))
                  for seed in (1, 2))
    assert refresh_similar_lists.delay().get(timeout=60) == 2
    assert SimilarList.objects.get(track=one).ids == [other.pk]
    assert SimilarList.objects.get(track=other).ids == [one.pk]
