"""Chromaprint fingerprints: compute them (essentia's Chromaprinter), decode them to 32-bit
sub-fingerprints, reduce them to the sub-hashes the index stores, and compare two of them.

A Chromaprint sub-fingerprint is one 32-bit word per ~0.124 s of audio. Re-encoding, gain and
noise flip a few of its bits; trimming shifts the sequence. So the index keeps a coarse
sub-hash of each word (its stable high bits), a lookup counts shared sub-hashes per track, and
only those few candidates are compared bit by bit at their best alignment.
"""

import base64

import numpy as np

FINGERPRINT_RATE = 11025
#: High bits of a 32-bit word kept as its sub-hash: fewer bits survive more distortion but
#: collide more; 20 of 32 kept candidates few at 100k tracks (see `manage.py bench_analysis`).
SUBHASH_SHIFT = 12
#: A copy shares many of these with its original; distinct tracks a handful by chance.
MIN_SHARED_SUBHASHES = 5
#: Bit error rate at the best alignment below which two fingerprints are the same audio
#: (measured: under 0.05 for copies through a codec, gain, trim or noise; 0.29 at least and
#: usually 0.4-0.5 for two different demo tracks).
MATCH_MAX_BIT_ERROR = 0.15
MIN_OVERLAP = 20  # words (about 2.5 s) the two must share at an alignment to be compared


def compute(samples, rate):
    """The compressed Chromaprint string of mono float32 samples at `rate`."""
    from marketplace.analysis.audio import algorithm, to_rate

    samples = to_rate(samples, rate, FINGERPRINT_RATE)
    return algorithm("Chromaprinter", sampleRate=FINGERPRINT_RATE, maxLength=0)(samples)


def _unpack(data, width, count):
    """`count` little-endian `width`-bit integers from bytes, as Chromaprint packs them."""
    bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")
    usable = (len(bits) // width) * width
    values = bits[:usable].reshape(-1, width)
    weights = 1 << np.arange(width)
    return (values * weights).sum(axis=1)[:count]


def decode(compressed):
    """The 32-bit sub-fingerprints (a uint32 array) of a compressed Chromaprint string."""
    raw = base64.urlsafe_b64decode(compressed + "=" * (-len(compressed) % 4))
    if len(raw) < 4:
        return np.zeros(0, dtype=np.uint32)
    count = int.from_bytes(raw[1:4], "big")
    normal = _unpack(raw[4:], 3, len(raw[4:]) * 8 // 3)
    # Find where the normal bits end: after `count` zeros (each zero closes one word).
    zeros = np.flatnonzero(normal == 0)
    if len(zeros) < count:
        raise ValueError("truncated fingerprint")
    normal = normal[: zeros[count - 1] + 1].astype(np.int64) if count else normal[:0]
    exceptional_at = np.flatnonzero(normal == 7)
    packed_len = (len(normal) * 3 + 7) // 8
    if len(exceptional_at):
        extra = _unpack(raw[4 + packed_len:], 5, len(exceptional_at))
        normal[exceptional_at] += extra
    words = np.zeros(count, dtype=np.uint32)
    i, last_bit, value = 0, 0, 0
    previous = 0
    for bit in normal.tolist():
        if bit == 0:
            value = value ^ previous if i else value
            words[i] = value
            previous = value
            i += 1
            value, last_bit = 0, 0
            continue
        last_bit += bit
        value |= 1 << (last_bit - 1)
    return words


def subhashes(words):
    """The distinct sub-hashes the index stores for one fingerprint (ints that fit in a PostgreSQL integer)."""
    return sorted({int(w) >> SUBHASH_SHIFT for w in np.asarray(words, dtype=np.uint32)})


def bit_error(a, b, max_shift=None):
    """The lowest bit error rate of `a` against `b` over their alignments (0 same, ~0.5 unrelated).

    An offset up to `max_shift` words either way covers trimmed starts; returns 1.0 when no
    alignment overlaps by MIN_OVERLAP words.
    """
    a = np.asarray(a, dtype=np.uint32)
    b = np.asarray(b, dtype=np.uint32)
    if max_shift is None:
        max_shift = max(len(a), len(b))
    best = 1.0
    for shift in range(-max_shift, max_shift + 1):
        if shift >= 0:
            x, y = a[shift:], b
        else:
            x, y = a, b[-shift:]
        n = min(len(x), len(y))
        if n < MIN_OVERLAP:
            continue
        diff = np.bitwise_xor(x[:n], y[:n])
        errors = np.unpackbits(diff.view(np.uint8)).sum()
        best = min(best, errors / (32.0 * n))
    return best
