"""`make soak`: mixed traffic against `make serve` for SOAK_SECONDS (600), Redis stopped 30 s midway.

Starts `scripts/dev.py serve` on SOAK_PORT with this checkout's servers, seeds its own creators,
tracks and voters (tagged with the run id), then runs threads that vote (API), record purchase
clicks (API), count plays (each listener keeps its cookie), report sales (signed postbacks for
clicks already made) and read pages. Halfway it kills Redis for SOAK_REDIS_DOWN seconds (30) and
starts it again. At the end it prints, for votes, clicks, plays and sales, what the server
acknowledged (sent) against the rows in PostgreSQL (stored), and every 5xx; exit 1 on any gap.
"""

import hashlib
import hmac
import http.cookiejar
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
REDIS_DOWN = float(os.environ.get("SOAK_REDIS_DOWN", "30"))
PORT = int(os.environ.get("SOAK_PORT", os.environ.get("PORT", "8000")))
THREADS = int(os.environ.get("SOAK_THREADS", "6"))
SECRET = "soak-postback-secret"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
BASE = f"http://127.0.0.1:{PORT}"


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = Counter()
        self.statuses = Counter()
        self.errors = Counter()
        self.votes = set()
        self.clicks = []  # (click_id, track price)

    def status(self, kind, code):
        with self.lock:
            self.statuses[(kind, code)] += 1


def request(method, path, body=None, headers=None, opener=None, timeout=15):
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers={"User-Agent": CHROME, **(headers or {})})
    if data is not None and "Content-Type" not in req.headers:
        req.add_header("Content-Type", "application/json")
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def seed(run):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimusicstore.settings")
    django.setup()
    from decimal import Decimal

    from allauth.account.models import EmailAddress
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from accounts.models import ApiKey, User
    from marketplace.demo import media
    from marketplace.models import Platform, Track

    platform, _ = Platform.objects.get_or_create(slug="suno-ai", defaults={
        "name": "Suno AI", "domains": ["suno.com", "www.suno.com"], "commission_rate": Decimal("0.2000")})
    creator = User.objects.create_user(email=f"soak-creator-{run}@example.test", password="soak-pass-123",
                                       role=User.Role.CREATOR, display_name=f"Soak {run}")
    # A real preview, stored once and shared: a preview the analyser cannot fetch hides its track (404s, no votes).
    preview = default_storage.save(f"previews/soak-{run}.mp3", ContentFile(media.synth_preview("electronic", 1)))
    tracks = [Track.objects.create(
        creator=creator, title=f"Soak {run} {n}", artist=creator.display_name, platform=platform, genre="electronic",
        moods=["chill"], bpm=120, preview_audio=preview,
        purchase_url=f"https://suno.com/song/soak-{run}-{n}", price=Decimal("1.99")) for n in range(200)]
    keys = []
    for n in range(30):
        voter = User.objects.create_user(email=f"soak-voter-{run}-{n}@example.test", password="soak-pass-123",
                                         tier=User.Tier.ENTERPRISE, display_name=f"Voter {run} {n}")
        voter.date_joined = voter.date_joined.replace(year=voter.date_joined.year - 1)
        voter.save(update_fields=["date_joined"])
        EmailAddress.objects.update_or_create(user=voter, email=voter.email,
                                              defaults={"verified": True, "primary": True})
        keys.append((voter.pk, ApiKey.issue(voter, "soak", tier=ApiKey.Tier.ENTERPRISE)[1]))
    return [t.pk for t in tracks], keys


def stored(run, track_ids):
    from marketplace.models import PlayEvent, PurchaseClick, Sale
    from voting.models import Vote

    return {
        "votes": Vote.objects.filter(track_id__in=track_ids).count(),
        "clicks": PurchaseClick.objects.filter(track_id__in=track_ids).count(),
        "plays": PlayEvent.objects.filter(track_id__in=track_ids).count(),
        "sales": Sale.objects.filter(order_id__startswith=f"soak-{run}-").count(),
    }


def traffic(tally, stop, run, track_ids, keys):
    rng = random.Random()
    listener = None
    while not stop.is_set():
        action = rng.choice(["vote", "click", "click", "play", "sale", "page"])
        track = rng.choice(track_ids)
        try:
            if action == "vote":
                voter, key = rng.choice(keys)
                code, _ = request("POST", "/api/v1/votes", {"target_type": "track", "target_id": track, "vote": 1},
                                  {"Authorization": f"Bearer {key}"})
                if code in (200, 201):
                    with tally.lock:
                        tally.votes.add((voter, track))
            elif action == "click":
                _, key = rng.choice(keys)
                code, body = request("POST", f"/api/v1/tracks/{track}/purchase-click", b"",
                                     {"Authorization": f"Bearer {key}"})
                if code == 201:
                    with tally.lock:
                        tally.sent["clicks"] += 1
                        tally.clicks.append(json.loads(body)["click_id"])
            elif action == "play":
                if listener is None or rng.random() < 0.3:  # a new listener with its own cookie jar
                    listener = urllib.request.build_opener(
                        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
                code, body = request("POST", f"/listen/tracks/{track}/play/", b"", opener=listener)
                if code == 200 and json.loads(body).get("counted"):
                    with tally.lock:
                        tally.sent["plays"] += 1
            elif action == "sale":
                with tally.lock:
                    click = tally.clicks.pop() if tally.clicks else None
                if click is None:
                    continue
                body = json.dumps({"click_id": click, "order_id": f"soak-{run}-{uuid.uuid4().hex[:12]}",
                                   "amount": "1.99", "currency": "USD"}).encode()
                signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                code, _ = request("POST", "/api/v1/affiliate/postback", body, {"X-Signature": signature})
                if code == 201:
                    with tally.lock:
                        tally.sent["sales"] += 1
            else:
                code, _ = request("GET", rng.choice(["/", f"/tracks/{track}/", "/browse/", "/trending/"]))
            tally.status(action, code)
        except Exception as error:  # noqa: BLE001 - a timeout or refused connection is counted, not fatal
            with tally.lock:
                tally.errors[f"{action}: {type(error).__name__}"] += 1


def redis_outage(seconds):
    from devservers import DATA, EmbeddedRedis, read_pid

    server = EmbeddedRedis(DATA)
    port = server.checkout.recorded_port("redis")
    pid = read_pid(server.pidfile)
    print(f"soak: killing Redis (pid {pid}) for {seconds:g} s", flush=True)
    os.kill(pid, signal.SIGKILL)
    time.sleep(seconds)
    server.pidfile.unlink(missing_ok=True)
    if not server.start(port):
        raise SystemExit("soak: could not restart Redis")
    print("soak: Redis is back", flush=True)


def main():
    run = uuid.uuid4().hex[:6]
    env = {**os.environ, "PORT": str(PORT), "AFFILIATE_POSTBACK_SECRET": SECRET, "ALLOW_INSECURE_SECRET_KEY": "1",
           "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2")}
    os.environ["AFFILIATE_POSTBACK_SECRET"] = SECRET
    server = subprocess.Popen([sys.executable, "scripts/dev.py", "serve"], cwd=ROOT, env=env,
                              stdout=open(ROOT / ".data" / "soak-serve.log", "w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if request("GET", "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("soak: make serve did not come up; see .data/soak-serve.log")
            time.sleep(1)
        track_ids, keys = seed(run)
        tally, stop = Tally(), threading.Event()
        threads = [threading.Thread(target=traffic, args=(tally, stop, run, track_ids, keys)) for _ in range(THREADS)]
        print(f"soak {run}: {SECONDS:g} s of traffic from {THREADS} threads against {BASE}", flush=True)
        for thread in threads:
            thread.start()
        time.sleep(max(0, SECONDS / 2 - REDIS_DOWN / 2))
        if REDIS_DOWN > 0:
            redis_outage(REDIS_DOWN)
        time.sleep(max(0, SECONDS / 2 - REDIS_DOWN / 2))
        stop.set()
        for thread in threads:
            thread.join()
        counts = stored(run, track_ids)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    sent = {"votes": len(tally.votes), "clicks": tally.sent["clicks"], "plays": tally.sent["plays"],
            "sales": tally.sent["sales"]}
    five_xx = {f"{kind} {code}": n for (kind, code), n in sorted(tally.statuses.items()) if code >= 500}
    print(f"\nsoak {run} results ({SECONDS:g} s, Redis down {REDIS_DOWN:g} s):")
    for name in sent:
        verdict = "ok" if sent[name] == counts[name] else "LOST"
        print(f"  {name:7} sent {sent[name]:6}  stored {counts[name]:6}  {verdict}")
    by_status = Counter()
    for (_, code), n in tally.statuses.items():
        by_status[code] += n
    print(f"  requests: {sum(by_status.values())}, by status: {dict(sorted(by_status.items()))}")
    print(f"  5xx: {sum(five_xx.values())} {five_xx or ''}")
    print(f"  client errors (timeouts, refused): {dict(tally.errors) or 0}")
    if not all(sent.values()):
        print("  FAILED: nothing was accepted of " + ", ".join(name for name, n in sent.items() if not n))
        return 1
    return 0 if sent == counts and not five_xx else 1


if __name__ == "__main__":
    sys.exit(main())
