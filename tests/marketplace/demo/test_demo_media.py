import io

import mutagen
import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from marketplace.catalogue.vocabulary import GENRES as CATALOGUE_GENRES
from marketplace.demo import media


def decode(mp3: bytes) -> tuple[np.ndarray, int]:
    samples, rate = sf.read(io.BytesIO(mp3), dtype="float32")
    return samples, rate


def brightness(samples: np.ndarray, rate: int) -> float:
    """Share of the energy above 2 kHz: cymbals, distortion and saws versus pads and muffled keys."""
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(samples.size, 1 / rate)
    return float(spectrum[freqs > 2000].sum() / spectrum.sum())


def estimated_bpm(samples: np.ndarray, rate: int) -> float:
    """Autocorrelation of the onset envelope, searched between 70 and 190 BPM."""
    hop = 256
    frames = samples.size // hop
    energy = np.sqrt((samples[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1))
    onsets = np.maximum(np.diff(energy), 0)
    onsets -= onsets.mean()
    ac = np.correlate(onsets, onsets, "full")[onsets.size - 1 :]
    fps = rate / hop
    lo, hi = int(fps * 60 / 190), int(fps * 60 / 70)
    lag = lo + int(np.argmax(ac[lo : hi + 1]))
    a, b, c = ac[lag - 1], ac[lag], ac[lag + 1]
    return 60 * fps / (lag + 0.5 * (a - c) / (a - 2 * b + c))


def test_preview_is_a_thirty_second_mp3():
    data = media.synth_preview("electronic", 1)

    audio = mutagen.File(io.BytesIO(data))
    assert type(audio).__name__ == "MP3"
    assert audio.info.channels == 1
    assert audio.info.sample_rate == 22050
    assert 29.5 <= media.audio_duration(data) <= 30.5
    samples, rate = decode(data)
    assert rate == 22050 and samples.ndim == 1
    assert 29.5 <= samples.size / rate <= 30.5


def test_preview_length_follows_the_seconds_argument():
    assert 9.5 <= media.audio_duration(media.synth_preview("jazz", 2, seconds=10)) <= 10.5


@pytest.mark.parametrize("genre", media.GENRES)
def test_every_genre_renders_an_audible_unclipped_preview_that_fades_in_and_out(genre):
    samples = media.render_preview(genre, 7)

    assert samples.dtype == np.float32 and samples.size == 30 * media.SR
    assert np.isfinite(samples).all()
    assert 0.8 <= np.abs(samples).max() <= 0.9  # normalised, with headroom for the MP3 encoder
    assert np.sqrt(np.mean(samples**2)) > 0.1
    assert np.abs(samples[:50]).max() < 0.01 and np.abs(samples[-50:]).max() < 0.01


def test_the_same_seed_gives_the_same_preview_and_another_seed_a_different_one():
    first = media.render_preview("lo-fi", 3)

    assert np.array_equal(first, media.render_preview("lo-fi", 3))
    assert not np.allclose(first, media.render_preview("lo-fi", 4))
    assert media.synth_preview("pop", 5) == media.synth_preview("pop", 5)


def test_seeds_vary_the_key_progression_and_tempo_within_a_genre():
    plans = [media.preview_plan("pop", seed) for seed in range(12)]

    assert len({plan.key for plan in plans}) >= 4
    assert len({plan.progression for plan in plans}) >= 3
    assert len({plan.bpm for plan in plans}) >= 4


def test_genres_sound_different():
    def bright(genre):
        return brightness(*decode(media.synth_preview(genre, 0)))

    assert 4 * bright("ambient") < bright("metal")
    assert 4 * bright("lo-fi") < bright("electronic")
    for seed in range(10):
        assert media.genre_bpm("ambient", seed) < media.genre_bpm("house", seed)
        assert media.genre_bpm("r&b", seed) < media.genre_bpm("metal", seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_reported_bpm_is_the_tempo_you_hear(seed):
    samples, rate = decode(media.synth_preview("techno", seed))

    assert estimated_bpm(samples, rate) == pytest.approx(media.genre_bpm("techno", seed), rel=0.02)


def test_every_catalogue_genre_has_a_bpm_in_the_range_the_model_accepts():
    for slug, _label in CATALOGUE_GENRES:
        assert 20 <= media.GENRE_BPM[slug] <= 300
        assert all(20 <= media.genre_bpm(slug, seed) <= 300 for seed in range(20))
    assert media.GENRE_BPM["r&b"] == media.GENRE_BPM["r-and-b"]


def test_free_text_genres_map_to_a_style_and_unknown_ones_to_the_default():
    assert media.normalise_genre("R&B") == "r-and-b"
    assert media.normalise_genre("r-and-b") == "r-and-b"
    assert media.normalise_genre("Hip Hop") == "hip-hop"
    assert media.normalise_genre("Lo-Fi Hip Hop") == "lo-fi"
    assert media.normalise_genre("Deep House") == "house"
    assert media.normalise_genre("Melodic Death Metal") == "metal"
    assert media.normalise_genre("polka") == media.DEFAULT_GENRE
    assert 29.5 <= media.audio_duration(media.synth_preview("polka", 1)) <= 30.5


def test_audio_duration_rejects_bytes_that_are_not_audio():
    with pytest.raises(ValueError):
        media.audio_duration(b"definitely not an mp3" * 10)


@pytest.mark.parametrize("size", [600, 300])
def test_cover_is_a_jpeg_of_the_requested_size(size):
    data = media.draw_cover("Neon Rainfall", "Ada Synth", "electronic", 1, size=size)

    assert data[:3] == b"\xff\xd8\xff"
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size == (size, size)
    assert image.mode == "RGB"


def test_covers_are_deterministic_and_differ_by_seed_and_genre():
    def mean_colour(genre, seed):
        data = media.draw_cover("Title", "Artist", genre, seed)
        return np.asarray(Image.open(io.BytesIO(data)), dtype=np.float32).mean(axis=(0, 1))

    cover = media.draw_cover("Title", "Artist", "jazz", 4)
    assert cover == media.draw_cover("Title", "Artist", "jazz", 4)
    assert cover != media.draw_cover("Title", "Artist", "jazz", 5)
    assert np.abs(mean_colour("classical", 1) - mean_colour("techno", 1)).sum() > 150
    assert np.abs(mean_colour("house", 1) - mean_colour("ambient", 1)).sum() > 60


def test_the_title_is_drawn_in_white_over_a_dark_band_at_the_bottom():
    untitled = np.asarray(Image.open(io.BytesIO(media.draw_cover(" ", "", "classical", 2))), dtype=np.float32)
    titled = np.asarray(Image.open(io.BytesIO(media.draw_cover("Quiet Room", "Clara", "classical", 2))))

    band = slice(int(600 * 0.7), 600)
    changed = np.abs(titled[band].astype(np.float32) - untitled[band]).max(axis=2) > 60
    assert changed.sum() > 2000  # the glyphs
    assert (titled[band][changed] > 200).all(axis=1).mean() > 0.5  # ...which are mostly near-white
    assert untitled[band].mean() < untitled[: int(600 * 0.3)].mean()  # the scrim darkens the text area


def test_long_titles_names_and_unknown_genres_still_make_a_cover():
    data = media.draw_cover(
        "An Extraordinarily Long Title That Could Never Fit On A Single Line Of Any Cover Whatsoever",
        "The Artist With A Name Longer Than The Cover Is Wide, Honestly",
        "sea shanty",
        9,
    )
    assert Image.open(io.BytesIO(data)).size == (600, 600)
