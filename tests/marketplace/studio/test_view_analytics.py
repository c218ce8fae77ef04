import csv
import io
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.listening import tasks
from marketplace.listening.services import count_view, flush_view_counts
from marketplace.models import TrackDailyStats, TrackReferrerDaily
from marketplace.purchases.services import record_purchase_click, record_sale
from marketplace.studio.services import bump_daily
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(client):
    track = TrackFactory(title="Counted")
    client.force_login(track.creator)
    return track


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


def test_analytics_show_totals_charts_top_tracks_and_sources(client, track):
    bump_daily(track.pk, views=40, plays=12)
    bump_daily(track.pk, day=timezone.localdate() - timedelta(days=20), views=5, plays=1)
    Vote.objects.create(voter=UserFactory(), track=track, value=1)
    TrackReferrerDaily.objects.create(track=track, day=timezone.localdate(), domain="reddit.com", views=9)
    record_sale(track, "o-1", "10.00", click=record_purchase_click(track))
    response = client.get("/dashboard/analytics/?range=7")
    totals = response.context["totals"]
    assert (totals["views"], totals["plays"], totals["votes"], totals["clicks"], totals["sales"]) == (40, 12, 1, 1, 1)
    assert str(totals["earnings"]) == "8.00"
    assert response.text.count("<svg class=\"chart__svg\"") == 6 and "<polyline" in response.text
    assert "reddit.com" in response.text and "Counted" in response.text
    assert client.get("/dashboard/analytics/?range=30").context["totals"]["views"] == 45


def test_an_unknown_range_falls_back_to_30_days(client, track):
    assert client.get("/dashboard/analytics/?range=abc").context["days"] == 30


def test_analytics_export_as_csv(client, track):
    bump_daily(track.pk, views=3, plays=2)
    response = client.get("/dashboard/analytics.csv?range=7")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 7 and rows[-1]["day"] == timezone.localdate().isoformat()
    assert rows[-1]["views"] == "3" and rows[-1]["plays"] == "2" and rows[-1]["earnings"] == "0.00"


def test_analytics_show_only_my_tracks(client, track):
    other = TrackFactory(creator=CreatorFactory())
    bump_daily(other.pk, views=99)
    assert client.get("/dashboard/analytics/").context["totals"]["views"] == 0


def test_analytics_run_a_bounded_number_of_queries(client, track, django_assert_max_num_queries):
    for _ in range(10):
        bump_daily(TrackFactory(creator=track.creator).pk, views=1)
    with django_assert_max_num_queries(10):
        client.get("/dashboard/analytics/?range=90")


def test_analytics_ask_visitors_to_log_in(client):
    client.logout()
    assert client.get("/dashboard/analytics/").status_code == 302
    assert client.get("/dashboard/analytics.csv").status_code == 302


def test_a_long_uploaded_preview_is_cut_to_30_seconds_by_celery(live_worker, client):
    from marketplace.models import Track
    from tests import media_files
    from tests.factories import PlatformFactory

    creator = CreatorFactory()
    client.force_login(creator)
    platform = PlatformFactory()
    response = client.post("/dashboard/upload/", {
        "title": "Long One", "genre": "ambient", "platform": platform.pk, "purchase_url": "https://suno.com/s/1",
        "price": "1.99", "preview_audio": media_files.preview(75, "long.mp3"),
    })
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        track = Track.objects.get(title="Long One")
        if track.preview_duration and track.preview_duration <= 30.5:
            break
        time.sleep(0.3)
    import mutagen

    with track.preview_audio.open("rb") as fh:
        audio = mutagen.File(fh)
    assert 29 <= audio.info.length <= 31 and track.preview_audio.name.endswith(".mp3")
