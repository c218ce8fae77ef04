"""Measurements of one decoded preview: loudness (EBU R128), true peak, tempo, key, sound features,
and the loudness-normalised copy the player serves. Pure functions over numpy arrays.

essentia (one PyPI wheel, no system libraries) supplies the EBU R128 meter, the beat tracker and the
key estimator; true peak, the limiter and the feature vector are numpy.
"""

import io
import math
import threading

import numpy as np
import soundfile as sf

ANALYSIS_SECONDS = 30  # a preview is at most 30 s; a longer file is measured on its first 30 s
TARGET_LUFS = -14.0
CEILING_DBTP = -1.0
_LIMIT_AT_DBTP = -1.6  # below the ceiling: the encoder's overshoot must still land under it
RHYTHM_RATE = 44100


class NotAudio(ValueError):
    """The bytes do not decode as audio (or hold only silence)."""


def _essentia():
    import essentia
    import essentia.standard as es

    essentia.log.infoActive = False
    essentia.log.warningActive = False
    return es


_algorithms = threading.local()


def algorithm(name, **parameters):
    """An essentia algorithm, built once per thread and parameter set (building one costs more than running it)."""
    key = (name, tuple(sorted(parameters.items())))
    cache = _algorithms.__dict__.setdefault("cache", {})
    if key not in cache:
        cache[key] = getattr(_essentia(), name)(**parameters)
    return cache[key]


def decode(data, seconds=ANALYSIS_SECONDS):
    """(samples as float32 of shape (frames, channels), rate) of encoded bytes; NotAudio if they are not."""
    try:
        with sf.SoundFile(io.BytesIO(data)) as audio:
            rate = audio.samplerate
            samples = audio.read(frames=int(seconds * rate), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as error:
        raise NotAudio(f"the file is not audio we can play ({error})") from error
    if len(samples) < rate:  # under a second
        raise NotAudio("the audio is shorter than one second")
    if float(np.abs(samples).max()) < 1e-4:
        raise NotAudio("the audio is silent")
    return samples[:, :2], rate


def loudness(samples, rate):
    """(integrated LUFS, loudness range LU) per EBU R128; mono counts once, as BS.1770 says."""
    stereo = samples if samples.shape[1] == 2 else np.column_stack([samples[:, 0], np.zeros(len(samples))])
    meter = algorithm("LoudnessEBUR128", sampleRate=rate, hopSize=0.1)
    _momentary, _short, integrated, lra = meter(np.ascontiguousarray(stereo, dtype=np.float32))
    return float(integrated), float(lra)


def _oversampling_phases(factor=4, taps_per_phase=12):
    # A Kaiser-windowed sinc interpolator split into its polyphase branches (BS.1770-4 annex 2 uses 48 taps).
    n = factor * taps_per_phase
    k = np.arange(n) - (n - 1) / 2
    h = np.sinc(k / factor) * np.kaiser(n, 8.0)
    return [h[p::factor] / h[p::factor].sum() for p in range(factor)]


_PHASES = _oversampling_phases()


def true_peak(samples):
    """The highest inter-sample peak in dBTP, by 4x polyphase oversampling (BS.1770 annex 2)."""
    peak = 0.0
    for channel in np.asarray(samples, dtype=np.float32).T:
        peak = max(peak, float(np.abs(channel).max()))
        for phase in _PHASES:
            peak = max(peak, float(np.abs(np.convolve(channel, phase.astype(np.float32), mode="same")).max()))
    return 20 * math.log10(max(peak, 1e-9))


def _moving(values, width, reduce):
    pad = width // 2
    padded = np.pad(values, (pad, width - 1 - pad), mode="edge")
    return reduce(np.lib.stride_tricks.sliding_window_view(padded, width), axis=1)


def limit(samples, rate, ceiling_db):
    """Peak-limit to `ceiling_db` with 5 ms of look-ahead and a smooth gain curve (no clicks)."""
    ceiling = 10 ** (ceiling_db / 20)
    level = np.abs(samples).max(axis=1)
    needed = np.minimum(1.0, ceiling / np.maximum(level, 1e-9))
    if needed.min() >= 1.0:
        return samples
    width = max(3, int(rate * 0.005)) | 1
    held = _moving(needed, 2 * width + 1, np.min)  # a minimum twice as wide keeps the average below `needed`
    kernel = np.ones(width) / width
    gain = np.convolve(np.pad(held, (width // 2, width // 2), mode="edge"), kernel, mode="valid")[: len(needed)]
    return np.clip(samples * gain[:, None], -ceiling, ceiling).astype(np.float32)


def normalise(samples, rate, measured=None, peak=None, target=TARGET_LUFS):
    """The samples at `target` LUFS integrated with true peaks under the ceiling (gain, then limiter).

    A gain moves loudness and true peak by exactly its decibels, so the measurements of the
    original (`measured`, `peak`) are reused; only a limited signal is measured again.
    """
    if measured is None:
        measured = loudness(samples, rate)[0]
    if peak is None:
        peak = true_peak(samples)
    out = samples.astype(np.float32)
    for _ in range(4):
        gain = target - measured
        out = (out * 10 ** (gain / 20)).astype(np.float32)
        if peak + gain <= _LIMIT_AT_DBTP:
            break
        out = limit(out, rate, _LIMIT_AT_DBTP - 0.3)
        measured, peak = loudness(out, rate)[0], true_peak(out)
        if abs(measured - target) < 0.3:
            break
    return out


def encode_mp3(samples, rate):
    """MP3 bytes of the samples, turned down by the encoder's own overshoot (pre-echo around drum
    hits, which no limiter before the encoder can see) until the decoded file's true peak is under
    the ceiling. Returns (bytes, decoded samples)."""
    for _ in range(4):
        buffer = io.BytesIO()
        sf.write(buffer, samples, rate, format="MP3")
        data = buffer.getvalue()
        decoded, _ = decode(data)
        over = true_peak(decoded) - CEILING_DBTP
        if over <= 0:
            break
        samples = (samples * 10 ** (-(over + 0.15) / 20)).astype(np.float32)
    return data, decoded


def to_rate(mono, rate, target, quality=2):
    """Mono samples resampled to `target` Hz (essentia's libsamplerate; quality 0 best, 4 linear)."""
    if rate == target:
        return mono.astype(np.float32)
    return algorithm("Resample", inputSampleRate=rate, outputSampleRate=target, quality=quality)(
        mono.astype(np.float32)
    )


def tempo(mono, rate):
    """(BPM, confidence 0-1): essentia's beat tracker, refined by a straight-line fit of its beats.

    The confidence is the share of beat-to-beat intervals within 5 % of the fitted period.
    """
    # Onsets survive a linear resampler; the beat tracker only runs at 44.1 kHz.
    bpm, ticks, _conf, _estimates, _intervals = algorithm("RhythmExtractor2013", method="degara")(
        to_rate(mono, rate, RHYTHM_RATE, quality=4)
    )
    ticks = np.asarray(ticks, dtype=np.float64)
    if len(ticks) < 8:
        return (float(bpm) or None), 0.0
    period = np.polyfit(np.arange(len(ticks)), ticks, 1)[0]
    intervals = np.diff(ticks)
    confidence = float(np.mean(np.abs(intervals - period) <= 0.05 * period))
    return 60.0 / period, confidence


def key(mono, rate):
    """(key name like 'A minor', strength 0-1) from essentia's KeyExtractor (HPCP + key profiles)."""
    tonic, scale, strength = algorithm("KeyExtractor", sampleRate=rate)(mono.astype(np.float32))
    return f"{tonic} {scale}", float(strength)


def _mel_filters(rate, n_fft, bands=40, low=40.0, high=None):
    high = high or rate / 2
    mel = np.linspace(2595 * np.log10(1 + low / 700), 2595 * np.log10(1 + high / 700), bands + 2)
    hz = 700 * (10 ** (mel / 2595) - 1)
    bins = np.fft.rfftfreq(n_fft, 1 / rate)
    filters = np.zeros((bands, len(bins)))
    for i in range(bands):
        lo, mid, hi = hz[i], hz[i + 1], hz[i + 2]
        filters[i] = np.clip(np.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid)), 0, None)
    return filters


FEATURE_SIZE = 13 * 2 + 12 + 6


def features(mono, rate, bpm=None):
    """A compact sound-feature vector (44 floats): MFCC means and deviations (timbre), a chroma
    profile (harmony), and spectral centroid, roll-off, flatness, zero-crossing rate, loudness
    variation and tempo (texture and pace), each scaled to be comparable in a distance."""
    n_fft, hop = 2048, 1024
    frames = np.lib.stride_tricks.sliding_window_view(mono.astype(np.float32), n_fft)[::hop]
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(n_fft), axis=1)) + 1e-10
    power = spectrum ** 2
    mel = np.log(power @ _mel_filters(rate, n_fft).T + 1e-10)
    n = mel.shape[1]
    dct = np.cos(np.pi / n * (np.arange(n)[:, None] + 0.5) * np.arange(13)[None, :])
    mfcc = mel @ dct
    freqs = np.fft.rfftfreq(n_fft, 1 / rate)
    audible = (freqs > 55) & (freqs < 4200)
    pitch_class = np.round(12 * np.log2(freqs[audible] / 440.0)).astype(int) % 12
    chroma = np.zeros(12)
    np.add.at(chroma, pitch_class, power[:, audible].mean(axis=0))
    chroma = chroma / (chroma.sum() or 1)
    total = power.sum(axis=1)
    centroid = (power @ freqs) / total
    cumulative = np.cumsum(power, axis=1)
    rolloff = freqs[np.argmax(cumulative >= 0.85 * cumulative[:, -1:], axis=1)]
    flatness = np.exp(np.log(spectrum).mean(axis=1)) / spectrum.mean(axis=1)
    zcr = np.mean(np.abs(np.diff(np.sign(frames), axis=1)) > 0, axis=1)
    rms_db = 10 * np.log10(total / n_fft + 1e-10)
    nyquist = rate / 2
    vector = np.concatenate([
        mfcc.mean(axis=0) / 50.0, mfcc.std(axis=0) / 10.0, chroma * 4.0,
        [centroid.mean() / nyquist * 4, rolloff.mean() / nyquist * 4, flatness.mean() * 4, zcr.mean() * 4,
         rms_db.std() / 10.0, (bpm or 0) / 60.0],
    ])
    return [round(float(v), 5) for v in vector]


def distance(a, b):
    """Euclidean distance of two feature vectors (0 for the same sound); None if either is missing."""
    if not a or not b or len(a) != len(b):
        return None
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))
