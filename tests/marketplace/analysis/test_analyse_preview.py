"""Analysing a stored preview: what is measured, the even-loudness copy the player serves, re-uploads held."""

import io

import pytest
import soundfile as sf
from django.core.files.base import ContentFile

from marketplace.analysis import audio, services
from marketplace.analysis.models import TrackAnalysis
from marketplace.models import Track
from tests.factories import CreatorFactory, TrackFactory
from tests.marketplace.analysis import sounds

pytestmark = pytest.mark.django_db


def _track_with(samples, **kwargs):
    data = sounds.mp3(samples)
    return TrackFactory(preview_url="", preview_audio=ContentFile(data, name="preview.mp3"), **kwargs)


def _served(track):
    track.refresh_from_db()
    with track.preview_normalised.open("rb") as fh:
        samples, rate = sf.read(io.BytesIO(fh.read()), dtype="float32", always_2d=True)
    return samples, rate


def test_it_stores_every_measurement_with_the_analyser_version():
    _genre, bpm, samples = sounds.demo_clip(3)
    track = _track_with(samples)
    analysis = services.analyse_track(track.pk)
    assert analysis.status == TrackAnalysis.Status.DONE
    assert analysis.version == services.ANALYSER_VERSION
    assert abs(analysis.bpm - bpm) / bpm <= 0.02
    assert analysis.key and analysis.fingerprint and len(analysis.features) == audio.FEATURE_SIZE
    assert analysis.loudness_lufs < -5 and analysis.true_peak_dbtp is not None and analysis.loudness_range >= 0


@pytest.mark.parametrize("gain_db", [-22, 0, 6])
def test_it_serves_every_preview_at_minus_14_lufs_under_minus_1_dbtp(gain_db):
    _genre, _bpm, samples = sounds.demo_clip(4)
    track = _track_with(sounds.gain(samples, gain_db).clip(-1, 1))
    services.analyse_track(track.pk)
    served, rate = _served(track)
    assert audio.loudness(served, rate)[0] == pytest.approx(-14, abs=1)
    assert audio.true_peak(served) <= -1.0
    assert track.audio_url == track.preview_normalised.url
    assert track.preview_audio  # the original is kept


def test_it_runs_twice_without_measuring_twice():
    _genre, _bpm, samples = sounds.demo_clip(5)
    track = _track_with(samples)
    first = services.analyse_track(track.pk)
    again = services.analyse_track(track.pk)
    assert again.analysed_at == first.analysed_at
    assert services.analyse_track(track.pk, force=True).analysed_at > first.analysed_at


def test_it_holds_another_creators_reupload_for_review_with_the_match():
    _genre, _bpm, samples = sounds.demo_clip(6)
    original = _track_with(samples)
    services.analyse_track(original.pk)
    copy = _track_with(sounds.gain(sounds.trimmed(samples, 2), -6))
    analysis = services.analyse_track(copy.pk)
    copy.refresh_from_db()
    assert analysis.duplicate_of == original
    assert copy.status == Track.Status.PENDING
    assert not analysis.own_reupload


def test_it_tells_a_creator_about_their_own_reupload_without_holding_it():
    creator = CreatorFactory()
    _genre, _bpm, samples = sounds.demo_clip(7)
    original = _track_with(samples, creator=creator)
    services.analyse_track(original.pk)
    copy = _track_with(sounds.noisy(samples), creator=creator)
    analysis = services.analyse_track(copy.pk)
    copy.refresh_from_db()
    assert analysis.duplicate_of == original and analysis.own_reupload
    assert copy.status == Track.Status.PUBLISHED


def test_a_new_preview_forgets_the_old_measurements(django_capture_on_commit_callbacks):
    track = _track_with(sounds.demo_clip(3)[2])
    services.analyse_track(track.pk)
    track.refresh_from_db()
    track.preview_audio = ContentFile(sounds.mp3(sounds.demo_clip(4)[2]), name="new.mp3")
    with django_capture_on_commit_callbacks() as callbacks:
        track.save()
    track.refresh_from_db()
    assert not track.preview_normalised
    assert TrackAnalysis.objects.get(track=track).status == TrackAnalysis.Status.PENDING
    assert len(callbacks) >= 1  # the analysis task is queued after commit


def test_the_celery_task_analyses_an_uploaded_preview(live_worker):
    import time

    track = _track_with(sounds.demo_clip(10)[2])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        analysis = TrackAnalysis.objects.filter(track=track, status=TrackAnalysis.Status.DONE).first()
        if analysis:
            break
        time.sleep(0.5)
    assert analysis is not None and analysis.bpm


def test_analyse_audio_measures_what_is_missing_and_all_again_with_all():
    from django.core.management import call_command

    track = _track_with(sounds.demo_clip(11)[2])
    out = io.StringIO()
    call_command("analyse_audio", stdout=out)
    assert "Analysed 1 tracks: 1 done" in out.getvalue()
    first = TrackAnalysis.objects.get(track=track).analysed_at
    call_command("analyse_audio", stdout=io.StringIO())
    assert TrackAnalysis.objects.get(track=track).analysed_at == first
    call_command("analyse_audio", "--all", stdout=io.StringIO())
    assert TrackAnalysis.objects.get(track=track).analysed_at > first
