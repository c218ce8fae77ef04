import io
import time

import numpy as np
import pytest
import soundfile as sf
from django.core.files.base import ContentFile

from aimusicstore import pagecache
from marketplace.catalogue import media
from marketplace.models import Track
from tests.factories import TrackFactory, TrackWithPreviewFactory


def wav_bytes(samples, rate=8000):
    out = io.BytesIO()
    sf.write(out, samples, rate, format="WAV")
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_computes_the_waveform_when_a_preview_is_stored(live_worker):
    track = TrackWithPreviewFactory(title="Worker Waves")

    deadline = time.monotonic() + 30
    track.refresh_from_db()
    while not track.waveform and time.monotonic() < deadline:
        time.sleep(0.2)
        track.refresh_from_db()

    assert len(track.waveform) == media.PEAK_COUNT
    assert max(track.waveform) == 100 and min(track.waveform) >= 0
    assert len(set(track.waveform)) > 10, "a real song's peaks vary"
    assert track.preview_duration == pytest.approx(30, abs=0.5)


def test_peaks_follow_the_loudness_of_the_audio():
    rate = 8000
    ramp = np.linspace(0, 1, rate * 4, dtype=np.float32)
    tone = np.sin(np.arange(rate * 4) * 2 * np.pi * 440 / rate).astype(np.float32) * ramp

    peaks, duration = media.compute_peaks(wav_bytes(tone, rate), count=8)

    assert duration == pytest.approx(4)
    assert peaks == sorted(peaks) and peaks[-1] == 100 and peaks[0] < 20


def test_silence_gives_flat_zero_peaks():
    peaks, _ = media.compute_peaks(wav_bytes(np.zeros(8000, dtype=np.float32)), count=10)
    assert peaks == [0] * 10


def test_bytes_that_are_not_audio_are_rejected():
    with pytest.raises(ValueError):
        media.compute_peaks(b"definitely not an mp3")


@pytest.mark.django_db
def test_a_preview_given_only_as_a_url_keeps_a_plain_bar():
    track = TrackFactory(preview_url="https://cdn.example.test/a.mp3")
    assert media.store_waveform(track.pk) == []
    track.refresh_from_db()
    assert track.waveform == []


@pytest.mark.django_db
def test_an_undecodable_stored_file_leaves_the_waveform_empty():
    track = TrackFactory(preview_url="", preview_audio=ContentFile(b"junk" * 100, name="broken.mp3"))
    assert media.store_waveform(track.pk) == []


@pytest.mark.django_db
def test_a_missing_track_is_skipped():
    assert media.store_waveform(987654321) is None


def waveform_tasks(callbacks):
    # A saved track also retires the stored visitor pages and queues the audio analysis on commit;
    # only the waveform task counts here.
    return [callback for callback in callbacks if callback is not pagecache.bump_generation
            and "queue_analysis" not in getattr(callback, "__qualname__", "")]


@pytest.mark.django_db
def test_storing_or_replacing_a_preview_queues_the_task_but_other_edits_do_not(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        track = TrackWithPreviewFactory()
    assert len(waveform_tasks(queued)) == 1

    Track.objects.filter(pk=track.pk).update(waveform=[1, 2, 3])
    track = Track.objects.get(pk=track.pk)
    with django_capture_on_commit_callbacks() as queued:
        track.title = "Renamed"
        track.save()
    assert waveform_tasks(queued) == []

    with django_capture_on_commit_callbacks() as queued:
        track.preview_audio = ContentFile(b"new", name="replacement.mp3")
        track.save()
    assert len(waveform_tasks(queued)) == 1
