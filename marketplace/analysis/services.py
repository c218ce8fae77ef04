"""Analyse a track's preview and act on what was measured: the one place these rules live.

- every measurement lands on the track's TrackAnalysis row with ANALYSER_VERSION;
- the player's copy (Track.preview_normalised) is the preview at -14 LUFS, <= -1 dBTP; the
  original stays as uploaded;
- audio that matches an earlier track of another creator holds the new track for review
  (Pending review) with the match recorded; the same creator's own re-upload is only noted;
- a preview that cannot be fetched or decoded marks the track "preview unavailable" with the
  reason (Track.preview_problem), which hides it from listings until the creator fixes it.
"""

import logging
from importlib.metadata import version

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from aimusicstore import pagecache
from marketplace.analysis import audio, fetch, fingerprint, selectors
from marketplace.analysis.models import FingerprintHash, TrackAnalysis
from marketplace.models import Track

ANALYSER_VERSION = f"1.0/essentia-{version('essentia')}"[:20]
log = logging.getLogger(__name__)


def source_of(track):
    return track.preview_audio.name if track.preview_audio else track.preview_url


def _read(track):
    if track.preview_audio:
        with track.preview_audio.open("rb") as fh:
            return fh.read()
    return fetch.fetch(track.preview_url)


def measure(data):
    """Every measurement of an encoded preview, and its normalised MP3 bytes; raises audio.NotAudio."""
    samples, rate = audio.decode(data)
    mono = samples.mean(axis=1)
    lufs, lra = audio.loudness(samples, rate)
    peak = audio.true_peak(samples)
    bpm, confidence = audio.tempo(mono, rate)
    key, strength = audio.key(mono, rate)
    normalised, served = audio.encode_mp3(audio.normalise(samples, rate, measured=lufs, peak=peak), rate)
    return {
        "loudness_lufs": round(lufs, 2), "loudness_range": round(lra, 2), "true_peak_dbtp": round(peak, 2),
        "normalised_lufs": round(audio.loudness(served, rate)[0], 2),
        "bpm": round(bpm, 2) if bpm else None, "bpm_confidence": round(confidence, 2),
        "key": key, "key_strength": round(strength, 3),
        "fingerprint": fingerprint.compute(mono, rate),
        "features": audio.features(mono, rate, bpm),
        "normalised": normalised,
    }


def analyse_track(track_id, force=False):
    """Measure the track's current preview unless this analyser version already did; safe to run twice.

    Returns the TrackAnalysis row, or None when the track is gone.
    """
    track = Track.objects.filter(pk=track_id).first()
    if track is None:
        return None
    source = source_of(track)
    analysis = TrackAnalysis.objects.filter(track=track).first()
    if (not force and analysis is not None and analysis.source == source and analysis.version == ANALYSER_VERSION
            and analysis.status != TrackAnalysis.Status.PENDING):
        return analysis
    try:
        result = measure(_read(track))
    except (fetch.Refused, audio.NotAudio) as error:
        return _mark_unavailable(track, source, str(error))
    return _store(track, source, result)


def _locked_current(track, source):
    """The track row, locked, if its preview is still the one measured (an edit meanwhile wins)."""
    current = Track.objects.select_for_update().filter(pk=track.pk).first()
    if current is None or source_of(current) != source:
        return None
    return current


@transaction.atomic
def _mark_unavailable(track, source, reason):
    track = _locked_current(track, source)
    if track is None:
        return None
    reason = f"Preview unavailable: {reason}"[:200]
    analysis, _ = TrackAnalysis.objects.update_or_create(track=track, defaults={
        "status": TrackAnalysis.Status.UNAVAILABLE, "version": ANALYSER_VERSION, "source": source,
        "problem": reason, "analysed_at": timezone.now(),
    })
    FingerprintHash.objects.filter(track=track).delete()
    Track.objects.filter(pk=track.pk).update(preview_problem=reason, preview_normalised="")
    transaction.on_commit(pagecache.invalidate)
    return analysis


@transaction.atomic
def _store(track, source, result):
    track = _locked_current(track, source)
    if track is None:
        return None
    words = fingerprint.decode(result["fingerprint"])
    match, bit_error = selectors.matching_track(track, words)
    values = {k: v for k, v in result.items() if k != "normalised"}
    analysis, _ = TrackAnalysis.objects.update_or_create(track=track, defaults={
        **values, "status": TrackAnalysis.Status.DONE, "version": ANALYSER_VERSION, "source": source,
        "problem": "", "duplicate_of": match, "duplicate_bit_error": bit_error, "analysed_at": timezone.now(),
    })
    FingerprintHash.objects.filter(track=track).delete()
    FingerprintHash.objects.bulk_create(
        [FingerprintHash(track=track, hash=h) for h in fingerprint.subhashes(words)], ignore_conflicts=True
    )
    old_copy = track.preview_normalised.name
    track.preview_normalised.save(f"preview-{track.pk}.mp3", ContentFile(result["normalised"]), save=False)
    changes = {"preview_normalised": track.preview_normalised.name, "preview_problem": ""}
    if match is not None and match.creator_id != track.creator_id and track.status == Track.Status.PUBLISHED:
        changes["status"] = Track.Status.PENDING
        log.info("track %s held for review: same audio as track %s", track.pk, match.pk)
    Track.objects.filter(pk=track.pk).update(**changes)
    if old_copy and old_copy != track.preview_normalised.name:
        track.preview_normalised.storage.delete(old_copy)
    transaction.on_commit(pagecache.invalidate)
    return analysis


def forget_measurements(track_id):
    """The preview changed: the served copy and the sub-hashes of the old audio no longer apply."""
    track = Track.objects.filter(pk=track_id).only("preview_normalised").first()
    if track is None:
        return
    if track.preview_normalised:
        track.preview_normalised.storage.delete(track.preview_normalised.name)
    Track.objects.filter(pk=track_id).update(preview_normalised="", preview_problem="")
    TrackAnalysis.objects.filter(track_id=track_id).update(status=TrackAnalysis.Status.PENDING)
    FingerprintHash.objects.filter(track_id=track_id).delete()


def bpm_warning(typed, detected):
    """The warning a creator sees when the typed BPM is > 8 % off the detected one (and not half or double)."""
    if not typed or not detected:
        return ""
    if min(abs(typed - d) / d for d in (detected, detected * 2, detected / 2)) <= 0.08:
        return ""
    return f"You typed {typed} BPM; we measured about {round(detected)} BPM. Check the tempo buyers will filter by."
