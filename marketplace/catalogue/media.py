"""Waveform peaks: decode a stored preview and keep a compact list the player can draw.

The list has PEAK_COUNT integers from 0 to 100 (the loudest bucket is 100), about
600 bytes of JSON per track, small enough to ship with every page that draws it.
"""

import io
import logging

import numpy as np
import soundfile as sf
from django.core.files.base import ContentFile

from marketplace.catalogue import validators
from marketplace.models import Track


def cut_preview_to_length(track_id, seconds=None):
    """Replace a long uploaded preview by its first `seconds` seconds, same format (soundfile)."""
    import io

    import soundfile

    seconds = seconds or validators.PREVIEW_CUT_SECONDS
    track = Track.objects.filter(pk=track_id).first()
    if track is None or not track.preview_audio or (track.preview_duration or 0) <= seconds + 0.5:
        return False
    with track.preview_audio.open("rb") as fh, soundfile.SoundFile(io.BytesIO(fh.read())) as audio:
        rate = audio.samplerate
        data = audio.read(frames=int(seconds * rate), always_2d=True)
    frames = len(data)
    ext = track.preview_audio.name.rsplit(".", 1)[-1].lower()
    fmt = {"mp3": "MP3", "ogg": "OGG", "wav": "WAV", "flac": "FLAC"}[ext]
    out = io.BytesIO()
    soundfile.write(out, data, rate, format=fmt, subtype={"OGG": "VORBIS", "MP3": "MPEG_LAYER_III"}.get(fmt))
    old_name = track.preview_audio.name
    track.preview_audio.save(f"preview.{ext}", ContentFile(out.getvalue()), save=False)
    track.preview_duration = min(seconds, frames / rate)
    Track.objects.filter(pk=track.pk).update(preview_audio=track.preview_audio.name,
                                             preview_duration=track.preview_duration)
    track.preview_audio.storage.delete(old_name)
    return True


PEAK_COUNT = 160
log = logging.getLogger(__name__)


def compute_peaks(audio_bytes, count=PEAK_COUNT):
    """Return (peaks, duration_seconds) for an encoded audio file (MP3, WAV, FLAC, OGG).

    Each peak is the loudest absolute sample of its slice of the file, scaled so the
    loudest slice is 100. Raises ValueError when the bytes are not decodable audio.
    """
    try:
        samples, rate = sf.read(io.BytesIO(audio_bytes), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as error:
        raise ValueError(f"not decodable audio: {error}") from error
    if not len(samples):
        raise ValueError("the audio has no samples")
    mono = np.abs(samples).max(axis=1)
    buckets = np.array_split(mono, min(count, len(mono)))
    peaks = np.array([bucket.max() for bucket in buckets])
    loudest = float(peaks.max())
    scaled = np.zeros_like(peaks) if loudest == 0 else np.round(peaks / loudest * 100)
    return [int(p) for p in scaled], len(samples) / rate


def store_waveform(track_id):
    """Compute and save a track's peak list (and preview length if unknown); safe to run twice.

    A preview given only as an external URL keeps an empty list: the player shows a plain bar.
    Returns the stored peak list, or None when the track no longer exists.
    """
    track = Track.objects.filter(pk=track_id).only("preview_audio", "preview_duration").first()
    if track is None:
        return None
    peaks, duration = [], None
    if track.preview_audio:
        try:
            with track.preview_audio.open("rb") as audio:
                peaks, duration = compute_peaks(audio.read())
        except (OSError, ValueError) as error:
            log.warning("waveform for track %s not computed: %s", track_id, error)
    updates = {"waveform": peaks}
    if duration and not track.preview_duration:
        updates["preview_duration"] = round(duration, 2)
    Track.objects.filter(pk=track_id).update(**updates)
    return peaks
