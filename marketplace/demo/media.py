"""Locally synthesised media for the demo catalogue: MP3 previews and JPEG covers.

The demo store needs tracks that are audibly and visibly different per genre
without shipping licensed samples or touching the network, so everything is
generated from a ``(genre, seed)`` pair with numpy and Pillow.  The same pair
always gives the same output; another seed gives another track of the genre.
"""

from __future__ import annotations

import functools
import io
import math
import re
import zlib
from dataclasses import dataclass, field

import mutagen
import numpy as np
import soundfile as sf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SR = 22050  # Half CD rate: plenty for a preview and halves the synthesis work.
NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
GENRES = (
    "electronic", "hip-hop", "ambient", "lo-fi", "rock", "pop", "cinematic", "jazz",
    "classical", "synthwave", "house", "techno", "folk", "r-and-b", "metal",
)  # fmt: skip
DEFAULT_GENRE = "pop"

# Free-text genres are matched by substring, first hit wins, so the order settles
# ambiguous names ("lo-fi hip hop" is lo-fi, "folk metal" is metal).
_GENRE_HINTS = (
    ("synthwave", "synthwave"), ("retrowave", "synthwave"), ("outrun", "synthwave"), ("vaporwave", "synthwave"),
    ("lofi", "lo-fi"), ("chillhop", "lo-fi"), ("techno", "techno"), ("house", "house"),
    ("hiphop", "hip-hop"), ("trap", "hip-hop"), ("boombap", "hip-hop"), ("rap", "hip-hop"),
    ("r&b", "r-and-b"), ("randb", "r-and-b"), ("rnb", "r-and-b"), ("soul", "r-and-b"),
    ("metal", "metal"), ("rock", "rock"), ("punk", "rock"), ("grunge", "rock"), ("indie", "rock"),
    ("ambient", "ambient"), ("drone", "ambient"), ("newage", "ambient"),
    ("cinematic", "cinematic"), ("orchestral", "cinematic"), ("soundtrack", "cinematic"), ("epic", "cinematic"),
    ("trailer", "cinematic"), ("score", "cinematic"), ("classical", "classical"), ("baroque", "classical"),
    ("piano", "classical"), ("jazz", "jazz"), ("bebop", "jazz"), ("swing", "jazz"), ("blues", "jazz"),
    ("folk", "folk"), ("acoustic", "folk"), ("country", "folk"), ("bluegrass", "folk"),
    ("electro", "electronic"), ("edm", "electronic"), ("idm", "electronic"), ("dance", "electronic"),
    ("trance", "electronic"), ("dubstep", "electronic"), ("pop", "pop"),
)  # fmt: skip


def normalise_genre(genre: str) -> str:
    """Map catalogue slugs and free text ("R&B", "Lo Fi", "deep house") onto a synthesised style."""
    text = (genre or "").lower().replace(" and ", "&").replace(" n ", "&")
    compact = re.sub(r"[^a-z&]", "", text)
    if compact in {g.replace("-", "") for g in GENRES}:
        return next(g for g in GENRES if g.replace("-", "") == compact)
    for needle, name in _GENRE_HINTS:
        if needle in compact:
            return name
    return DEFAULT_GENRE


# ---------------------------------------------------------------------------
# Harmony: what each genre may play.  Progressions are 0-based scale degrees.
# ---------------------------------------------------------------------------

_SCALES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "harmonic minor": (0, 2, 3, 5, 7, 8, 11),
}
_MAJOR = ((0, 4, 5, 3), (0, 5, 3, 4), (5, 3, 0, 4), (0, 3, 4, 3), (0, 3, 5, 4), (3, 4, 2, 5))
_MINOR = ((0, 5, 2, 6), (0, 6, 5, 6), (0, 5, 3, 4), (0, 3, 6, 2), (0, 2, 5, 6), (0, 3, 5, 6))
_JAZZY = ((3, 2, 1, 0), (1, 4, 0, 5), (3, 4, 2, 5), (0, 5, 1, 4), (1, 4, 2, 5))
_DORIAN = ((0, 3), (0, 3, 0, 6), (0, 6, 3, 3), (0, 4, 3, 6))
_DRONE = ((0, 0, 5, 5), (0, 0, 0, 0), (0, 0, 6, 6), (0, 0, 3, 3))
_HARMONIC = ((0, 5, 3, 4), (0, 3, 4, 0), (0, 5, 1, 4))

# genre -> (bpm low, bpm high, ((mode, progressions), ...), allowed tonics or None for any)
_RECIPES: dict[str, tuple[int, int, tuple[tuple[str, tuple[tuple[int, ...], ...]], ...], tuple[int, ...] | None]] = {
    "electronic": (120, 128, (("minor", _MINOR),), None),
    "house": (120, 126, (("minor", _MINOR), ("dorian", _DORIAN), ("major", _JAZZY)), None),
    "techno": (126, 134, (("minor", _DRONE), ("phrygian", _DRONE)), None),
    "hip-hop": (84, 96, (("minor", _MINOR), ("dorian", _DORIAN)), None),
    "lo-fi": (70, 88, (("major", _JAZZY), ("dorian", _DORIAN)), None),
    "rock": (110, 140, (("major", _MAJOR), ("minor", _MINOR), ("mixolydian", ((0, 6, 3, 0), (0, 3, 6, 3)))),
             (4, 9, 2, 7, 0)),
    "pop": (96, 124, (("major", _MAJOR),), None),
    "cinematic": (70, 96, (("minor", _MINOR), ("harmonic minor", _HARMONIC)), None),
    "jazz": (100, 150, (("major", ((1, 4, 0, 0), (1, 4, 0, 5), (0, 5, 1, 4), (2, 5, 1, 4))),), None),
    "classical": (72, 104, (("major", ((0, 3, 4, 0), (0, 5, 1, 4), (0, 1, 4, 0), (0, 4, 5, 3))),
                            ("harmonic minor", _HARMONIC)), None),
    "synthwave": (84, 118, (("minor", _MINOR),), None),
    "folk": (84, 120, (("major", _MAJOR), ("mixolydian", ((0, 6, 3, 0), (0, 3, 6, 0)))), (7, 2, 9, 0, 4)),
    "r-and-b": (64, 90, (("major", _JAZZY), ("dorian", _DORIAN)), None),
    "metal": (140, 180, (("phrygian", ((0, 0, 1, 0), (0, 5, 1, 0), (0, 2, 1, 0), (0, 0, 5, 6))),
                         ("minor", ((0, 5, 6, 0), (0, 0, 5, 6)))), (4, 2, 1, 0)),
    "ambient": (60, 76, (("major", ((0, 3), (0, 5, 3, 0), (3, 0), (0, 4, 5, 3))), ("lydian", ((0, 1), (0, 1, 5, 1)))),
                None),
}  # fmt: skip

#: Nominal tempo per genre; the exact tempo of one preview is ``genre_bpm(genre, seed)``.
GENRE_BPM: dict[str, int] = {g: (r[0] + r[1]) // 2 for g, r in _RECIPES.items()}
GENRE_BPM["r&b"] = GENRE_BPM["r-and-b"]


@dataclass(frozen=True)
class PreviewPlan:
    """The musical choices behind one preview, exposed so the catalogue can store real metadata."""

    genre: str
    bpm: int
    tonic: int  # pitch class, 0 = C
    mode: str
    progression: tuple[int, ...]

    @property
    def key(self) -> str:
        return f"{NOTE_NAMES[self.tonic]} {self.mode}"


def _rng(genre: str, seed: int, purpose: str) -> np.random.Generator:
    # crc32 rather than hash(): str hashes are salted per process, which would break reproducibility.
    return np.random.default_rng([zlib.crc32(f"{genre}|{purpose}".encode()), seed % (1 << 64)])


def preview_plan(genre: str, seed: int) -> PreviewPlan:
    """Tempo, key and progression are drawn from their own stream so they never drift with synthesis tweaks."""
    name = normalise_genre(genre)
    lo, hi, modes, tonics = _RECIPES[name]
    rng = _rng(name, seed, "plan")
    bpm = int(rng.integers(lo, hi + 1))
    mode, progressions = modes[int(rng.integers(len(modes)))]
    progression = progressions[int(rng.integers(len(progressions)))]
    tonic = int(rng.integers(12)) if tonics is None else tonics[int(rng.integers(len(tonics)))]
    return PreviewPlan(name, bpm, tonic, mode, progression)


def genre_bpm(genre: str, seed: int) -> int:
    """The tempo ``synth_preview(genre, seed)`` really plays at (within 0.2 %), for the catalogue's BPM field."""
    return preview_plan(genre, seed).bpm


# ---------------------------------------------------------------------------
# Oscillators and envelopes.  Wavetables keep every voice at ~5 numpy ops per
# sample whatever its harmonic content, which is what keeps a preview fast.
# ---------------------------------------------------------------------------

_TABLE = 2048
_MASK = _TABLE - 1
_TWO_PI = 2.0 * math.pi
_IDX = {"f64": np.arange(0, dtype=np.float64), "f32": np.arange(0, dtype=np.float32)}


def _idx(n: int, kind: str = "f64") -> np.ndarray:
    """A shared 0..n-1 ramp: allocating one per note was a measurable share of render time."""
    ramp = _IDX[kind]
    if n > ramp.size:  # grow into locals first, so a concurrent caller can never hand back a short ramp
        f64 = np.arange(max(n, 2 * ramp.size, SR * 8), dtype=np.float64)
        fresh = {"f64": f64, "f32": f64.astype(np.float32)}
        _IDX.update(fresh)
        ramp = fresh[kind]
    return ramp[:n]


_SHAPES = {
    "sine": lambda k: 1.0 if k == 1 else 0.0,
    "saw": lambda k: 1.0 / k,
    "square": lambda k: 1.0 / k if k % 2 else 0.0,
    "tri": lambda k: (-1.0) ** ((k - 1) // 2) / k**2 if k % 2 else 0.0,
    "pulse": lambda k: abs(math.sin(math.pi * k * 0.25)) / k,
    "organ": lambda k: {1: 1.0, 2: 0.7, 3: 0.45, 4: 0.35, 6: 0.2, 8: 0.15}.get(k, 0.0),
    "soft": lambda k: 1.0 / k**2.5,
    "sub": lambda k: {1: 1.0, 2: 0.3, 3: 0.1}.get(k, 0.0),
    "upright": lambda k: {1: 1.0, 2: 0.55, 3: 0.3, 4: 0.15, 5: 0.08}.get(k, 0.0),
    "piano_lo": lambda k: {1: 1.0, 2: 0.45, 3: 0.2}.get(k, 0.0),
    "piano_hi": lambda k: 0.0 if k < 2 else 1.0 / k**1.2,
}


@functools.lru_cache(maxsize=512)
def _wave_table(kind: str, harmonics: int) -> np.ndarray:
    amps = np.array([_SHAPES[kind](k) for k in range(1, harmonics + 1)])
    phase = np.arange(_TABLE) * (_TWO_PI / _TABLE)
    table = (amps[:, None] * np.sin(np.arange(1, harmonics + 1)[:, None] * phase)).sum(axis=0)
    table = (table / max(np.abs(table).max(), 1e-9)).astype(np.float32)
    table.flags.writeable = False
    return table


def _wave(kind: str, freq: float, max_harmonics: int) -> np.ndarray:
    """Band-limited to below Nyquist so high notes do not alias into noise."""
    return _wave_table(kind, max(1, min(max_harmonics, int(SR * 0.45 / freq))))


def _pos(freq: float, n: int, phase: float = 0.0, vib: float = 0.0, rate: float = 5.2) -> np.ndarray:
    """Table read positions; vibrato is integrated in closed form, avoiding a cumsum per note."""
    i = _idx(n)
    if vib:
        w = _TWO_PI * rate / SR
        i = i + (vib / w) * (1.0 - np.cos(w * i))
    return i * (freq * _TABLE / SR) + phase * _TABLE


def _read(table: np.ndarray, pos: np.ndarray) -> np.ndarray:
    return table[pos.astype(np.int64) & _MASK]


def _osc(kind: str, freq: float, n: int, max_harmonics: int = 40, phase: float = 0.0, vib: float = 0.0):
    return _read(_wave(kind, freq, max_harmonics), _pos(freq, n, phase, vib))


def _env(n: int, attack: float = 0.004, decay: float = 0.0, release: float = 0.03, floor: float = 0.0):
    """Linear attack, exponential decay towards ``floor`` and a linear release so no note ends in a click."""
    if decay:
        e = np.exp(_idx(n, "f32") * np.float32(-1.0 / (decay * SR)))
        if floor:
            e = floor + (1.0 - floor) * e
    else:
        e = np.ones(n, np.float32)
    a = min(n, int(attack * SR))
    if a > 1:
        e[:a] *= np.linspace(0.0, 1.0, a, dtype=np.float32)
    r = min(n, int(release * SR))
    if r > 1:
        e[-r:] *= np.linspace(1.0, 0.0, r, dtype=np.float32)
    return e


def _fast_len(n: int) -> int:
    """Smallest 5-smooth length >= n: numpy's FFT is ~10x slower on lengths with a large prime factor."""
    best = 1 << (n - 1).bit_length()
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            p = p35
            while p < n:
                p *= 2
            best = min(best, p)
            p35 *= 3
        p5 *= 5
    return best


def _band(x: np.ndarray, lo: float = 0.0, hi: float = 0.0, order: int = 2, wrap: bool = False) -> np.ndarray:
    """Zero-phase Butterworth-shaped filter in the frequency domain; ``wrap`` treats ``x`` as a seamless loop."""
    pad = min(x.size, int(0.25 * SR))
    src = np.concatenate([x[-pad:], x, x[:pad]]) if wrap else x
    size = _fast_len(src.size + (0 if wrap else pad))
    freqs = np.fft.rfftfreq(size, 1.0 / SR)
    gain = np.ones(freqs.size)
    if hi:
        gain /= np.sqrt(1.0 + (freqs / hi) ** (2 * order))
    if lo:
        gain /= np.sqrt(1.0 + (lo / np.maximum(freqs, 1e-3)) ** (2 * order))
    y = np.fft.irfft(np.fft.rfft(src.astype(np.float32), size) * gain.astype(np.float32), size)
    start = pad if wrap else 0
    return y[start : start + x.size].astype(np.float32)


def _norm(x: np.ndarray) -> np.ndarray:
    return x / max(float(np.abs(x).max()), 1e-9)


# ---------------------------------------------------------------------------
# Instruments: (freq, n, rng, **params) -> float32[n]
# ---------------------------------------------------------------------------


def _i_pad(freq, n, rng, kind="saw", maxh=10, voices=3, detune=0.006, attack=0.5, release=0.8, vib=0.0):
    """Detuned unison voices beat against each other, which is what makes a pad sound wide."""
    out = np.zeros(n, np.float32)
    for v in range(voices):
        out += _osc(kind, freq * (1.0 + detune * (v - (voices - 1) / 2)), n, maxh, rng.random(), vib)
    return out * (_env(n, attack, 0.0, release) / voices)


def _i_pluck(
    freq,
    n,
    rng,
    kind="saw",
    maxh=32,
    decay=0.3,
    tone=0.1,
    voices=1,
    detune=0.008,
    sustain=0.0,
    attack=0.002,
    release=0.03,
    vib=0.0,
):
    """Crossfading a bright table into a dark one imitates a closing low-pass filter without any filtering."""
    bright, dark = _wave(kind, freq, maxh), _wave(kind, freq, 3)
    tone_env = _env(n, 0.0, tone, 0.0)
    out = np.zeros(n, np.float32)
    for v in range(voices):
        f = freq * (1.0 + detune * (v - (voices - 1) / 2))
        idx = _pos(f, n, rng.random(), vib).astype(np.int64) & _MASK
        d = dark[idx]
        out += d + (bright[idx] - d) * tone_env
    return out * (_env(n, attack, decay, release, sustain) / voices)


def _i_epiano(freq, n, rng, decay=1.4, index=1.6, tine=0.2):
    """Two-operator FM with a decaying index: the classic cheap electric-piano bark."""
    sine = _wave("sine", freq, 1)
    base = _pos(freq, n)
    mod = _read(sine, base) * (index * _env(n, 0.0, 0.3, 0.0))
    out = _read(sine, base + mod * (_TABLE / _TWO_PI))
    if freq * 4 < SR * 0.45:
        out += tine * _read(sine, _pos(freq * 4.0, n)) * _env(n, 0.0, 0.08, 0.0)
    return out * _env(n, 0.003, decay, 0.06)


def _i_piano(freq, n, rng, decay=0.0):
    """Upper partials die much faster than the fundamental; two tables with two envelopes capture that."""
    d = decay or float(np.clip(2.6 * (130.0 / freq) ** 0.6, 0.45, 4.0))
    idx = _pos(freq, n).astype(np.int64) & _MASK
    lo, hi = _wave("piano_lo", freq, 3), _wave("piano_hi", freq, 12)
    return lo[idx] * _env(n, 0.002, d, 0.05) + 0.55 * hi[idx] * _env(n, 0.001, d * 0.15, 0.05)


def _i_bell(freq, n, rng, ratio=3.5, index=2.2, decay=1.6):
    """Inharmonic FM ratio gives the metallic, glassy partials of bells and celesta."""
    sine = _wave("sine", freq, 1)
    mod = _read(sine, _pos(freq * ratio, n)) * (index * _env(n, 0.0, decay * 0.35, 0.0))
    return _read(sine, _pos(freq, n) + mod * (_TABLE / _TWO_PI)) * _env(n, 0.002, decay, 0.08)


def _i_string(freq, n, rng, damping=0.996, soft=2):
    """Karplus-Strong, one period per numpy step, then resampled so the pitch is exact rather than integer-period."""
    period = max(2, int(SR / freq - 0.5))
    ratio = freq * (period + 0.5) / SR  # the averaging filter adds half a sample of delay
    blocks = int(n * ratio) // period + 3
    y = np.zeros(blocks * period + 1)
    exc = rng.uniform(-1.0, 1.0, period)
    for _ in range(soft):
        exc = 0.5 * (exc + np.roll(exc, 1))
    y[1 : period + 1] = (exc - exc.mean()) / max(np.abs(exc).max(), 1e-9)
    g = 0.5 * damping
    for b in range(1, blocks):
        s = 1 + b * period
        y[s : s + period] = g * (y[s - period : s] + y[s - period - 1 : s - 1])
    out = np.interp(_idx(n) * ratio, _idx(y.size - 1), y[1:]).astype(np.float32)
    return out * _env(n, 0.001, 0.0, 0.04)


def _i_power(freq, n, rng, drive=8.0, palm=False, intervals=(0, 7, 12), vib=0.0):
    """Double-tracked saws through tanh: power chords because only fifths survive distortion cleanly."""
    x = np.zeros(n, np.float32)
    for semis in intervals:
        for d in (-0.0025, 0.0025):
            x += _osc("saw", freq * 2 ** (semis / 12) * (1 + d), n, 14 if palm else 30, rng.random(), vib)
    env = _env(n, 0.002, 0.09 if palm else 3.0, 0.03, 0.05 if palm else 0.3)
    return np.tanh(x * env * (drive / 3.0)) * _env(n, 0.0, 0.0, 0.03)


# ---------------------------------------------------------------------------
# Drums, rendered once per process and reused.
# ---------------------------------------------------------------------------


def _sweep(n: int, f0: float, f1: float, tau: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n) / SR
    f = f1 + (f0 - f1) * np.exp(-t / tau)
    return np.sin(_TWO_PI * np.cumsum(f) / SR), t


def _noise(rng: np.random.Generator, seconds: float) -> np.ndarray:
    return rng.uniform(-1.0, 1.0, int(seconds * SR))


@functools.lru_cache(maxsize=64)
def _drum(kind: str, variant: int = 0) -> np.ndarray:
    rng = np.random.default_rng(zlib.crc32(f"{kind}:{variant}".encode()))
    if kind == "kick":  # 0 punchy, 1 long 808, 2 soft/dusty, 3 deep techno
        f0, f1, tau, dec, dur, click = [
            (160, 50, 0.03, 0.16, 0.4, 0.35),
            (130, 45, 0.05, 0.55, 1.0, 0.25),
            (110, 52, 0.025, 0.12, 0.3, 0.12),
            (190, 44, 0.025, 0.25, 0.5, 0.4),
        ][variant]
        body, t = _sweep(int(dur * SR), f0, f1, tau)
        x = body * np.exp(-t / dec) + click * _norm(_band(_noise(rng, dur) * np.exp(-t / 0.003), 1500, 6000))
        x = np.tanh(2.0 * x) if variant in (1, 3) else x
    elif kind in ("snare", "gated"):
        t = np.arange(int(0.3 * SR)) / SR
        tone = (np.sin(_TWO_PI * 185 * t) + 0.5 * np.sin(_TWO_PI * 330 * t)) * np.exp(-t / 0.05)
        lo, hi, dec = (1200, 9000, 0.09) if variant == 0 else (700, 4000, 0.07)
        x = 0.6 * _norm(tone) + _norm(_band(_noise(rng, 0.3), lo, hi)) * np.exp(-t / dec)
        if kind == "gated":  # 80s: a dense reverb chopped off by a noise gate
            x = np.convolve(x, _reverb_ir(1.2)[: int(0.3 * SR)])[: int(0.32 * SR)] * 0.6 + np.pad(
                x, (0, int(0.02 * SR))
            )
            x[int(0.24 * SR) :] *= np.linspace(1, 0, x.size - int(0.24 * SR))
    elif kind == "clap":
        t = np.arange(int(0.35 * SR)) / SR
        env = sum(np.where(t >= d, np.exp(-np.clip(t - d, 0, None) / 0.007), 0) for d in (0, 0.011, 0.023))
        env = env + 0.5 * np.where(t >= 0.03, np.exp(-np.clip(t - 0.03, 0, None) / 0.11), 0)
        x = _band(_noise(rng, 0.35), 800, 3500) * env
    elif kind == "hat":  # 0 crisp closed, 1 dull foot hat
        t = np.arange(int(0.12 * SR)) / SR
        x = _band(_noise(rng, 0.12), 7000 if variant == 0 else 4000, 0, 4) * np.exp(
            -t / (0.03 if variant == 0 else 0.05)
        )
    elif kind == "ohat":
        t = np.arange(int(0.5 * SR)) / SR
        x = _band(_noise(rng, 0.5), 6000, 0, 4) * np.exp(-t / 0.2)
    elif kind in ("ride", "crash"):
        dur, dec = (1.4, 0.9) if kind == "ride" else (2.0, 1.1)
        t = np.arange(int(dur * SR)) / SR
        metal = sum(np.sign(np.sin(_TWO_PI * f * t + rng.random() * 6)) for f in (587, 845, 1031, 1468, 2105, 2877))
        x = _band(metal + (3.0 if kind == "crash" else 0.5) * _noise(rng, dur), 3000, 10000, 2)
        x = _norm(x) * np.exp(-t / dec) * np.minimum(1.0, t / 0.003)
        if kind == "ride":
            x += 0.35 * np.sin(_TWO_PI * 2900 * t) * np.exp(-t / 0.3)
    elif kind == "shaker":
        t = np.arange(int(0.12 * SR)) / SR
        x = _band(_noise(rng, 0.12), 4000, 9500) * np.minimum(1.0, t / 0.012) * np.exp(-t / 0.05)
    elif kind == "rim":
        t = np.arange(int(0.08 * SR)) / SR
        x = (np.sin(_TWO_PI * 1700 * t) + 0.6 * np.sin(_TWO_PI * 820 * t)) * np.exp(-t / 0.012)
        x += 0.5 * _norm(_band(_noise(rng, 0.08), 1000, 4000)) * np.exp(-t / 0.006)
    elif kind in ("tom", "taiko"):
        f0, f1, tau, dec, dur = (150, 95, 0.08, 0.3, 0.5) if kind == "tom" else (95, 52, 0.06, 0.65, 1.2)
        body, t = _sweep(int(dur * SR), f0, f1, tau)
        skin = _norm(_band(_noise(rng, dur), 100, 1400)) * np.exp(-t / 0.04)
        x = np.tanh(1.5 * (body * np.exp(-t / dec) + 0.4 * skin))
    else:
        raise ValueError(f"unknown drum {kind!r}")
    x = _norm(np.asarray(x, dtype=np.float64)) * np.linspace(1.0, 0.0, len(x)) ** 0.25
    out = x.astype(np.float32)
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=8)
def _reverb_ir(seconds: float) -> np.ndarray:
    """Exponentially decaying, darkened noise: a plausible hall without convolution-reverb samples."""
    rng = np.random.default_rng(7)
    n = int(seconds * SR)
    t = np.arange(n) / SR
    ir = _band(rng.standard_normal(n) * np.exp(-6.9 * t / seconds), 150, 4500)
    ir = np.concatenate([np.zeros(int(0.015 * SR), np.float32), ir])
    ir = (ir / np.sqrt(np.sum(ir.astype(np.float64) ** 2))).astype(np.float32)
    ir.flags.writeable = False
    return ir


def _convolve(x: np.ndarray, ir: np.ndarray) -> np.ndarray:
    size = _fast_len(x.size + ir.size)
    return np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(ir, size), size)[: x.size].astype(np.float32)


# ---------------------------------------------------------------------------
# The sequencer: a loop of 4 or 8 bars, rendered once and tiled.
# ---------------------------------------------------------------------------

_VEL = {"x": 1.0, "X": 1.3, "o": 0.65, "g": 0.3, "r": 0.55}


def _fold(midi: int, low: int, high: int) -> int:
    while midi >= high:
        midi -= 12
    while midi < low:
        midi += 12
    return midi


@dataclass
class _Stem:
    buf: np.ndarray
    level: float
    send: float = 0.0
    enter: int = 0  # bar at which the stem comes in
    lo: float = 0.0
    hi: float = 0.0
    duck: float = 0.0  # side-chain pump depth


@dataclass
class _Song:
    plan: PreviewPlan
    rng: np.random.Generator
    swing: float = 0.0  # delay of odd 16ths, in 16ths
    swing8: float = 0.0  # delay of off-beat 8ths, in 16ths
    jitter: float = 0.0  # timing spread in seconds: human players are never on the grid
    reverb: float = 1.6
    lofi: bool = False
    stems: dict[str, _Stem] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)

    def __post_init__(self):
        self.bars = 8 if self.plan.bpm >= 110 else 4
        # 16th length in samples, a multiple of 8 (<= 0.2 % tempo error) so grid positions are whole samples.
        self.step = max(8, round(SR * 15 / self.plan.bpm / 8) * 8)
        self.length = self.bars * 16 * self.step
        self.scale = _SCALES[self.plan.mode]
        self.root = 36 + self.plan.tonic
        self.prog = [self.plan.progression[b % len(self.plan.progression)] for b in range(self.bars)]

    def pick(self, options):
        return options[int(self.rng.integers(len(options)))]

    def stem(self, name: str, level: float = 1.0, **kw) -> str:
        if name not in self.stems:
            self.stems[name] = _Stem(np.zeros(self.length, np.float32), level, **kw)
        return name

    def pos(self, bar: int, step: float) -> int:
        s = bar * 16 + step
        if float(step).is_integer():
            if self.swing and int(step) % 2 == 1:
                s += self.swing
            if self.swing8 and int(step) % 4 == 2:
                s += self.swing8
        p = s * self.step
        if self.jitter:
            p += self.rng.normal(0.0, self.jitter * SR)
        return int(p)

    def add(self, name: str, pos: int, sig: np.ndarray, gain: float = 1.0) -> None:
        """Mix into the loop, wrapping tails round to the start so the tiled loop is seamless."""
        buf, length = self.stems[name].buf, self.length
        sig = sig[:length]
        pos %= length
        end = pos + sig.size
        if end <= length:
            buf[pos:end] += gain * sig
        else:
            cut = length - pos
            buf[pos:] += gain * sig[:cut]
            buf[: end - length] += gain * sig[cut:]

    def degree(self, deg: int, base: int | None = None) -> int:
        octave, i = divmod(deg, 7)
        return (self.root if base is None else base) + 12 * octave + self.scale[i]

    def chord(self, bar: int, size: int = 3, center: int = 60) -> list[int]:
        """Close voicing around ``center``: folding each tone gives smooth voice leading for free."""
        d = self.prog[bar % self.bars]
        return sorted({_fold(self.degree(d + 2 * k), center - 6, center + 6) for k in range(size)})

    def bass_note(self, bar: int, low: int = 33) -> int:
        return _fold(self.degree(self.prog[bar % self.bars]), low, low + 12)

    def note(self, inst, midi: float, n: int, **kw) -> np.ndarray:
        key = (inst.__name__, midi, n, tuple(sorted(kw.items())))
        if key not in self.cache:
            self.cache[key] = inst(440.0 * 2 ** ((midi - 69) / 12), n, self.rng, **kw)
        return self.cache[key]

    def play(self, stem, inst, midi, bar, step, steps, gain=1.0, release=0.05, offset=0.0, **kw) -> None:
        n = int(steps * self.step + release * SR)
        self.add(stem, self.pos(bar, step) + int(offset * SR), self.note(inst, midi, n, **kw), gain)

    def drums(self, stem: str, sample: np.ndarray, patterns, gain: float = 1.0) -> None:
        """Patterns are 16-character bars: x accent, o medium, g ghost, r a 32nd-note roll."""
        patterns = [patterns] if isinstance(patterns, str) else patterns
        for bar in range(self.bars):
            for i, ch in enumerate(patterns[bar % len(patterns)]):
                if ch in _VEL:
                    v = gain * _VEL[ch] * (0.9 + 0.2 * self.rng.random())
                    self.add(stem, self.pos(bar, i), sample, v)
                    if ch == "r":
                        self.add(stem, self.pos(bar, i + 0.5), sample, v * 0.8)

    def bassline(self, stem, inst, patterns, low=33, gain=1.0, legato=0.9, release=0.04, **kw) -> None:
        """x root, ^ octave up, 5 fifth: basslines mostly just need to land on the root with the kick."""
        patterns = [patterns] if isinstance(patterns, str) else patterns
        for bar in range(self.bars):
            pat = patterns[bar % len(patterns)]
            hits = [i for i, ch in enumerate(pat) if ch != "."]
            root = self.bass_note(bar, low)
            for j, i in enumerate(hits):
                nxt = hits[j + 1] if j + 1 < len(hits) else 16
                midi = root + {"^": 12, "5": 7}.get(pat[i], 0)
                self.play(stem, inst, midi, bar, i, (nxt - i) * legato, gain * _VEL.get(pat[i], 1.0), release, **kw)

    def chords(self, stem, inst, patterns, size=3, center=60, strum=0.0, gain=1.0, hold=0.0, release=0.1, **kw) -> None:
        patterns = [patterns] if isinstance(patterns, str) else patterns
        for bar in range(self.bars):
            pat = patterns[bar % len(patterns)]
            hits = [i for i, ch in enumerate(pat) if ch in _VEL]
            tones = self.chord(bar, size, center)
            for j, i in enumerate(hits):
                steps = hold or ((hits[j + 1] if j + 1 < len(hits) else 16) - i)
                for k, midi in enumerate(tones):
                    self.play(stem, inst, midi, bar, i, steps, gain * _VEL[pat[i]], release, k * strum, **kw)

    def arp(
        self, stem, inst, center, rate=2, size=3, octaves=2, order="up", gain=1.0, gate=0.85, release=0.05, **kw
    ) -> None:
        shuffle = None
        for bar in range(self.bars):
            tones = self.chord(bar, size, center)
            seq = [t + 12 * o for o in range(octaves) for t in tones]
            if order == "updown":
                seq = seq + seq[-2:0:-1]
            elif order == "random":
                shuffle = shuffle if shuffle is not None else self.rng.permutation(len(seq))
                seq = [seq[i % len(seq)] for i in shuffle]
            for k, step in enumerate(range(0, 16, rate)):
                accent = 1.0 if step % 4 == 0 else 0.75
                self.play(stem, inst, seq[k % len(seq)], bar, step, rate * gate, gain * accent, release, **kw)

    def melody(
        self, stem, inst, low, density=0.4, motif_bars=2, max_steps=4, legato=0.95, gain=1.0, release=0.08, **kw
    ) -> None:
        """A short motif written relative to the chord root and replayed over each chord: repetition with
        harmonic movement is what makes a generated line sound intentional rather than random."""
        rng, span = self.rng, motif_bars * 16
        weights = [1.7 if s % 8 == 0 else 1.2 if s % 4 == 0 else 0.8 if s % 2 == 0 else 0.25 for s in range(16)]
        onsets = [s for s in range(span) if rng.random() < density * weights[s % 16]]
        if len(onsets) < 3:
            onsets = sorted(set(onsets) | {0, 6, 8})
        rels, cur = [], int(rng.choice([0, 2, 4]))
        for s in onsets:
            cur += int(rng.choice([-2, -1, -1, 0, 1, 1, 2, 3]))
            if s % 4 == 0:  # strong beats land on chord tones
                cur = min((-3, 0, 2, 4, 7, 9), key=lambda c: abs(c - cur) + rng.random() * 0.6)
            cur = max(-3, min(9, cur))
            rels.append(cur)
        for start in range(0, self.bars, motif_bars):
            vary = start > 0 and rng.random() < 0.5
            for j, (s, rel) in enumerate(zip(onsets, rels, strict=True)):
                bar, step = start + s // 16, s % 16
                if bar >= self.bars:
                    break
                if vary and s % 4 and rng.random() < 0.4:
                    rel += int(rng.choice([-1, 1]))
                nxt = onsets[j + 1] if j + 1 < len(onsets) else span
                midi = _fold(self.degree(self.prog[bar] + rel), low, low + 19)
                accent = 1.0 if s % 4 == 0 else 0.8
                self.play(stem, inst, midi, bar, step, min(max_steps, nxt - s) * legato, gain * accent, release, **kw)


# ---------------------------------------------------------------------------
# Genres.  Each one only decides patterns, instruments and levels.
# ---------------------------------------------------------------------------


def _fill(s: _Song, stem: str, sample: np.ndarray, gain: float) -> None:
    """A snare run into the loop restart marks the phrase, as a drummer would."""
    s.drums(
        stem,
        sample,
        ["." * 16] * (s.bars - 1) + [s.pick(["............xxxx", "..........x.xxxx", "........o.o.xxXX"])],
        gain,
    )


def _four_on_the_floor(s: _Song, kick: int = 0, enter: int = 1) -> None:
    s.drums(s.stem("kick", 1.0, enter=enter), _drum("kick", kick), "x...x...x...x...")


def _electronic(s: _Song) -> None:
    s.reverb = 1.8
    s.drums(
        s.stem("kick", 1.0, enter=1),
        _drum("kick"),
        s.pick(["x...x...x...x...", "x...x...x...x.x.", "x.....x...x....."]),
    )
    s.drums(s.stem("clap", 0.8, send=0.2, enter=1), _drum("clap"), "....x.......x...")
    _fill(s, "clap", _drum("clap"), 0.5)
    s.drums(s.stem("hats", 0.3, enter=1), _drum("ohat"), "..x...x...x...x.")
    s.drums(s.stem("hats"), _drum("hat"), s.pick(["gggggggggggggggg", "x.x.x.x.x.x.x.x."]), 0.6)
    s.bassline(
        s.stem("bass", 0.5, duck=0.5),
        _i_pluck,
        s.pick(["..x...x...x...x.", "x.xx..x.x.xx..x.", "..xx..xx..xx..xx"]),
        maxh=24,
        decay=0.4,
        tone=0.08,
        sustain=0.4,
    )
    s.chords(
        s.stem("stabs", 0.3, send=0.35, duck=0.6),
        _i_pluck,
        s.pick(["x..x..x...x..x..", "x.......x.......", "..x..x....x..x.."]),
        3,
        64,
        voices=3,
        detune=0.012,
        decay=0.35,
        tone=0.15,
        maxh=20,
    )
    s.arp(
        s.stem("arp", 0.22, send=0.4, enter=s.bars // 2, duck=0.4),
        _i_pluck,
        72,
        rate=s.pick([1, 2]),
        order=s.pick(["up", "updown", "random"]),
        kind=s.pick(["square", "saw"]),
        decay=0.18,
        tone=0.05,
    )


def _house(s: _Song) -> None:
    s.reverb = 1.5
    _four_on_the_floor(s)
    s.drums(s.stem("clap", 0.75, send=0.15, enter=1), _drum("clap"), "....x.......x...")
    s.drums(s.stem("hats", 0.25, enter=1), _drum("ohat"), "..x...x...x...x.")
    s.drums(s.stem("hats"), _drum("shaker"), "gogggogggogggogg", 0.6)
    s.bassline(
        s.stem("bass", 0.5, duck=0.5),
        _i_pluck,
        s.pick(["..x...x...x...x.", "..x..x.x..x...x.", "x..x..x...x..x.."]),
        maxh=10,
        decay=0.3,
        tone=0.1,
        sustain=0.3,
    )
    inst, kw = s.pick([(_i_piano, {}), (_i_pluck, {"kind": "organ", "decay": 0.25, "maxh": 8, "tone": 0.2})])
    s.chords(
        s.stem("keys", 0.32, send=0.25, duck=0.5),
        inst,
        s.pick(["..x..x....x..x..", "x..x..x...x..x..", "...x..x....x..x."]),
        4,
        64,
        hold=1.5,
        **kw,
    )


def _techno(s: _Song) -> None:
    s.reverb = 2.2
    _four_on_the_floor(s, kick=3, enter=0)
    s.bassline(
        s.stem("rumble", 0.45, lo=30, hi=300), _i_pluck, ".xxx" * 4, low=28, kind="sub", decay=0.09, maxh=3, legato=0.8
    )
    s.drums(s.stem("hats", 0.25), _drum("ohat"), "..x...x...x...x.")
    s.drums(s.stem("hats"), _drum("hat"), s.pick(["xgogxgogxgogxgog", "g.x.g.x.g.x.g.x."]), 0.7)
    if s.rng.random() < 0.5:
        s.drums(s.stem("ride", 0.15, enter=2), _drum("ride"), "x.x.x.x.x.x.x.x.")
    s.drums(s.stem("clap", 0.7, send=0.4, enter=2), _drum("clap"), s.pick(["....x.......x...", "............x..."]))
    # The acid line: one bar of 16 steps repeated over the drone, as a hardware sequencer would.
    seq = [
        (int(s.rng.choice([0, 0, 0, 12, 3, 7, 10, 15])), s.rng.random() < 0.3) if s.rng.random() < 0.65 else None
        for _ in range(16)
    ]
    acid = s.stem("acid", 0.45, send=0.25, enter=2, duck=0.3)
    for bar in range(s.bars):
        for i, hit in enumerate(seq):
            if hit:
                s.play(
                    acid,
                    _i_pluck,
                    s.bass_note(bar, 45) + hit[0],
                    bar,
                    i,
                    0.9,
                    1.0 if hit[1] else 0.6,
                    kind="saw",
                    maxh=40,
                    decay=0.2,
                    tone=0.05 if hit[1] else 0.025,
                )
    if s.rng.random() < 0.6:
        s.chords(
            s.stem("dub", 0.2, send=0.7, enter=1, duck=0.4),
            _i_pluck,
            s.pick(["...x......x.....", "......x..x......"]),
            4,
            60,
            decay=0.15,
            tone=0.04,
            hold=1,
        )


def _hip_hop(s: _Song) -> None:
    s.swing, s.jitter, s.reverb = float(s.rng.uniform(0.2, 0.4)), 0.004, 1.4
    kick = s.pick(["x.....x...x.....", "x..x......x.x...", "x.....xx..x....."])
    modern = s.rng.random() < 0.4
    s.drums(s.stem("kick", 0.7 if modern else 1.0, enter=1), _drum("kick", 1 if modern else 0), kick)
    s.drums(s.stem("snare", 1.0, send=0.12, enter=1), _drum("clap" if modern else "snare"), "....x.......x...")
    s.drums(s.stem("hats", 0.3, enter=1), _drum("hat"), "xrx.x.xgx.x.xrx." if modern else "x.x.x.x.x.x.x.xo")
    s.bassline(
        s.stem("bass", 0.5 if not modern else 0.3, enter=1),
        _i_pluck,
        kick,
        kind="sub",
        maxh=3,
        decay=0.6,
        sustain=0.3,
        legato=0.95,
    )
    inst = s.pick([_i_epiano, _i_piano])
    s.chords(
        s.stem("keys", 0.35, send=0.25),
        inst,
        s.pick(["x...............", "x.....x.........", "x.......x..x...."]),
        4,
        62,
        strum=0.012,
    )
    s.melody(s.stem("bells", 0.18, send=0.35, enter=2), _i_bell, 72, density=0.22, decay=1.0)


def _lofi(s: _Song) -> None:
    s.swing, s.jitter, s.reverb, s.lofi = float(s.rng.uniform(0.3, 0.5)), 0.006, 1.4, True
    kick = s.pick(["x.......x.x.....", "x..x....x.......", "x.....x..x......"])
    s.drums(s.stem("kick", 0.9, enter=1), _drum("kick", 2), kick)
    s.drums(s.stem("snare", 0.9, send=0.2, enter=1), _drum(s.pick(["snare", "rim"]), 1), "....x.......x...")
    s.drums(s.stem("hats", 0.22, enter=1), _drum("hat"), "x.o.x.o.x.o.x.og")
    s.chords(
        s.stem("keys", 0.4, send=0.3),
        _i_epiano,
        "x...............",
        s.pick([4, 5]),
        60,
        strum=float(s.rng.uniform(0.015, 0.03)),
        index=1.0,
        decay=2.0,
    )
    s.bassline(s.stem("bass", 0.45, enter=1), _i_pluck, kick, kind="upright", maxh=5, decay=0.5, tone=0.15)
    s.melody(
        s.stem("lead", 0.16, send=0.35, enter=2),
        _i_pad,
        67,
        density=0.2,
        kind="tri",
        voices=1,
        attack=0.03,
        release=0.15,
        vib=0.004,
    )


def _rock(s: _Song) -> None:
    s.reverb = 1.2
    s.drums(s.stem("kick", 1.0), _drum("kick"), s.pick(["x.......x.x.....", "x...x...x...x...", "x......xx.x....."]))
    s.drums(s.stem("snare", 1.0, send=0.15), _drum("snare"), "....x.......x...")
    _fill(s, "snare", _drum("snare"), 0.7)
    s.drums(s.stem("hats", 0.28), _drum("hat"), "x.o.x.o.x.o.x.o.")
    s.drums(s.stem("crash", 0.25), _drum("crash"), ["x" + "." * 15] + ["." * 16] * 3)
    rhythm = s.pick(["x.x.x.x.x.x.x.x.", "x..x..x.x..x..x.", "xoxoxoxoxoxoxoxo", "x.o.x.o.x.o.x.o."])
    guitar = s.stem("guitar", 0.4, send=0.12, lo=90, hi=4500)
    for bar in range(s.bars):
        for i, ch in enumerate(rhythm):
            if ch != ".":
                nxt = next((j for j in range(i + 1, 16) if rhythm[j] != "."), 16)
                s.play(
                    guitar,
                    _i_power,
                    _fold(s.bass_note(bar), 40, 52),
                    bar,
                    i,
                    nxt - i,
                    1.0 if ch == "x" else 0.8,
                    palm=ch == "o",
                    drive=7.0,
                )
    s.bassline(s.stem("bass", 0.45), _i_pluck, "x.x.x.x.x.x.x.x.", kind="saw", maxh=8, decay=0.5, sustain=0.4)
    s.melody(
        s.stem("lead", 0.2, send=0.25, enter=s.bars // 2, lo=150, hi=4000),
        _i_power,
        64,
        density=0.3,
        intervals=(0,),
        drive=5.0,
        vib=0.004,
    )


def _metal(s: _Song) -> None:
    s.reverb = 1.2
    s.drums(s.stem("kick", 0.9), _drum("kick"), s.pick(["xxxxxxxxxxxxxxxx", "x.xxx.xxx.xxx.xx", "xx.xxx.xxx.xxx.x"]))
    s.drums(s.stem("snare", 1.0, send=0.15), _drum("snare"), s.pick(["....x.......x...", "........x......."]))
    s.drums(s.stem("crash", 0.22), _drum("crash"), s.pick(["x...x...x...x...", "x.......x......."]))
    _fill(s, "snare", _drum("snare"), 0.7)
    riff = "".join(s.pick(["x", "o", "o", "o", "."]) for _ in range(16))
    riff = "x" + riff[1:]
    guitar = s.stem("guitar", 0.45, send=0.1, lo=80, hi=5000)
    for bar in range(s.bars):
        root = _fold(s.bass_note(bar), 38, 50)
        for i, ch in enumerate(riff):
            if ch != ".":
                nxt = next((j for j in range(i + 1, 16) if riff[j] != "."), 16)
                s.play(
                    guitar,
                    _i_power,
                    root - (12 if ch == "o" and root >= 45 else 0),
                    bar,
                    i,
                    nxt - i,
                    1.0 if ch == "x" else 0.75,
                    palm=ch == "o",
                    drive=12.0,
                )
    s.bassline(
        s.stem("bass", 0.4), _i_pluck, riff.replace("o", "x"), low=28, kind="saw", maxh=8, decay=0.3, sustain=0.5
    )


def _pop(s: _Song) -> None:
    s.reverb = 1.5
    s.drums(
        s.stem("kick", 0.95, enter=1),
        _drum("kick"),
        s.pick(["x.......x.......", "x.....x.x.......", "x...x...x...x..."]),
    )
    s.drums(s.stem("clap", 0.9, send=0.2, enter=1), _drum(s.pick(["clap", "snare"])), "....x.......x...")
    s.drums(
        s.stem("hats", 0.26, enter=1),
        _drum(s.pick(["hat", "shaker"])),
        s.pick(["x.o.x.o.x.o.x.o.", "xgogxgogxgogxgog"]),
    )
    _fill(s, "clap", _drum("snare"), 0.5)
    s.chords(
        s.stem("piano", 0.33, send=0.2),
        _i_piano,
        s.pick(["x...x...x...x...", "x..x..x.x..x..x.", "x.......x.x....."]),
        3,
        64,
    )
    s.chords(s.stem("pad", 0.18, send=0.3), _i_pad, "x...............", 3, 57, kind="soft", maxh=8, attack=0.3)
    s.bassline(
        s.stem("bass", 0.45),
        _i_pluck,
        s.pick(["x..x..x.x..x..x.", "x.x.x.x.x.x.x.x.", "x......xx......."]),
        kind="saw",
        maxh=10,
        decay=0.4,
        sustain=0.3,
    )
    s.melody(
        s.stem("lead", 0.22, send=0.3, enter=s.bars // 2),
        _i_pluck,
        64,
        density=0.45,
        kind="pulse",
        maxh=16,
        decay=0.8,
        sustain=0.5,
        tone=0.3,
        vib=0.005,
        attack=0.01,
    )


def _cinematic(s: _Song) -> None:
    s.reverb = 3.0
    s.chords(
        s.stem("strings", 0.35, send=0.5, hi=3000),
        _i_pad,
        "x...............",
        3,
        57,
        maxh=12,
        attack=0.6,
        release=1.0,
        vib=0.003,
        detune=0.005,
    )
    s.chords(
        s.stem("strings"), _i_pad, "x...............", 3, 69, maxh=10, attack=0.8, release=1.0, vib=0.003, gain=0.6
    )
    s.bassline(
        s.stem("low", 0.4, send=0.3), _i_pad, "x...............", low=33, maxh=8, attack=0.3, release=0.8, legato=1.0
    )
    s.arp(s.stem("ostinato", 0.25, send=0.4), _i_piano, 72, rate=s.pick([2, 2, 1]), order=s.pick(["up", "updown"]))
    s.drums(
        s.stem("taiko", 0.6, send=0.35, enter=1),
        _drum("taiko"),
        s.pick(["x.......x.x.....", "x..x..x.x.......", "x.....x.x...x..."]),
    )
    s.drums(s.stem("taiko"), _drum("tom"), s.pick(["......x.......xx", "............x.x."]), 0.5)
    s.melody(
        s.stem("brass", 0.4, send=0.45, enter=2),
        _i_pad,
        60,
        density=0.18,
        max_steps=8,
        kind="saw",
        maxh=6,
        voices=2,
        attack=0.12,
        release=0.3,
        vib=0.004,
    )


def _jazz(s: _Song) -> None:
    s.swing8, s.jitter, s.reverb = float(s.rng.uniform(0.55, 0.7)), 0.005, 1.2
    s.drums(s.stem("ride", 0.2), _drum("ride"), "x...x.o.x...x.o.")
    s.drums(s.stem("hat", 0.25), _drum("hat", 1), "....x.......x...")
    s.drums(s.stem("kick", 0.35), _drum("kick", 2), "g...g...g...g...")
    s.drums(s.stem("snare", 0.3), _drum("snare", 1), ["".join(s.pick("....g") for _ in range(16)) for _ in range(4)])
    bass = s.stem("bass", 0.6)
    for bar in range(s.bars):  # a walking line: root, two chord/scale tones, chromatic approach to the next root
        root, nxt = s.bass_note(bar, 33), s.bass_note(bar + 1, 33)
        tones = [
            root,
            _fold(s.degree(s.prog[bar] + int(s.rng.choice([2, 4, 1]))), 33, 47),
            _fold(s.degree(s.prog[bar] + int(s.rng.choice([4, 2, 5]))), 33, 47),
            nxt + s.pick([-1, 1]),
        ]
        for beat, midi in enumerate(tones):
            s.play(
                bass,
                _i_pluck,
                midi,
                bar,
                beat * 4,
                3.6,
                1.0 if beat % 2 == 0 else 0.85,
                kind="upright",
                maxh=5,
                decay=0.7,
                tone=0.1,
            )
    comp = [s.pick(["x.....x.........", "......x.....x...", "x.......x.....x.", "..x.......x....."]) for _ in range(4)]
    s.chords(s.stem("keys", 0.3, send=0.2), s.pick([_i_piano, _i_epiano]), comp, 4, 62, hold=2.5)
    s.melody(
        s.stem("vibes", 0.2, send=0.25, enter=s.bars // 2), _i_bell, 72, density=0.35, ratio=4.0, index=0.6, decay=1.2
    )


def _classical(s: _Song) -> None:
    s.reverb = 2.2
    if s.rng.random() < 0.6:  # solo piano: Alberti bass under a right-hand melody
        lh = s.stem("left", 0.35, send=0.3)
        for bar in range(s.bars):
            lo, mid, hi = s.chord(bar, 3, 52)
            for k, midi in enumerate([lo, hi, mid, hi] * 2):
                s.play(lh, _i_piano, midi, bar, 2 * k, 2.5, 1.0 if k % 2 == 0 else 0.7)
        s.melody(s.stem("right", 0.4, send=0.3), _i_piano, 67, density=0.45, max_steps=8)
    else:  # string quartet: sustained harmony, cello root, violin line
        s.chords(
            s.stem("strings", 0.3, send=0.4, hi=2500),
            _i_pad,
            "x.......x.......",
            3,
            60,
            maxh=12,
            attack=0.25,
            release=0.6,
            vib=0.003,
            detune=0.004,
        )
        s.bassline(
            s.stem("cello", 0.25, send=0.35, hi=2000),
            _i_pad,
            "x.......x.......",
            low=36,
            maxh=10,
            attack=0.15,
            release=0.5,
            voices=1,
            vib=0.003,
        )
        s.melody(
            s.stem("violin", 0.45, send=0.4, hi=3500),
            _i_pad,
            69,
            density=0.35,
            max_steps=8,
            maxh=14,
            voices=1,
            attack=0.06,
            release=0.25,
            vib=0.006,
        )


def _synthwave(s: _Song) -> None:
    s.reverb = 2.2
    s.drums(
        s.stem("kick", 0.95, enter=1),
        _drum("kick"),
        s.pick(["x...x...x...x...", "x.......x.......", "x.....x.x......."]),
    )
    s.drums(s.stem("snare", 0.9, enter=1), _drum("gated"), "....x.......x...")
    s.drums(s.stem("hats", 0.22, enter=1), _drum("hat"), "xgogxgogxgogxgog")
    s.bassline(
        s.stem("bass", 0.45, duck=0.3),
        _i_pluck,
        s.pick(["x.x.x.x.x.x.x.x.", "x.^.x.^.x.^.x.^.", "xxxxxxxxxxxxxxxx"]),
        kind="saw",
        maxh=20,
        decay=0.25,
        tone=0.06,
        sustain=0.2,
    )
    s.chords(
        s.stem("pad", 0.3, send=0.5, duck=0.3),
        _i_pad,
        "x...............",
        3,
        62,
        maxh=14,
        attack=0.2,
        release=0.6,
        detune=0.01,
    )
    if s.rng.random() < 0.5:
        s.arp(
            s.stem("arp", 0.2, send=0.45, enter=s.bars // 2),
            _i_pluck,
            67,
            rate=s.pick([1, 2]),
            octaves=2,
            kind="square",
            decay=0.2,
            tone=0.06,
        )
    else:
        s.melody(
            s.stem("lead", 0.22, send=0.5, enter=s.bars // 2),
            _i_pluck,
            67,
            density=0.35,
            kind="saw",
            voices=2,
            detune=0.01,
            decay=1.0,
            sustain=0.6,
            tone=0.4,
            vib=0.006,
        )


def _folk(s: _Song) -> None:
    s.jitter, s.reverb = 0.004, 1.2
    strum = s.pick(["x.x.x.xx.xx.x.x.", "x...x.xx.xx.x.xx", "x..x..x.x..x..x."])
    guitar, ring = s.stem("guitar", 0.5, send=0.2, hi=5000), int(1.5 * SR)
    for bar in range(s.bars):
        d = s.prog[bar]
        r = _fold(s.degree(d), 40, 52)
        third, fifth = (s.degree(d + k) - s.degree(d) for k in (2, 4))
        voicing = [r, r + fifth, r + 12, r + 12 + third, r + 12 + fifth, r + 24]
        hits = [i for i, ch in enumerate(strum) if ch != "."]
        for j, i in enumerate(hits):
            up = i % 4 != 0 and j % 2 == 1
            strings = voicing[2:][::-1] if up else voicing
            dur = int(((hits[j + 1] if j + 1 < len(hits) else 16) - i) * s.step + 0.05 * SR)
            for k, midi in enumerate(strings):
                sig = s.note(_i_string, midi, ring, soft=4)[:dur] * _env(min(dur, ring), 0, 0, 0.05)
                s.add(guitar, s.pos(bar, i) + int(k * 0.01 * SR), sig, (0.55 if up else 0.8) * (0.95 - 0.05 * k))
    s.melody(s.stem("picking", 0.3, send=0.25, enter=2), _i_string, 64, density=0.35, damping=0.998)
    if s.rng.random() < 0.6:
        s.drums(s.stem("perc", 0.14, enter=1), _drum("shaker"), "xoxoxoxoxoxoxoxo")
        s.drums(s.stem("stomp", 0.5, enter=1), _drum("kick", 2), "x.......x.......")
        s.drums(s.stem("stomp"), _drum("clap"), "....x.......x...", 0.4)
    if s.rng.random() < 0.5:
        s.bassline(s.stem("bass", 0.35, enter=1), _i_pluck, "x.......x.......", kind="upright", maxh=5, decay=0.6)


def _rnb(s: _Song) -> None:
    s.swing, s.jitter, s.reverb = float(s.rng.uniform(0.1, 0.3)), 0.003, 1.8
    kick = s.pick(["x......x..x.....", "x.....x...x..x..", "x..x......x....."])
    s.drums(s.stem("kick", 0.7, enter=1), _drum("kick", 1), kick)
    s.drums(
        s.stem("snare", 1.0, send=0.25, enter=1),
        _drum(s.pick(["clap", "snare", "rim"])),
        s.pick(["....x.......x...", "........x......."]),
    )
    s.drums(s.stem("hats", 0.22, enter=1), _drum("hat"), s.pick(["x.x.x.x.x.xrx.x.", "xgxgxgxgxgxgxrxr"]))
    s.chords(
        s.stem("keys", 0.38, send=0.3),
        _i_epiano,
        s.pick(["x...............", "x.........x....."]),
        5,
        62,
        strum=0.015,
        index=1.1,
        decay=2.2,
    )
    s.bassline(s.stem("bass", 0.35, enter=1), _i_pluck, kick, kind="sub", maxh=3, decay=0.8, sustain=0.4, legato=0.97)
    s.melody(
        s.stem("lead", 0.2, send=0.4, enter=2),
        _i_pad,
        65,
        density=0.3,
        kind="soft",
        maxh=6,
        voices=1,
        attack=0.04,
        release=0.2,
        vib=0.007,
    )


def _ambient(s: _Song) -> None:
    s.reverb = 4.0
    s.chords(
        s.stem("pad", 0.4, send=0.7),
        _i_pad,
        "x...............",
        4,
        60,
        kind="soft",
        maxh=6,
        attack=1.5,
        release=2.0,
        detune=0.004,
        hold=18,
    )
    s.chords(
        s.stem("air", 0.12, send=0.8),
        _i_pad,
        "x...............",
        3,
        79,
        kind="sine",
        voices=2,
        attack=2.0,
        release=2.0,
        hold=18,
    )
    s.bassline(
        s.stem("drone", 0.3),
        _i_pad,
        "x...............",
        low=36,
        kind="sine",
        voices=2,
        attack=1.5,
        release=1.5,
        legato=1.4,
    )
    bells = s.stem("bells", 0.18, send=0.9)
    pentatonic = (0, 1, 2, 4, 5) if s.plan.mode in ("major", "lydian") else (0, 2, 3, 4, 6)
    for bar in range(s.bars):
        for _ in range(int(s.rng.integers(1, 4))):
            midi = _fold(s.degree(int(s.rng.choice(pentatonic)) + 7 * int(s.rng.integers(0, 2))), 72, 91)
            s.play(
                bells,
                _i_bell,
                midi,
                bar,
                int(s.rng.integers(0, 16)),
                12,
                float(s.rng.uniform(0.5, 1.0)),
                ratio=s.pick([3.5, 2.0, 5.0]),
                index=1.2,
                decay=2.5,
            )


_GENRE_RENDERERS = {
    "electronic": _electronic, "house": _house, "techno": _techno, "hip-hop": _hip_hop, "lo-fi": _lofi,
    "rock": _rock, "metal": _metal, "pop": _pop, "cinematic": _cinematic, "jazz": _jazz,
    "classical": _classical, "synthwave": _synthwave, "folk": _folk, "r-and-b": _rnb, "ambient": _ambient,
}  # fmt: skip


# ---------------------------------------------------------------------------
# Mixdown and encoding.
# ---------------------------------------------------------------------------


def _mixdown(s: _Song, seconds: float) -> np.ndarray:
    total = int(seconds * SR)
    reps = -(-total // s.length)
    mix = np.zeros(total, np.float32)
    bus = np.zeros(total, np.float32)
    beat = np.arange(s.length) % (4 * s.step) / SR
    pump = 1.0 - np.exp(-beat / 0.09) * np.minimum(1.0, beat / 0.004)  # 0 on the beat, recovering over ~200 ms
    for stem in s.stems.values():
        loop = stem.buf
        if stem.lo or stem.hi:
            loop = _band(loop, stem.lo, stem.hi, wrap=True)
        if stem.duck:
            loop = loop * (1.0 - stem.duck * (1.0 - pump)).astype(np.float32)
        full = np.tile(loop, reps)[:total]
        start = stem.enter * 16 * s.step
        if start >= total:
            continue
        if start:
            full[:start] = 0.0
            ramp = min(int(0.01 * SR), total - start)
            full[start : start + ramp] *= np.linspace(0.0, 1.0, ramp, dtype=np.float32)
        mix += stem.level * full
        if stem.send:
            bus += (stem.level * stem.send) * full
    if bus.any():
        mix += 0.6 * _convolve(bus, _reverb_ir(s.reverb))
    if s.lofi:  # dull top end, tape wow and vinyl crackle
        mix = _band(mix, 70, 3500)
        i = _idx(total)
        mix = np.interp(i + 0.0018 * SR * np.sin(_TWO_PI * 0.55 * i / SR), i, mix).astype(np.float32)
        crackle = np.zeros(total, np.float32)
        hits = s.rng.integers(0, total, int(seconds * 12))
        crackle[hits] = s.rng.uniform(-1, 1, hits.size) ** 3
        mix += 0.15 * float(np.abs(mix).max()) * _band(crackle, 1500, 8000)
    return _master(mix)


def _master(mix: np.ndarray) -> np.ndarray:
    """Soft-limit the rare transient peaks, normalise to -1 dBFS and fade the ends."""
    n = mix.size
    k = min(n - 1, int(n * 0.998))
    ref = float(np.partition(np.abs(mix), k)[k]) or 1.0
    y = np.tanh(mix * (1.2 / ref))
    y *= np.float32(0.89 / max(float(np.abs(y).max()), 1e-9))
    fade = min(int(0.5 * SR), n // 2)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    y[:fade] *= ramp
    y[n - fade :] *= ramp[::-1]
    return y.astype(np.float32)


def render_preview(genre: str, seed: int, seconds: float = 30) -> np.ndarray:
    """The preview as float32 samples at ``SR``, for analysis without an MP3 round trip."""
    plan = preview_plan(genre, seed)
    song = _Song(plan, _rng(plan.genre, seed, "render"))
    _GENRE_RENDERERS[plan.genre](song)
    return _mixdown(song, seconds)


def synth_preview(genre: str, seed: int, seconds: int = 30) -> bytes:
    """A mono 22.05 kHz MP3 of a seeded loop in the genre's style; deterministic for a given (genre, seed)."""
    buf = io.BytesIO()
    sf.write(buf, render_preview(genre, seed, seconds), SR, format="MP3")
    return buf.getvalue()


def audio_duration(data: bytes) -> float:
    """Duration in seconds as a player will report it; raises ValueError when the bytes are not audio."""
    audio = mutagen.File(io.BytesIO(data))
    if audio is None or getattr(audio, "info", None) is None:
        raise ValueError("not a recognised audio file")
    return float(audio.info.length)


# ---------------------------------------------------------------------------
# Cover art.  Shapes are drawn at twice the size and scaled down, which is the
# cheapest anti-aliasing Pillow offers; text is drawn at final size so it stays crisp.
# ---------------------------------------------------------------------------

# genre -> (gradient from, gradient to, accent, second accent, motifs the seed chooses from)
_COVER_STYLES: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "electronic": ("#140f3c", "#0b7fa6", "#ff2bd6", "#00e5ff", ("rings", "grid", "waves")),
    "hip-hop": ("#121212", "#6b4e16", "#f2b134", "#e63946", ("bauhaus", "stripes", "rings")),
    "ambient": ("#9fc5d6", "#cdbfe8", "#ffffff", "#6d8fc7", ("blobs", "waves")),
    "lo-fi": ("#e3a7ae", "#5b4a78", "#f6e7cb", "#355070", ("blobs", "moon")),
    "rock": ("#0d0d0d", "#7a0a0a", "#f2f2f2", "#ff4d00", ("shards", "stripes")),
    "pop": ("#ff5fa2", "#ffc95c", "#06d6a0", "#118ab2", ("bauhaus", "blobs", "rings")),
    "cinematic": ("#07141f", "#2c5364", "#f4a261", "#e9c46a", ("mountains", "waves")),
    "jazz": ("#0c2340", "#1f4e79", "#f0b429", "#e12d39", ("bauhaus", "rings")),
    "classical": ("#f4efe1", "#d3bf9c", "#7b2d26", "#1d1d1d", ("staff", "rings")),
    "synthwave": ("#1a0638", "#b8186b", "#ffb000", "#05d9e8", ("sun",)),
    "house": ("#ff7b00", "#5a189a", "#ffea00", "#ffffff", ("waves", "rings", "stripes")),
    "techno": ("#070707", "#262626", "#39ff14", "#e0e0e0", ("grid", "stripes")),
    "folk": ("#f1dca7", "#2d6a4f", "#bb3e03", "#1b4332", ("mountains",)),
    "r-and-b": ("#3d0c11", "#a86b7d", "#e5c07b", "#ffcdb2", ("blobs", "waves")),
    "metal": ("#000000", "#3a3a3a", "#b00000", "#c0c0c0", ("shards",)),
}
_GRAINY = {"lo-fi", "rock", "metal", "folk", "hip-hop"}


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float32)


def _mix(c1: str, c2: str, t: float, alpha: int = 255) -> tuple[int, int, int, int]:
    r, g, b = (_rgb(c1) * (1 - t) + _rgb(c2) * t).astype(int)
    return int(r), int(g), int(b), alpha


def _gradient(size: int, c1: str, c2: str, angle: float) -> Image.Image:
    """Computed small and scaled up: a smooth gradient loses nothing and it is ~20x cheaper."""
    small = 256
    y, x = np.mgrid[0:small, 0:small].astype(np.float32) / (small - 1) - 0.5
    t = x * math.cos(angle) + y * math.sin(angle)
    t = (t - t.min()) / max(float(np.ptp(t)), 1e-6)
    rgb = _rgb(c1) * (1 - t)[..., None] + _rgb(c2) * t[..., None]
    rgb *= (1.0 - 0.35 * (x * x + y * y))[..., None]  # vignette pulls the eye to the middle
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB").resize((size, size), Image.BICUBIC)


def _m_rings(img, d, s, rng, st):
    cx, cy = rng.uniform(0.25, 0.75, 2) * s
    n = int(rng.integers(6, 13))
    rmax = s * rng.uniform(0.45, 0.8)
    for i in range(n, 0, -1):
        r = rmax * i / n
        color = st[2 + i % 2]
        if rng.random() < 0.35:
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=_mix(color, color, 0, int(rng.integers(25, 70))))
        d.ellipse(
            [cx - r, cy - r, cx + r, cy + r],
            outline=_mix(color, color, 0, int(rng.integers(120, 230))),
            width=max(2, int(s * rng.uniform(0.004, 0.02))),
        )
    for _ in range(int(rng.integers(3, 8))):
        r = s * rng.uniform(0.01, 0.04)
        x, y = rng.uniform(0.05, 0.95, 2) * s
        d.ellipse([x - r, y - r, x + r, y + r], fill=_mix(st[3], st[3], 0, 220))


def _m_grid(img, d, s, rng, st):
    cols = int(rng.choice([8, 12, 16]))
    rows = int(rng.integers(5, 10))
    cell = s / cols
    top = s * rng.uniform(0.05, 0.2)
    on = rng.random((rows, cols)) < rng.uniform(0.2, 0.45)
    for r in range(rows):
        for c in range(cols):
            x0, y0 = c * cell + cell * 0.12, top + r * cell + cell * 0.12
            box = [x0, y0, x0 + cell * 0.76, y0 + cell * 0.76]
            if on[r, c]:
                d.rounded_rectangle(box, radius=cell * 0.12, fill=_mix(st[2], st[3], rng.random() * 0.3, 235))
            else:
                d.rounded_rectangle(box, radius=cell * 0.12, outline=_mix(st[3], st[3], 0, 60), width=max(2, s // 300))


def _m_stripes(img, d, s, rng, st):
    n = int(rng.integers(5, 11))
    w = s * rng.uniform(0.03, 0.09)
    slope = rng.uniform(0.4, 1.2) * rng.choice([-1, 1])
    start = rng.uniform(-0.2, 0.6) * s
    for k in range(n):
        o = start + k * w * rng.uniform(1.4, 2.6)
        pts = [(o, 0), (o + w, 0), (o + w - slope * s, s), (o - slope * s, s)]
        d.polygon(pts, fill=_mix(st[2 + k % 2], st[2 + k % 2], 0, int(rng.integers(90, 220))))


def _m_waves(img, d, s, rng, st):
    n = int(rng.integers(4, 8))
    xs = np.linspace(0, s, 80)
    for k in range(n):
        base = s * (0.35 + 0.6 * k / n)
        amp = s * rng.uniform(0.02, 0.08)
        f1, f2, ph = rng.uniform(1, 3), rng.uniform(3, 6), rng.uniform(0, 6.3)
        ys = base + amp * np.sin(_TWO_PI * f1 * xs / s + ph) + 0.4 * amp * np.sin(_TWO_PI * f2 * xs / s + 2 * ph)
        pts = list(zip(xs.tolist(), ys.tolist(), strict=True)) + [(s, s), (0, s)]
        d.polygon(pts, fill=_mix(st[2], st[3], k / max(n - 1, 1), int(70 + 120 * k / n)))


def _m_blobs(img, d, s, rng, st):
    small = img.resize((s // 4, s // 4))
    sd = ImageDraw.Draw(small, "RGBA")
    q = s // 4
    for k in range(int(rng.integers(4, 8))):
        r = q * rng.uniform(0.12, 0.35)
        x, y = rng.uniform(0.1, 0.9, 2) * q
        sd.ellipse([x - r, y - r, x + r, y + r], fill=_mix(st[2 + k % 2], st[k % 2], rng.random() * 0.4, 200))
    soft = small.filter(ImageFilter.GaussianBlur(q * 0.07)).resize((s, s), Image.BILINEAR)
    img.paste(Image.blend(img, soft, 0.9))
    for _ in range(int(rng.integers(6, 14))):  # a few crisp bokeh dots keep it from looking out of focus
        r = s * rng.uniform(0.004, 0.018)
        x, y = rng.uniform(0.05, 0.95, 2) * s
        d.ellipse([x - r, y - r, x + r, y + r], fill=_mix(st[2], st[2], 0, int(rng.integers(90, 200))))


def _m_moon(img, d, s, rng, st):
    _m_blobs(img, d, s, rng, st)
    r = s * rng.uniform(0.14, 0.22)
    x, y = s * rng.uniform(0.3, 0.7), s * rng.uniform(0.2, 0.4)
    d.ellipse([x - r, y - r, x + r, y + r], fill=_mix(st[2], st[2], 0, 235))
    _m_mountains(img, d, s, rng, (st[1], st[3], st[3], st[1], ()), layers=2)


def _m_shards(img, d, s, rng, st):
    cx, cy = rng.uniform(0.3, 0.7, 2) * s
    spikes = int(rng.integers(9, 17))
    angles = np.sort(rng.uniform(0, _TWO_PI, spikes * 2))
    pts = [
        (
            cx + math.cos(a) * s * (rng.uniform(0.35, 0.75) if i % 2 else rng.uniform(0.06, 0.16)),
            cy + math.sin(a) * s * (rng.uniform(0.35, 0.75) if i % 2 else rng.uniform(0.06, 0.16)),
        )
        for i, a in enumerate(angles)
    ]
    d.polygon(pts, fill=_mix(st[3], st[3], 0, 150))
    for _ in range(int(rng.integers(6, 12))):
        a = rng.uniform(0, _TWO_PI)
        r1, r2 = s * rng.uniform(0.05, 0.2), s * rng.uniform(0.4, 0.9)
        w = rng.uniform(0.03, 0.12)
        tri = [
            (cx + math.cos(a) * r1, cy + math.sin(a) * r1),
            (cx + math.cos(a + w) * r2, cy + math.sin(a + w) * r2),
            (cx + math.cos(a - w) * r2, cy + math.sin(a - w) * r2),
        ]
        d.polygon(tri, fill=_mix(st[2], st[2], 0, int(rng.integers(110, 230))))
    for _ in range(int(rng.integers(5, 10))):  # cracks
        a = rng.uniform(0, _TWO_PI)
        pts, x, y = [], cx, cy
        for _ in range(6):
            a += rng.uniform(-0.5, 0.5)
            x, y = x + math.cos(a) * s * 0.08, y + math.sin(a) * s * 0.08
            pts.append((x, y))
        d.line([(cx, cy), *pts], fill=_mix(st[3], "#ffffff", 0.5, 160), width=max(2, s // 400))


def _m_sun(img, d, s, rng, st):
    horizon = s * rng.uniform(0.55, 0.66)
    r = s * rng.uniform(0.22, 0.32)
    cx, cy = s / 2, horizon - r * rng.uniform(0.35, 0.7)
    gap_start = cy + r * rng.uniform(-0.1, 0.2)
    for y in range(int(cy - r), int(min(cy + r, horizon))):
        if y > gap_start and ((y - gap_start) % (s * 0.045)) < (s * 0.006 + (y - gap_start) * 0.09):
            continue  # the sliced-sun look
        half = math.sqrt(max(r * r - (y - cy) ** 2, 0))
        d.line([(cx - half, y), (cx + half, y)], fill=_mix(st[2], "#ff2a6d", (y - (cy - r)) / (2 * r)))
    d.rectangle([0, horizon, s, s], fill=_mix("#0d0221", "#0d0221", 0, 255))
    line = _mix(st[3], st[3], 0, 200)
    width = max(2, s // 300)
    for k in range(1, 12):
        y = horizon + (s - horizon) * (k / 11) ** 2
        d.line([(0, y), (s, y)], fill=line, width=width)
    for k in range(-12, 13):
        d.line([(cx + k * s * 0.02, horizon), (cx + k * s * 0.22, s)], fill=line, width=width)
    d.line([(0, horizon), (s, horizon)], fill=_mix("#ff2a6d", "#ff2a6d", 0, 255), width=width * 2)


def _m_mountains(img, d, s, rng, st, layers=0):
    layers = layers or int(rng.integers(3, 6))
    if len(st[4]):  # a sun or moon behind the ridges
        r = s * rng.uniform(0.08, 0.14)
        x, y = s * rng.uniform(0.2, 0.8), s * rng.uniform(0.18, 0.35)
        d.ellipse([x - r, y - r, x + r, y + r], fill=_mix(st[2], "#ffffff", 0.2, 230))
    xs = np.linspace(0, s, 120)
    for k in range(layers):
        base = s * (0.45 + 0.45 * (k + 1) / (layers + 1))
        ridge = np.zeros_like(xs)
        for octave in range(1, 5):
            ridge += np.abs(np.sin(_TWO_PI * xs / s * rng.uniform(0.6, 1.4) * octave + rng.uniform(0, 6.3))) / octave
        ys = base - ridge * s * rng.uniform(0.12, 0.22) / 1.5
        pts = list(zip(xs.tolist(), ys.tolist(), strict=True)) + [(s, s), (0, s)]
        d.polygon(pts, fill=_mix(st[1], st[3], (k + 1) / layers, 255))


def _m_bauhaus(img, d, s, rng, st):
    n = int(rng.choice([2, 3]))
    cell = s / n
    colors = [st[2], st[3], st[0], "#f5f0e6"]
    for r in range(n):
        for c in range(n):
            if rng.random() < 0.25:
                continue
            x0, y0 = c * cell, r * cell
            box = [x0 + cell * 0.06, y0 + cell * 0.06, x0 + cell * 0.94, y0 + cell * 0.94]
            color = _mix(colors[int(rng.integers(4))], "#000000", 0, 235)
            kind = int(rng.integers(5))
            if kind == 0:
                d.ellipse(box, fill=color)
            elif kind == 1:
                start = int(rng.integers(4)) * 90
                d.pieslice(
                    [box[0] - cell * 0.44, box[1] - cell * 0.44, box[2] + cell * 0.44, box[3] + cell * 0.44]
                    if rng.random() < 0.3
                    else box,
                    start,
                    start + 180,
                    fill=color,
                )
            elif kind == 2:
                start = int(rng.integers(4)) * 90
                corner = [box[0], box[1], box[0] + 2 * (box[2] - box[0]), box[1] + 2 * (box[3] - box[1])]
                d.pieslice(corner, start, start + 90, fill=color)
            elif kind == 3:
                d.rectangle([box[0], box[1] + cell * 0.3, box[2], box[3] - cell * 0.3], fill=color)
            else:
                d.polygon([(box[0], box[3]), ((box[0] + box[2]) / 2, box[1]), (box[2], box[3])], fill=color)


def _m_staff(img, d, s, rng, st):
    ink = _mix(st[2], st[3], 0.3, 170)
    gap = s * rng.uniform(0.018, 0.026)
    width = max(2, s // 500)
    tilt = rng.uniform(-0.08, 0.08)
    for k in range(int(rng.integers(2, 4))):
        top = s * (0.12 + 0.22 * k) + rng.uniform(0, s * 0.04)
        for line in range(5):
            y = top + line * gap
            d.line([(0, y), (s, y + tilt * s)], fill=ink, width=width)
        x = rng.uniform(0.03, 0.12) * s
        while x < s * 0.95:
            step = int(rng.integers(-4, 9))
            y = top + step * gap / 2 + tilt * x
            rx, ry = gap * 0.68, gap * 0.5
            filled = rng.random() < 0.75
            d.ellipse([x - rx, y - ry, x + rx, y + ry], fill=ink if filled else None, outline=ink, width=width * 2)
            up = step > 4
            d.line(
                [(x + (-rx if up else rx), y), (x + (-rx if up else rx), y + (3.4 * gap if up else -3.4 * gap))],
                fill=ink,
                width=width,
            )
            x += s * rng.uniform(0.05, 0.12)
    _m_rings(img, d, s, np.random.default_rng(int(rng.integers(1 << 31))), (st[0], st[1], st[2], st[2], ()))


_MOTIFS = {
    "rings": _m_rings, "grid": _m_grid, "stripes": _m_stripes, "waves": _m_waves, "blobs": _m_blobs,
    "moon": _m_moon, "shards": _m_shards, "sun": _m_sun, "mountains": _m_mountains, "bauhaus": _m_bauhaus,
    "staff": _m_staff,
}  # fmt: skip


def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, px))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _fit_title(draw: ImageDraw.ImageDraw, title: str, size: int, width: float):
    """Largest font at which the title fits in two lines; past the minimum it is ellipsised instead."""
    for px in range(int(size * 0.105), int(size * 0.05) - 1, -max(1, size // 200)):
        font = _font(px)
        lines = _wrap(draw, title, font, width)
        if len(lines) <= 2 and all(draw.textlength(line, font=font) <= width for line in lines):
            return font, px, lines
    font = _font(int(size * 0.05))
    lines = _wrap(draw, title, font, width)[:2]
    while len(lines[-1]) > 1 and draw.textlength(lines[-1] + "…", font=font) > width:
        lines[-1] = lines[-1][:-1]
    if len(lines[-1]) > 1 and lines != _wrap(draw, title, font, width):
        lines[-1] = lines[-1].rstrip() + "…"
    return font, int(size * 0.05), lines


def draw_cover(title: str, artist: str, genre: str, seed: int, size: int = 600) -> bytes:
    """A square JPEG cover: genre palette and motif, seeded layout, title and artist legible on any background."""
    name = normalise_genre(genre)
    style = _COVER_STYLES[name]
    rng = _rng(name, seed, "cover")
    big = size * 2
    img = _gradient(big, style[0], style[1], rng.uniform(0, _TWO_PI))
    draw = ImageDraw.Draw(img, "RGBA")
    motifs = style[4]
    _MOTIFS[motifs[int(rng.integers(len(motifs)))]](img, draw, big, rng, style)
    img = img.resize((size, size), Image.LANCZOS)

    if name in _GRAINY:
        arr = np.asarray(img, dtype=np.float32) + rng.normal(0, 9, (size, size, 1)).astype(np.float32)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")

    # A dark scrim under the text keeps white type readable on the palest palettes.
    scrim_h = int(size * 0.42)
    alpha = (np.linspace(0, 1, scrim_h) ** 1.6 * 200).astype(np.uint8)
    scrim = Image.new("RGBA", (size, scrim_h), (0, 0, 0, 0))
    scrim.putalpha(Image.fromarray(np.repeat(alpha[:, None], size, axis=1), "L"))
    img = img.convert("RGBA")
    img.alpha_composite(scrim, (0, size - scrim_h))
    draw = ImageDraw.Draw(img, "RGBA")

    margin = int(size * 0.07)
    width = size - 2 * margin
    artist_font = _font(int(size * 0.045))
    artist = artist.strip()
    while artist and draw.textlength(artist, font=artist_font) > width:
        artist = artist[:-2] + "…"
    title_font, px, lines = _fit_title(draw, title.strip() or "Untitled", size, width)
    shadow = max(1, size // 300)
    y = size - margin - int(size * 0.045)
    if artist:
        draw.text((margin + shadow, y + shadow), artist, font=artist_font, fill=(0, 0, 0, 160))
        draw.text((margin, y), artist, font=artist_font, fill=(235, 235, 235, 255))
    y -= int(size * 0.025)
    line_h = int(px * 1.12)
    for line in reversed(lines):
        y -= line_h
        draw.text((margin + shadow, y + shadow), line, font=title_font, fill=(0, 0, 0, 170))
        draw.text(
            (margin, y),
            line,
            font=title_font,
            fill=(255, 255, 255, 255),
            stroke_width=max(0, px // 40),
            stroke_fill=(255, 255, 255, 255),
        )

    label = name.replace("-and-", "&").upper()
    label_font = _font(int(size * 0.032))
    pad = int(size * 0.014)
    box = draw.textbbox((margin, margin), label, font=label_font)
    pill = [box[0] - pad * 1.6, box[1] - pad, box[2] + pad * 1.6, box[3] + pad]
    accent = _rgb(style[2])
    dark_text = accent @ np.array([0.299, 0.587, 0.114], np.float32) > 150
    draw.rounded_rectangle(pill, radius=(pill[3] - pill[1]) / 2, fill=_mix(style[2], style[2], 0, 230))
    draw.text((margin, margin), label, font=label_font, fill=(20, 20, 20, 255) if dark_text else (255, 255, 255, 255))

    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=88, optimize=True, subsampling=0)
    return out.getvalue()
