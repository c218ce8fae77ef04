"""`make bench`: load the production shape with wrk, one key request at a time, and print one table.

What it does, in order:
1. checks that wrk is installed (Debian: `apt-get install -y wrk`) and tells how if not;
2. migrates, and makes sure there is data: an empty database gets `scale_data` at
   --tracks/--users/--votes; a small one is used as it is, with a note on how to grow it;
3. creates bench agents with fresh API keys (accounts.models.ApiKey.issue) for the vote load;
4. collects static files and starts gunicorn with production settings (DEBUG off) on a free
   loopback port, using the same command line as `make serve` (scripts/dev.py);
5. warms every request, marks the ones whose route does not exist (404) as "missing";
6. runs `wrk --latency` from a second process against each request for --duration seconds
   with --connections connections, and reports requests/s, p50, p99, errors and each
   request's throughput as a ratio of /healthz measured in the same run;
7. prints the table and saves it as JSON under bench/results/<timestamp>.json.

Ratios, not absolute numbers, are what to compare: the machine is shared and noisy.
`--explain` prints EXPLAIN (ANALYZE, BUFFERS) for the key pages' queries instead (bench/explain.py).
"""

import argparse
import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/run.py` from the root

from bench.wrk import (  # noqa: E402
    add_ratios,
    format_table,
    lua_script,
    parse_wrk_output,
    result_document,
    save_results,
    summarise,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
BENCH_DOMAIN = "bench.aimusicstore.test"

# (name, method, path[, share of requests made by a signed-in member[, Accept-Encoding]]). "<track>" is replaced per
# request by one of 500 published tracks' pages, all visited once in the warm-up; "<first-visit>" by
# one of 5,000 others that nothing has visited, so nearly every request renders the page (what the
# long tail of a catalogue costs), "<first-visit-member>" by 5,000 more for members. A member row
# sends one of the 1,000 bench members' real session cookies (and CSRF cookie), chosen at random.
# A "gzip" row asks as every browser does, `Accept-Encoding: gzip, deflate, br`: the rest ask for the
# bytes as they are, which no browser does.
WARMERS = 4  # warm-up requests in flight at once
BROWSER_ENCODING = "gzip, deflate, br"
REQUESTS = [
    ("healthz", "GET", "/healthz"),
    ("home", "GET", "/"),
    ("home, member", "GET", "/", 1.0),
    ("home, gzip", "GET", "/", 0, BROWSER_ENCODING),
    ("home, member, gzip", "GET", "/", 1.0, BROWSER_ENCODING),
    ("browse", "GET", "/browse/?genre=electronic&sort=top"),
    ("browse, member", "GET", "/browse/?genre=electronic&sort=top", 1.0),
    ("search", "GET", "/search/?q=midnight"),
    ("suggest", "GET", "/search/suggest/?q=mid"),
    ("track detail", "GET", "<track>"),
    ("track, member", "GET", "<track>", 1.0),
    ("track, 80/20 mix", "GET", "<track>", 0.2),
    ("track, 1st visit", "GET", "<first-visit>"),
    ("track, 1st, member", "GET", "<first-visit-member>", 1.0),
    ("top weekly", "GET", "/top/weekly/"),
    ("top weekly, member", "GET", "/top/weekly/", 1.0),
    ("api trending", "GET", "/api/v1/trending"),
    ("api tracks", "GET", "/api/v1/tracks?genre=electronic"),
    ("api vote", "POST", "/api/v1/votes"),
]
WRK_MISSING = (
    "wrk is not installed, and the benchmark needs it to load the server from a second process.\n"
    "Install it with `sudo apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk` (macOS), "
    "then run `make bench` again."
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"host": platform.node(), "cpus": os.cpu_count(), "cpu": cpu, "system": platform.platform(),
            "python": platform.python_version(), "load_before": [round(x, 2) for x in os.getloadavg()]}


def production_env(workers):
    env = dict(os.environ)
    env.update(DEBUG="0", ALLOW_INSECURE_SECRET_KEY="1", WEB_CONCURRENCY=str(workers),
               DJANGO_SETTINGS_MODULE="aimusicstore.settings", LOG_LEVEL=env.get("LOG_LEVEL", "WARNING"))
    env.setdefault("SECURE_SSL_REDIRECT", "0")  # plain http on loopback, as `make serve` (else every page is a 301)
    env.pop("TESTING", None)
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], check=True, env=env, cwd=ROOT)


def data_counts():
    from accounts.models import User
    from marketplace.models import SimilarList, Track
    from voting.models import Vote

    # The bench's own agents (and the votes they cast) are not part of the data set's size.
    return {"tracks": Track.objects.count(),
            "users": User.objects.exclude(email__endswith=f"@{BENCH_DOMAIN}").count(),
            "votes": Vote.objects.exclude(voter__email__endswith=f"@{BENCH_DOMAIN}").count(),
            "similar_lists": SimilarList.objects.count()}


def prepare(keys):
    """Established bench voters with fresh keys, a sample of published tracks' pages, and vote targets.

    The voters are members who joined 60 days ago on the verified tier with a verified address,
    one key each: a fresh account gets the "new" vote limits (5 a minute), which would measure the
    rate limiter, and an unverified one is refused (403 `email_unverified`), which would measure the
    refusal, not the vote path. They are made in bulk, so a thousand cost a second.
    """
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import ApiKey, User
    from marketplace.models import Track

    joined = timezone.now() - timedelta(days=60)
    emails = [f"bench-voter-{i}@{BENCH_DOMAIN}" for i in range(keys)]
    with transaction.atomic():
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        User.objects.bulk_create([
            User(email=email, handle=f"bench_voter_{i}", display_name=f"Bench Voter {i}", date_joined=joined,
                 tier=User.Tier.VERIFIED, password=make_password(None))
            for i, email in enumerate(emails) if email not in existing
        ])
        voters = list(User.objects.filter(email__in=emails))
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=voter, email=voter.email, verified=True, primary=True) for voter in voters],
            ignore_conflicts=True)
        EmailAddress.objects.filter(user__in=voters).update(verified=True)
        ApiKey.objects.filter(user__in=voters, revoked_at__isnull=True).update(revoked_at=timezone.now())
        raw_keys, rows = [], []
        for voter in voters:
            raw = ApiKey.PREFIX + secrets.token_urlsafe(32)
            raw_keys.append(raw)
            rows.append(ApiKey(user=voter, name="bench", tier=ApiKey.Tier.ENTERPRISE,
                               prefix=raw[: len(ApiKey.PREFIX) + 6], key_hash=ApiKey.hash(raw)))
        ApiKey.objects.bulk_create(rows)
    tracks = list(Track.objects.published().order_by("?")[:10500])
    paths = {"<track>": [t.get_absolute_url() for t in tracks[:500]],
             "<first-visit>": [t.get_absolute_url() for t in tracks[500:5500]],
             "<first-visit-member>": [t.get_absolute_url() for t in tracks[5500:]]}
    return raw_keys, paths, [t.pk for t in tracks[:500]], member_cookies(voters, [t.pk for t in tracks[:500]])


def member_cookies(voters, track_ids):
    """A signed-in session for each bench member, as a browser holds it: one Cookie header each.

    Real sessions (the session engine's own store, with the auth hash), a CSRF cookie, and a few
    votes and a heart each on the warm tracks, so a member's page has their own state to show.
    """
    import random

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils.module_loading import import_string

    from marketplace.models import Favourite
    from voting.models import Vote
    from voting.services import recompute_scores

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    rng = random.Random(19)
    votes, hearts, cookies = [], [], []
    already = set(Vote.objects.filter(voter__in=voters, track_id__in=track_ids).values_list("voter_id", "track_id"))
    for voter in voters:
        session = store()
        session[SESSION_KEY] = str(voter.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = voter.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                       f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}")
        for track_id in rng.sample(track_ids, 5):
            if (voter.pk, track_id) not in already:
                votes.append(Vote(voter=voter, track_id=track_id, value=rng.choice((1, 1, -1)), weight=1.0))
        hearts.append(Favourite(user=voter, track_id=rng.choice(track_ids)))
    Vote.objects.bulk_create(votes, ignore_conflicts=True)
    Favourite.objects.bulk_create(hearts, ignore_conflicts=True)
    # Votes made in bulk skip cast_vote: count them in their tracks' scores as a vote would be, or the
    # vote load changing one of them takes away a vote the score never had (a CHECK violation, a 500).
    recompute_scores(track_ids=track_ids)
    return cookies


def probe(port, method, path, key=None, target=None, cookie=None, encoding=None):
    """One request; its status code (0 if the server did not answer)."""
    body, headers = None, {"Authorization": f"Bearer {key}"} if path.startswith("/api/") else {}
    if cookie:
        headers["Cookie"] = cookie
    if encoding:
        headers["Accept-Encoding"] = encoding
    if method == "POST":
        body = json.dumps({"target_id": target, "target_type": "track", "vote": 1}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def run_wrk(port, script, path, args, workdir):
    script_path = Path(workdir) / "request.lua"
    script_path.write_text(script)
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s",
               "--latency", "-s", str(script_path), f"http://127.0.0.1:{port}{path}"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=args.duration + 60)
    return parse_wrk_output(completed.stdout), completed.stdout + completed.stderr


def bench(args):
    if shutil.which("wrk") is None:
        print(WRK_MISSING, file=sys.stderr)
        return 2
    env = production_env(args.workers)
    os.environ.update({k: env[k] for k in ("DEBUG", "ALLOW_INSECURE_SECRET_KEY", "DJANGO_SETTINGS_MODULE")})
    os.environ.pop("TESTING", None)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    import django

    django.setup()
    import dev  # scripts/dev.py: the same gunicorn command line as `make serve`

    manage(env, "migrate", "--noinput", "-v", "0")
    counts = data_counts()
    if counts["tracks"] == 0 and counts["users"] == 0:
        print(f"Empty database: generating scale data ({args.tracks:,} tracks, {args.users:,} users, "
              f"{args.votes:,} votes) ...", flush=True)
        manage({**env, "DEBUG": "1"}, "scale_data", "--tracks", str(args.tracks), "--users", str(args.users),
               "--votes", str(args.votes))
        counts = data_counts()
    elif counts["tracks"] < 10_000:
        print(f"Note: only {counts['tracks']:,} tracks here. For numbers that mean something, bench an empty "
              "database filled with `make scale-data TRACKS=100000 USERS=20000 VOTES=1000000`.", flush=True)
    if counts["tracks"] and counts["similar_lists"] < counts["tracks"] * 0.9:
        print(f"Note: {counts['similar_lists']:,} of {counts['tracks']:,} tracks have a similar list worked out, "
              "so most first visits rank their own (`manage.py refresh_similar` works them all out, as the beat "
              "task does in production).", flush=True)
    if counts["tracks"] == 0:
        print("No tracks to bench. Run `make scale-data` on an empty database first.", file=sys.stderr)
        return 2
    keys, track_paths, targets, cookies = prepare(args.keys)
    labels = {"<track>": "/tracks/<id>/<slug>/", "<first-visit>": "/tracks/<id>/<slug>/ (1st visit)",
              "<first-visit-member>": "/tracks/<id>/<slug>/ (1st visit)"}
    manage(env, "collectstatic", "--noinput", "-v", "0")

    port = args.port or free_port()
    workdir = tempfile.mkdtemp(prefix="bench-")
    log = open(Path(workdir) / "gunicorn.log", "w")  # noqa: SIM115 - closed in finally
    server = subprocess.Popen(shlex.split(dev.gunicorn_command(port, env)), env=env, cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    meta = {
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(), "data": counts, "duration": args.duration, "connections": args.connections,
        "threads": args.threads, "workers": args.workers, "keys": len(keys),
        "server": "gunicorn (production settings, DEBUG off), no Celery worker",
    }
    rows = []
    try:
        if not wait_for_port(port):
            print(f"gunicorn did not start; see {log.name}", file=sys.stderr)
            return 1
        print(f"gunicorn on 127.0.0.1:{port} ({args.workers} workers); warming and loading each request "
              f"for {args.duration}s with {args.connections} connections ...", flush=True)
        for name, method, path, *member in REQUESTS:
            if args.only and name not in args.only and name != "healthz":
                continue
            share, encoding = (*member, 0, None)[:2]
            rotating = track_paths.get(path)
            label = labels.get(path, path)
            if share:
                label += " signed in" if share == 1 else f" {share:.0%} signed in"
            if encoding:
                label += " gzip"
            sample = rotating[0] if rotating else path
            statuses = [probe(port, method, sample, keys[0], targets[0], cookies[0] if share else None, encoding)
                        for _ in range(3)]
            if method == "POST" and statuses[0] in (404, 405) or method == "GET" and statuses[0] == 404:
                rows.append({"name": name, "method": method, "path": label, "status": "missing",
                             "note": f"{statuses[0]}: route not on this branch yet"})
                print(f"  {name:<14} missing ({statuses[0]})", flush=True)
                continue
            if path == "<track>":
                warmup = rotating  # every page of the warm set, once
            elif path.startswith("<first-visit"):
                warmup = []
            elif path.startswith("/api/"):
                # Every bench key once: a key's record is kept 60 s after its last use (accounts.authentication),
                # as an agent calling steadily keeps it. Unwarmed, a third of a 5 s load was keys' first calls.
                warmup = [path] * max(args.warmup, len(keys))
            else:
                warmup = [path] * args.warmup

            def probe_nth(i, url, member=bool(share), method=method, encoding=encoding):
                """The i-th request of a row's probes: its key, target and (for a member) cookie in turn."""
                return probe(port, method, url, keys[i % len(keys)], targets[i % len(targets)],
                             cookies[i % len(cookies)] if member else None, encoding)

            def warm(i, url, share=share):
                answers = [probe_nth(i, url)]
                if 0 < share < 1:  # a mixed row's visitors read their own stored version: warm that too
                    answers.append(probe_nth(i, url, member=False))
                return answers

            # Four at a time, as visitors come: one by one, warming the 500 track pages (twice over for the
            # mixed row) took longer than a page's 30 s ttl, and the row measured renders, not stored pages.
            with ThreadPoolExecutor(WARMERS) as pool:
                for answers in pool.map(warm, range(len(warmup)), warmup):
                    statuses += answers
            script = lua_script(method, path, paths=rotating,
                                keys=keys if path.startswith("/api/") else None,
                                targets=targets if method == "POST" else None,
                                cookies=cookies if share else None, member_share=share or 1.0, encoding=encoding)
            numbers, output = run_wrk(port, script, "/" if rotating else path, args, workdir)
            if numbers is None:
                rows.append({"name": name, "method": method, "path": label, "status": "failed",
                             "note": output.strip().splitlines()[-1][:80] if output.strip() else "wrk failed"})
                print(f"  {name:<14} failed: {output.strip()[-300:]}", flush=True)
                continue
            if numbers["status_errors"]:  # what the load was answered: a sample of it, the load over
                statuses += [probe_nth(i, url) for i, url in enumerate(rotating[:20] if rotating else [path] * 20)]
            numbers["statuses"] = {str(code): count for code, count in Counter(statuses).items()}
            row = summarise(name, method, label, numbers)
            row["warmup_status"] = statuses[0]
            rows.append(row)
            print(f"  {name:<14} {row['rps']:>9,.1f} req/s  p99 {row['p99_ms']:.1f} ms  errors {row['errors']}",
                  flush=True)
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    add_ratios(rows)
    meta["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    document = result_document(rows, meta)
    print()
    print(format_table(rows, meta))
    path = save_results(document, Path(args.output))
    print(f"\nSaved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "5")),
                        help="seconds of load per request (default 5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "0")),
                        help="the loopback port gunicorn listens on (default BENCH_PORT or a free one)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
                        help="gunicorn workers (default WEB_CONCURRENCY or 2)")
    parser.add_argument("--warmup", type=int, default=50, help="sequential requests per route before loading it")
    parser.add_argument("--keys", type=int, default=1000,
                        help="bench voters (one API key each) the API load rotates through")
    parser.add_argument("--tracks", type=int, default=int(os.environ.get("TRACKS", "100000")))
    parser.add_argument("--users", type=int, default=int(os.environ.get("USERS", "20000")))
    parser.add_argument("--votes", type=int, default=int(os.environ.get("VOTES", "1000000")))
    parser.add_argument("--output", default=str(RESULTS), help="where the JSON goes")
    parser.add_argument("--only", type=lambda text: [n.strip() for n in text.split(";") if n.strip()], default=[],
                        help='row names to load (healthz always), separated by ";": "home;home, member"')
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN (ANALYZE, BUFFERS) for the key pages' queries instead")
    args = parser.parse_args(argv)
    if args.explain:
        return subprocess.run([PY, str(ROOT / "bench" / "explain.py")], cwd=ROOT).returncode
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
