"""`make lighthouse`: Lighthouse's mobile scores for home, a track page and browse, in production shape.

Serves the store as `make serve` does (DEBUG off, collectstatic, whitenoise, gunicorn) on $PORT
against this checkout's database (the demo catalogue, seeded when empty), runs $LIGHTHOUSE
on Chromium for each page, prints the four category scores and stops the server. Exits 1 when
any score is under MIN_SCORE (95). `--keep DIR` keeps the JSON reports.

Beside the scores it prints the metrics behind performance (FCP, LCP, TBT, CLS), the load average
and Lighthouse's benchmarkIndex: on a shared machine a busy CPU alone costs many points (TBT is the
page's main-thread time ×4), so a low benchmarkIndex says to read the score with that in mind.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS"}
MIN_SCORE = int(os.environ.get("MIN_SCORE", "95"))
WORKERS = 2
WARM_REQUESTS = 3 * WORKERS  # a first request to a cold worker took 6.7 s under load: no visitor's experience
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync --mute-audio")


def production_env(port):
    env = dict(os.environ, DEBUG="0", SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0",
               ALLOW_INSECURE_SECRET_KEY="1", SITE_URL=f"http://127.0.0.1:{port}")
    env.pop("TESTING", None)
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], check=True, env=env, cwd=ROOT)


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the store did not answer at {url}")


def first_track_path(env):
    """The first published track with cover art, as the demo's have (a soak's bare tracks are no fair page)."""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c",
         "from marketplace.models import Track; tracks = Track.objects.published().order_by('id'); "
         "print((tracks.exclude(cover='').first() or tracks.first()).get_absolute_url())"],
        check=True, env=env, cwd=ROOT, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def audit(lighthouse, url, report, tries=2):
    for _ in range(tries):
        subprocess.run([lighthouse, url, f"--chrome-path={CHROMIUM}", f"--chrome-flags={CHROME_FLAGS}",
                        f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={report}",
                        "--quiet"], check=True, cwd=ROOT)
        data = json.loads(Path(report).read_text())
        if not data.get("runtimeError"):  # e.g. NO_NAVSTART: the trace was lost, Lighthouse says to run again
            break
        print(f"        Lighthouse: {data['runtimeError'].get('code')}, running it again", flush=True)
    failing = sorted((audit["score"], key) for key, audit in data["audits"].items()
                     if audit.get("score") is not None and audit["score"] < 0.9
                     and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"))
    metrics = {label: data["audits"][key].get("displayValue", "?") for key, label in METRICS.items()}
    metrics["benchmarkIndex"] = round(data.get("environment", {}).get("benchmarkIndex") or 0)
    scores = {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    return scores, [key for _, key in failing], metrics


def main(argv):
    lighthouse = os.environ.get("LIGHTHOUSE", "lighthouse")
    port = os.environ.get("PORT", "8199")
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    env = production_env(port)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(dict(env, DEBUG="1"), "seed_demo", "--if-empty")  # the demo refuses a DEBUG-off database
    manage(env, "collectstatic", "--noinput", "-v", "0")
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([PY, "-m", "gunicorn", "aimusicstore.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(WORKERS), "--log-level", "warning"], env=env, cwd=ROOT)
    worst = 100
    try:
        wait_for(base + "/healthz")
        pages = {"home": "/", "track": first_track_path(env), "browse": "/browse/"}
        with tempfile.TemporaryDirectory() as tmp:
            folder = keep or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            for name, path in pages.items():
                for _ in range(WARM_REQUESTS):  # warm the page cache and each worker's templates, as visitors would
                    urllib.request.urlopen(base + path, timeout=30).read()
                load = " ".join(f"{x:.2f}" for x in os.getloadavg())
                scores, failing, metrics = audit(lighthouse, base + path, folder / f"{name}.json")
                worst = min(worst, *scores.values())
                print(f"{name:7} {path:40} " + "  ".join(f"{c} {s}" for c, s in scores.items()), flush=True)
                print(f"        {'  '.join(f'{k} {v}' for k, v in metrics.items())}  load average {load}", flush=True)
                if failing:
                    print(f"        below 0.9: {', '.join(failing)}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"lowest score {worst} (needed {MIN_SCORE})")
    return 0 if worst >= MIN_SCORE else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
