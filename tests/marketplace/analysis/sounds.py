"""Generated audio for the analysis tests: demo-catalogue clips, scales, and altered copies."""

import functools
import io

import numpy as np
import soundfile as sf

from marketplace.demo import media

RATE = media.SR
NOTE_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
GENRES = ["electronic", "hip-hop", "lo-fi", "rock", "pop", "cinematic", "jazz", "classical", "synthwave",
          "house", "techno", "folk", "r-and-b", "metal"]
CLIP_SECONDS = 10


@functools.cache
def demo_clip(index, seconds=CLIP_SECONDS):
    """(genre, the tempo it plays at, mono float32 samples) of demo-catalogue track `index`, as its MP3 decodes."""
    genre = GENRES[index % len(GENRES)]
    samples = decode(media.synth_preview(genre, index, seconds=seconds))
    return genre, media.genre_bpm(genre, index), samples


def decode(data):
    samples, _rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return samples.mean(axis=1)


def mp3(samples, rate=RATE, **kwargs):
    buffer = io.BytesIO()
    sf.write(buffer, samples, rate, format="MP3", **kwargs)
    return buffer.getvalue()


def reencoded_128k(samples):
    """The copy a re-upload through another encoder gives: MP3 at about 128 kbit/s, decoded again."""
    return decode(mp3(samples, compression_level=0.5, bitrate_mode="CONSTANT"))


def gain(samples, db):
    return (samples * 10 ** (db / 20)).astype(np.float32)


def trimmed(samples, seconds=3):
    return samples[int(seconds * RATE):]


def noisy(samples, snr_db=30, seed=0):
    power = float(np.mean(samples ** 2))
    noise = np.random.default_rng(seed).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), len(samples))
    return (samples + noise).astype(np.float32)


def scale(tonic, mode, rate=RATE, note=0.35):
    """A scale up and down with a closing arpeggio over a tonic-and-fifth drone, in `tonic` (0 = C) `mode`."""
    steps = [0, 2, 4, 5, 7, 9, 11, 12] if mode == "major" else [0, 2, 3, 5, 7, 8, 10, 12]
    sequence = (steps + steps[::-1] + [0, steps[2], 7, 0]) * 2
    t = np.arange(int(rate * note)) / rate
    notes = []
    for step in sequence:
        freq = 220 * 2 ** ((tonic + step - 9) / 12)
        notes.append(sum(np.sin(2 * np.pi * freq * h * t) / h for h in range(1, 6)) * np.exp(-t * 3))
    x = np.concatenate(notes)
    t = np.arange(len(x)) / rate
    root = 110 * 2 ** ((tonic - 9) / 12) / 2
    x = x + 0.3 * np.sin(2 * np.pi * root * t) + 0.15 * np.sin(2 * np.pi * root * 1.5 * t)
    return (0.2 * x / np.abs(x).max()).astype(np.float32)
