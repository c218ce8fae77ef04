"""What the analyser measures on generated audio: tempo, key, and re-uploads found through the index."""

import types

import pytest

from marketplace.analysis import audio, fingerprint, selectors
from marketplace.analysis.models import FingerprintHash, TrackAnalysis
from tests.factories import TrackFactory
from tests.marketplace.analysis import sounds

TRACKS = 20


def _tempo_off(measured, actual):
    return min(abs(measured - actual), abs(measured * 2 - actual), abs(measured / 2 - actual)) / actual


def test_it_detects_the_tempo_of_nine_in_ten_demo_previews_within_two_percent():
    misses = []
    for index in range(TRACKS):
        genre, actual, samples = sounds.demo_clip(index)
        measured, confidence = audio.tempo(samples, sounds.RATE)
        if _tempo_off(measured, actual) > 0.02:
            misses.append((genre, actual, round(measured, 1)))
        assert 0 <= confidence <= 1
    assert len(misses) <= TRACKS // 10, misses


@pytest.mark.parametrize("tonic, mode", [(0, "major"), (9, "minor"), (6, "major"), (2, "minor"), (3, "major"),
                                         (11, "minor")])
def test_it_names_the_key_of_a_scale(tonic, mode):
    name, strength = audio.key(sounds.scale(tonic, mode), sounds.RATE)
    assert name == f"{sounds.NOTE_NAMES[tonic]} {mode}"
    assert strength > 0.5


def test_it_measures_loudness_as_ebu_r128_does():
    # A 997 Hz sine of amplitude 0.1 on one channel is -23.0 LUFS (BS.1770: -0.691 + 10 log10(0.005) + K-weighting).
    import numpy as np

    t = np.arange(sounds.RATE * 5) / sounds.RATE
    sine = (0.1 * np.sin(2 * np.pi * 997 * t)).astype("float32")[:, None]
    lufs, _lra = audio.loudness(sine, sounds.RATE)
    assert lufs == pytest.approx(-23.0, abs=0.2)
    assert audio.true_peak(sine) == pytest.approx(-20.0, abs=0.1)


@pytest.mark.django_db
def test_it_matches_altered_copies_of_twenty_tracks_and_no_two_distinct_ones():
    originals = []
    for index in range(TRACKS):
        _genre, _bpm, samples = sounds.demo_clip(index)
        compressed = fingerprint.compute(samples, sounds.RATE)
        track = TrackFactory()
        TrackAnalysis.objects.create(track=track, status="done", fingerprint=compressed)
        words = fingerprint.decode(compressed)
        FingerprintHash.objects.bulk_create(
            [FingerprintHash(track=track, hash=h) for h in fingerprint.subhashes(words)]
        )
        originals.append((track, samples, words))
    newcomer = types.SimpleNamespace(pk=originals[-1][0].pk + 1000)

    missed = []
    for track, samples, _words in originals:
        copies = {"re-encoded 128k": sounds.reencoded_128k(samples), "-6 dB": sounds.gain(samples, -6),
                  "first 3 s cut": sounds.trimmed(samples, 3), "noise at 30 dB SNR": sounds.noisy(samples, 30)}
        for change, copy in copies.items():
            words = fingerprint.decode(fingerprint.compute(copy, sounds.RATE))
            match, _error = selectors.matching_track(newcomer, words)
            if match != track:
                missed.append((track.pk, change, match))
    assert missed == []

    false_matches = []
    for i, (track, _samples, words) in enumerate(originals):
        # Track i against every earlier one: the 190 distinct pairs, through the same lookup a new upload takes.
        match, _error = selectors.matching_track(types.SimpleNamespace(pk=track.pk), words)
        if match is not None:
            false_matches.append((track.pk, match.pk))
        for _other, _s, other_words in originals[:i]:
            assert fingerprint.bit_error(words, other_words) > fingerprint.MATCH_MAX_BIT_ERROR
    assert false_matches == []
