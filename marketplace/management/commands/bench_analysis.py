"""Measure the analysis: seconds per 30 s preview, and a re-upload lookup against a large index.

The lookup runs the production query (analysis.selectors.candidate_tracks) on a scratch table of
the same shape and index as FingerprintHash, filled with `--fingerprints` tracks of random
sub-hashes plus the real fingerprints of the measured previews, then asks for altered copies
(first 3 s cut, noise at 30 dB SNR) of those previews and checks the right track comes first.
"""

import statistics
import time

import numpy as np
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from marketplace.analysis import audio, fingerprint, selectors, services
from marketplace.demo import media

GENRES = ["house", "jazz", "rock", "ambient", "hip-hop", "classical", "techno", "pop"]
SCRATCH = "bench_fingerprint_hash"


class Command(BaseCommand):
    help = "Time the audio analysis per 30 s preview and the fingerprint lookup at 100k fingerprints."

    def add_arguments(self, parser):
        parser.add_argument("--previews", type=int, default=5)
        parser.add_argument("--fingerprints", type=int, default=100_000, help="Tracks in the scratch index")
        parser.add_argument("--per-track", type=int, default=150, help="Sub-hashes per scratch track")
        parser.add_argument("--lookups", type=int, default=50)

    def handle(self, *args, previews=5, fingerprints=100_000, per_track=150, lookups=50, **options):
        clips, timings = [], []
        services.measure(media.synth_preview("pop", 999))  # warm essentia up: its first call loads plans
        for i in range(previews):
            data = media.synth_preview(GENRES[i % len(GENRES)], 100 + i)
            started = time.perf_counter()
            result = services.measure(data)
            timings.append(time.perf_counter() - started)
            clips.append((audio.decode(data)[0].mean(axis=1), result["fingerprint"]))
        self.stdout.write(f"analysis per 30 s preview: median {statistics.median(timings):.2f} s, "
                          f"max {max(timings):.2f} s over {previews} previews "
                          f"(decode, loudness, true peak, tempo, key, features, fingerprint, normalised MP3)")

        with transaction.atomic():
            build = self._build_index(fingerprints, per_track, [c[1] for c in clips])
            self.stdout.write(f"scratch index: {fingerprints:,} random + {len(clips)} real fingerprints, "
                              f"{self._rows():,} sub-hashes, built in {build:.1f} s")
            queries, found = [], 0
            rng = np.random.default_rng(1)
            for n in range(lookups):
                index = n % len(clips)
                samples = clips[index][0]
                copy = samples[int(3 * media.SR):] if n % 2 else samples * 0.5  # first 3 s cut, or -6 dB
                copy = (copy + rng.normal(0, np.sqrt(np.mean(copy ** 2) / 1000), len(copy))).astype(np.float32)
                hashes = fingerprint.subhashes(fingerprint.decode(fingerprint.compute(copy, media.SR)))
                started = time.perf_counter()
                rows = selectors.candidate_tracks(hashes, table=SCRATCH)
                queries.append(time.perf_counter() - started)
                found += bool(rows) and rows[0][0] == fingerprints + 1 + index
            transaction.set_rollback(True)
        queries.sort()
        self.stdout.write(
            f"fingerprint lookup at {fingerprints:,} fingerprints: median {statistics.median(queries) * 1000:.1f} ms, "
            f"p95 {queries[int(len(queries) * 0.95) - 1] * 1000:.1f} ms over {lookups} lookups; "
            f"right track first in {found}/{lookups}"
        )

    def _rows(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {SCRATCH}")  # noqa: S608
            return cursor.fetchone()[0]

    def _build_index(self, fingerprints, per_track, real):
        started = time.perf_counter()
        space = 1 << (32 - fingerprint.SUBHASH_SHIFT)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {SCRATCH} (track_id integer NOT NULL, hash integer NOT NULL)")
            cursor.execute(
                f"INSERT INTO {SCRATCH} SELECT t, floor(random() * %s)::int "  # noqa: S608
                "FROM generate_series(1, %s) t, generate_series(1, %s)", [space, fingerprints, per_track],
            )
            for offset, compressed in enumerate(real, start=1):
                hashes = fingerprint.subhashes(fingerprint.decode(compressed))
                cursor.execute(f"INSERT INTO {SCRATCH} SELECT %s, unnest(%s::int[])",  # noqa: S608
                               [fingerprints + offset, hashes])
            cursor.execute(f"CREATE INDEX ON {SCRATCH} (hash, track_id)")
            cursor.execute(f"ANALYZE {SCRATCH}")
        return time.perf_counter() - started
