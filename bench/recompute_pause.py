"""Time full score recomputes back to back and after simulated pauses, then the trust job, on a big database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<copy> REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/recompute_pause.py [--pauses 30m,24h] [--runs 3] [--trust]

WRITES to the database it is given (use a copy of a `make scale-data` database). A pause of Δ is simulated
as time passing would leave the data: every vote and the trending epoch move back by Δ (so votes leave
the daily, weekly and monthly windows as they would; stored trending values stay valid), then VACUUM
FULL ANALYZE of the votes (rewriting every vote would otherwise leave the table twice its size, which
time passing does not). Each line gives the seconds, the score rows written
and the load average.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimusicstore.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from voting import trending  # noqa: E402
from voting.services import recompute_scores  # noqa: E402


def load():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def written_since(started):
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM voting_trackscore WHERE updated_at >= %s)"
                       " + (SELECT count(*) FROM voting_toolscore WHERE updated_at >= %s)", [started, started])
        return cursor.fetchone()[0]


def timed_recompute(label):
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        started_at = cursor.fetchone()[0]
    started = time.perf_counter()
    recompute_scores()
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:6.2f} s  {written_since(started_at):>7,} rows written  {load()}", flush=True)
    return seconds


def vacuum(tables, full=False):
    connection.ensure_connection()
    autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {'FULL ' if full else ''}ANALYZE {', '.join(tables)}")
    finally:
        connection.connection.autocommit = autocommit


def let_time_pass(spec):
    unit = {"m": "minutes", "h": "hours", "d": "days"}[spec[-1]]
    interval = f"{int(spec[:-1])} {unit}"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE voting_vote SET created_at = created_at - %s::interval", [interval])
        cursor.execute("UPDATE voting_trendingepoch SET epoch = epoch - %s::interval", [interval])
    vacuum(["voting_vote", "voting_trendingepoch"], full=True)
    trending.forget_epoch()
    print(f"(simulated a {spec} pause in {time.perf_counter() - started:.1f} s)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="back-to-back recomputes first")
    parser.add_argument("--pauses", default="30m,24h", help="comma-separated pauses (30m, 24h, 2d); '' for none")
    parser.add_argument("--trust", action="store_true", help="then run the trust job once")
    opts = parser.parse_args()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM voting_vote")
        print(f"{cursor.fetchone()[0]:,} votes; {load()}", flush=True)
    vacuum(["voting_vote"], full=True)  # compact, as `make scale-data` leaves it (an earlier run may not have)
    vacuum(["voting_trackscore", "voting_toolscore"])
    for run in range(1, opts.runs + 1):
        timed_recompute(f"back-to-back run {run}")
    for spec in filter(None, opts.pauses.split(",")):
        let_time_pass(spec)
        timed_recompute(f"after a {spec} pause")
        timed_recompute("  and again right after")
    if opts.trust:
        from voting.trust.sybilrank import refresh_trust

        started = time.perf_counter()
        stats = refresh_trust()
        print(f"{'trust job':<28} {time.perf_counter() - started:6.2f} s  {load()}  {stats}", flush=True)


if __name__ == "__main__":
    main()
