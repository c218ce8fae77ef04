"""EXPLAIN (ANALYZE, BUFFERS) for the queries the key pages really run, to prove their indexes.

Run with the services up: `.venv/bin/python scripts/dev.py bench --explain`
(or `scripts/dev.py manage shell`-style env + `python bench/explain.py [path ...]`).

Each page is requested through Django's test client with the cache on the real Redis under a
fresh key prefix, so every query a cold page runs is seen (a cached page would hide them), and
the page cache, the rankings and the counts behave as in production; the SQL each page sends is captured and
explained one by one. So whatever search, browse or the API do on the branch being measured
is what gets explained, not a hand-written copy. A summary lists each page's query count,
total planned execution time and any sequential scan.
"""

import argparse
import os
import re
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/browse/?genre=electronic&sort=top",
    "/top/weekly/",
    "/search/?q=midnight",
    "/search/suggest/?q=mid",
    "<track>",
    "/api/v1/trending",
    "/api/v1/tracks?genre=electronic",
]
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
PLANNING = re.compile(r"Planning Time: ([\d.]+) ms")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
SMALL_TABLES = {"marketplace_platform", "marketplace_tool", "django_site", "voting_toolscore",
                "marketplace_featuredplacement", "django_content_type"}


def explain_page(client, path, connection, verbose=True, out=sys.stdout):
    """Request `path`, explain each SELECT it ran; returns a summary dict."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    summary = {"path": path, "status": response.status_code, "queries": len(captured.captured_queries),
               "ms": 0.0, "plan_ms": 0.0, "seq_scans": []}
    out.write(f"\n=== GET {path} -> {response.status_code}, {summary['queries']} queries\n")
    if response.status_code == 404:
        out.write("    (route missing on this branch, or nothing found)\n")
    for n, query in enumerate(captured.captured_queries, 1):
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        match = EXECUTION.search(plan)
        ms = float(match.group(1)) if match else 0.0
        summary["ms"] += ms
        planning = PLANNING.search(plan)
        summary["plan_ms"] += float(planning.group(1)) if planning else 0.0
        big_scans = [t for t in SEQ_SCAN.findall(plan) if t not in SMALL_TABLES]
        summary["seq_scans"] += big_scans
        if verbose:
            out.write(f"\n--- query {n}: {ms:.2f} ms{'  SEQ SCAN: ' + ', '.join(big_scans) if big_scans else ''}\n")
            out.write(sql[:600] + (" ..." if len(sql) > 600 else "") + "\n")
            out.write("\n".join("    " + line for line in plan.splitlines()) + "\n")
    return summary


def format_summary(summaries):
    header = (f"{'page':<44} {'status':>6} {'queries':>7} {'plan ms':>8} {'exec ms':>8}"
              "  sequential scans on big tables")
    lines = [header, "-" * len(header)]
    for s in summaries:
        scans = ", ".join(sorted(set(s["seq_scans"]))) or "-"
        lines.append(f"{s['path'][:44]:<44} {s['status']:>6} {s['queries']:>7} {s['plan_ms']:>8.2f} {s['ms']:>8.2f}"
                     f"  {scans}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="EXPLAIN (ANALYZE, BUFFERS) the key pages' queries")
    parser.add_argument("paths", nargs="*", help="pages to explain (default: the benchmark's GET requests)")
    parser.add_argument("--summary", action="store_true", help="only the summary table, no plans")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimusicstore.settings")
    os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from marketplace.models import Track
    from voting.models import TrackScore

    # A mid-table track: not the hottest (cache-friendly) nor one with no votes.
    middle = TrackScore.objects.filter(track__status="published").order_by("-score").values_list(
        "track_id", flat=True)
    count = middle.count()
    track = Track.objects.filter(pk=middle[count // 10]).first() if count else Track.objects.first()
    paths = [(track.get_absolute_url() if track else "/tracks/1/") if p == "<track>" else p
             for p in (args.paths or PAGES)]

    summaries = []
    # The real Redis under a prefix of its own: every cached ranking, count and page starts cold.
    cold = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"explain-{uuid.uuid4().hex}"}}
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False, CACHES=cold,
                           SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
        client = Client(raise_request_exception=False)
        for path in paths:
            summaries.append(explain_page(client, path, connection, verbose=not args.summary))
    print("\n" + format_summary(summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
