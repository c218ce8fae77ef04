"""Demo data: measure every demo track at seed time, so each shows detected tempo, key and loudness."""

import time

from marketplace.analysis import services


def seed_analysis(tracks, stdout=None, progress=None):
    """Analyse the demo tracks in this process (the worker's queued copies then find them done)."""
    started = time.monotonic()
    for done, track in enumerate(tracks, start=1):
        services.analyse_track(track.pk)
        if progress and stdout:
            progress(stdout, "analysis", done, len(tracks))
    elapsed = time.monotonic() - started
    if stdout:
        stdout.write(f"Analysed {len(tracks)} demo previews in {elapsed:.0f} s.")
    return elapsed
