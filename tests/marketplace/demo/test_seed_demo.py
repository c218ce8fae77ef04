import io

import mutagen
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accounts.models import Agent, User
from marketplace.models import PurchaseClick, Sale, Tool, Track
from voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_store(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        # Created outside any test transaction, so removed by hand afterwards.
        from django.db import connection

        ours = ("accounts_", "marketplace_", "voting_", "account_")
        tables = ", ".join(
            name for name in connection.introspection.django_table_names(only_existing=True) if name.startswith(ours)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def test_the_demo_catalogue_is_as_large_as_the_contract_says(demo_store):
    tracks = Track.objects.published()
    assert tracks.count() >= 60
    assert len(set(tracks.values_list("genre", flat=True))) >= 8
    assert len({mood for moods in tracks.values_list("moods", flat=True) for mood in moods}) >= 8
    assert Tool.objects.count() == 12
    assert User.objects.filter(role=User.Role.CREATOR).count() >= 10
    assert Agent.objects.count() >= 7
    assert Vote.objects.count() >= 200
    assert PurchaseClick.objects.count() >= 200
    assert Sale.objects.count() >= 50


def test_every_demo_track_has_a_playable_thirty_second_preview_and_cover(demo_store):
    for track in Track.objects.all()[:5]:
        audio = mutagen.File(io.BytesIO(track.preview_audio.read()))
        assert audio is not None and 29 <= audio.info.length <= 31
        assert track.cover.read(3) == b"\xff\xd8\xff"  # JPEG


def test_the_demo_logins_work(demo_store, client):
    assert client.login(email="admin@demo.aimusicstore.test", password="demo-pass-123")
    assert client.login(email="creator@demo.aimusicstore.test", password="demo-pass-123")
    creator = User.objects.get(email="creator@demo.aimusicstore.test")
    assert creator.tracks.exists()


def test_seeding_again_with_if_empty_changes_nothing(demo_store):
    before = Track.objects.count()
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Track.objects.count() == before
    assert "skipping" in out.getvalue()


@override_settings(DEBUG=False, TESTING=False)
def test_seeding_is_refused_in_production():
    with pytest.raises(CommandError, match="only for DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())


def test_every_demo_track_shows_detected_tempo_key_and_loudness(demo_store, client):
    from marketplace.analysis.models import TrackAnalysis

    analyses = TrackAnalysis.objects.select_related("track")
    assert analyses.count() == Track.objects.count()
    for analysis in analyses:
        assert analysis.status == TrackAnalysis.Status.DONE
        # No demo track copies another creator's; the held demo upload reuses its own creator's preview.
        assert analysis.duplicate_of is None or analysis.duplicate_of.creator_id == analysis.track.creator_id
        assert analysis.bpm and analysis.key and analysis.loudness_lufs and analysis.track.preview_normalised
    track = analyses.first().track
    assert "LUFS" in client.get(track.get_absolute_url()).content.decode()


def test_every_published_demo_track_opens_with_its_similar_tracks_worked_out(demo_store):
    from marketplace.discovery.services import due_similar

    assert due_similar(100) == []
    assert Track.objects.published().filter(similar_list__ids__len__gte=6).count() == Track.objects.published().count()
