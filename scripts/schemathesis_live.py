"""`make schemathesis`: the whole API fuzzed by schemathesis against a live `make serve`, with the real limits.

The suite's `tests/api/test_schema_conformance.py` drives every operation through the WSGI app at a small
size (6 examples, limits lifted). This is the full-size run: `scripts/dev.py serve` on SCHEMATHESIS_PORT (or
PORT) with this checkout's servers and the production settings (DEBUG off, gunicorn, rate limits as
configured), a verified staff account with an enterprise key (so admin operations are reached, within
that tier's real limits; scripts/schemathesis_auth.py issues it, and a new one when the run revokes its
own), then `schemathesis run` over the served schema with every check (SCHEMATHESIS_CHECKS, default
`all`), SCHEMATHESIS_EXAMPLES examples per operation (100) in the phases of SCHEMATHESIS_PHASES (default
all four: examples, coverage, fuzzing, stateful) and the allowances of schemathesis.toml.
Reports (JUnit XML, NDJSON events) go to .data/schemathesis/; extra arguments pass through to schemathesis.
Exit status is schemathesis' (non-zero on any failure).
"""

import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PORT = int(os.environ.get("SCHEMATHESIS_PORT", os.environ.get("PORT", "8000")))
EXAMPLES = os.environ.get("SCHEMATHESIS_EXAMPLES", "100")
CHECKS = os.environ.get("SCHEMATHESIS_CHECKS", "all")
PHASES = os.environ.get("SCHEMATHESIS_PHASES", "examples,coverage,fuzzing,stateful")
BASE = f"http://127.0.0.1:{PORT}"
REPORTS = ROOT / ".data" / "schemathesis"


def seed(run):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimusicstore.settings")
    django.setup()
    from decimal import Decimal

    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import User
    from marketplace.models import Platform, Tool, Track

    platform, _ = Platform.objects.get_or_create(slug="suno-ai", defaults={
        "name": "Suno AI", "domains": ["suno.com", "www.suno.com"], "commission_rate": Decimal("0.2000")})
    Tool.objects.get_or_create(slug=f"schemathesis-{run}", defaults={"name": f"Schemathesis tool {run}"})
    staff = User.objects.create_user(email=f"schemathesis-{run}@example.test", password=uuid.uuid4().hex,
                                     role=User.Role.STAFF, is_staff=True, tier=User.Tier.ENTERPRISE,
                                     display_name=f"Schemathesis {run}")
    staff.date_joined = timezone.now().replace(year=timezone.now().year - 1)
    staff.save(update_fields=["date_joined"])
    EmailAddress.objects.update_or_create(user=staff, email=staff.email, defaults={"verified": True, "primary": True})
    for n in range(3):
        Track.objects.create(creator=staff, title=f"Schemathesis {run} {n}", artist=staff.display_name,
                             platform=platform, genre="electronic", moods=["chill"], bpm=120,
                             preview_url="https://cdn.example.test/p.mp3",
                             purchase_url=f"https://suno.com/song/schemathesis-{run}-{n}", price=Decimal("1.99"))
    return staff.email


def main():
    run = uuid.uuid4().hex[:6]
    env = {**os.environ, "PORT": str(PORT), "ALLOW_INSECURE_SECRET_KEY": "1",
           "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2")}
    REPORTS.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen([sys.executable, "scripts/dev.py", "serve"], cwd=ROOT, env=env,
                              stdout=open(REPORTS / "serve.log", "w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(BASE + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"schemathesis: make serve did not come up on {BASE} (see {REPORTS}/serve.log)")
            time.sleep(1)
        # The staff account's keys come from scripts/schemathesis_auth.py (a new one whenever the run has
        # rotated or revoked its own); schemathesis.toml holds the per-operation allowances for refusals
        # no schema can state, each with its reason.
        st_env = {**os.environ, "SCHEMATHESIS_EMAIL": seed(run),
               "SCHEMATHESIS_HOOKS": str(ROOT / "scripts" / "schemathesis_auth.py")}
        command = [
            str(ROOT / ".venv" / "bin" / "schemathesis"), "--config-file", str(ROOT / "schemathesis.toml"), "run",
            f"{BASE}/api/v1/schema/?format=json",
            "--url", BASE, "--checks", CHECKS, "--max-examples", EXAMPLES, "--phases", PHASES,
            "--request-timeout", "30", "--workers", "2",
            "--continue-on-failure", "--suppress-health-check", "all", "--seed", os.environ.get("SEED", "20"),
            "--report", "junit,ndjson", "--report-dir", str(REPORTS), *sys.argv[1:],
        ]
        print(f"schemathesis {run}: {EXAMPLES} examples per operation, checks {CHECKS}, phases {PHASES}, "
              f"against {BASE}", flush=True)
        started = time.monotonic()
        code = subprocess.call(command, cwd=ROOT, env=st_env)
        print(f"schemathesis {run}: {time.monotonic() - started:.0f} s, exit {code}; reports in {REPORTS}/; "
              f"server errors in the log: {count_server_errors(REPORTS / 'serve.log')}", flush=True)
        return code
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def count_server_errors(log):
    """Access-log lines answered 5xx by gunicorn (what a client saw, whatever schemathesis made of it)."""
    return sum(1 for line in log.read_text(errors="replace").splitlines() if '" 5' in line and "HTTP/1.1\" 5" in line)


if __name__ == "__main__":
    sys.exit(main())
