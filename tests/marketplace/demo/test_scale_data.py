"""`make scale-data`: a generated marketplace that the database's own constraints accept."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from accounts.models import Agent, User
from marketplace.models import LedgerEntry, PurchaseClick, Sale, Track, TrackDailyStats
from tests.factories import UserFactory
from voting import rankings
from voting.models import TrackScore, Vote


def generate(**options):
    out = StringIO()
    call_command("scale_data", tracks=200, users=50, votes=2000, force=True, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_it_builds_the_size_asked_for_and_reports_the_recompute_time():
    output = generate()
    assert Track.objects.count() == 200
    assert User.objects.count() == 50
    assert Vote.objects.count() == 2000
    assert PurchaseClick.objects.count() == 400
    assert "Full score recompute" in output


@pytest.mark.django_db
def test_tracks_use_external_previews_and_buy_links_on_their_platforms_domain():
    generate()
    for track in Track.objects.select_related("platform", "creator"):
        assert track.preview_url.startswith("https://") and not track.preview_audio
        assert track.purchase_url.split("/")[2] in track.platform.domains
        assert track.artist == track.creator.display_name and track.creator.role == User.Role.CREATOR
        assert 1 <= len(track.moods) == len(set(track.moods)) <= 3
        assert track.search_vector is not None
    assert Track.objects.filter(title__icontains="midnight").exists()


@pytest.mark.django_db
def test_votes_are_one_per_voter_never_on_ones_own_track_and_inside_90_days():
    generate()
    assert not Vote.objects.filter(track__creator=F("voter")).exists()
    assert not Vote.objects.filter(created_at__lt=timezone.now() - timedelta(days=90, minutes=1)).exists()
    assert not Vote.objects.filter(track__isnull=False, created_at__lt=F("track__created_at")).exists()
    assert Vote.objects.filter(tool__isnull=False).exists()
    per_pair = Vote.objects.filter(track__isnull=False).values("voter", "track").annotate(n=Count("id"))
    assert per_pair.filter(n__gt=1).count() == 0


@pytest.mark.django_db
def test_a_few_hits_take_a_large_share_of_the_votes():
    generate()
    counts = sorted(Track.objects.annotate(n=Count("votes")).values_list("n", flat=True), reverse=True)
    top_tenth = sum(counts[: len(counts) // 10])
    assert top_tenth > 0.25 * sum(counts)  # uniform popularity would give 10 %
    assert counts[-1] <= 2  # and a long tail


@pytest.mark.django_db
def test_sales_reconcile_to_the_cent_and_each_credits_the_creators_ledger():
    generate()
    assert Sale.objects.exists()
    assert not Sale.objects.exclude(amount=F("commission") + F("earnings")).exists()
    assert LedgerEntry.objects.filter(kind="sale").count() == Sale.objects.count()
    assert not LedgerEntry.objects.exclude(creator=F("sale__track__creator")).exists()


@pytest.mark.django_db
def test_daily_stats_match_the_clicks_recorded_each_day():
    generate()
    stats_clicks = TrackDailyStats.objects.aggregate(total=Sum("clicks"))["total"]
    assert stats_clicks == PurchaseClick.objects.count()
    assert not TrackDailyStats.objects.filter(views__lt=F("plays")).exists()


@pytest.mark.django_db
def test_agents_belong_to_creators_and_rankings_are_filled():
    generate()
    assert Agent.objects.exists()
    assert not Agent.objects.exclude(owner__role=User.Role.CREATOR).exists()
    assert TrackScore.objects.count() == Track.objects.count()
    top = rankings.top_tracks("alltime", 10)
    assert len(top) == 10
    scores = [track.score.score for track in top]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert rankings.top_tracks("weekly", 10)


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="--force"):
        call_command("scale_data", tracks=10, users=10, votes=10, stdout=StringIO())
    assert not Track.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_database_with_data_unless_appending():
    UserFactory()
    with pytest.raises(CommandError, match="--append"):
        generate()
    generate(append=True)
    generate(append=True)
    assert Track.objects.count() == 400
    assert User.objects.count() == 101
