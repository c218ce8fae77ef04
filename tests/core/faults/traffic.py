"""Mixed traffic against a live server from a few threads, tallying what was answered: a short soak."""

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from itertools import count

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Traffic:
    """Threads that read pages and the API and make purchase clicks, each as its own visitor behind the
    proxy (X-Forwarded-For from TRUSTED_PROXIES 127.0.0.1), until stopped. `codes` counts answers by
    kind and status; `clicks` is how many clicks the server acknowledged; `missing_retry_after` any 503
    without Retry-After."""

    def __init__(self, base, track_ids, threads=4, postback_secret=None):
        self.base, self.track_ids, self.threads, self.secret = base, track_ids, threads, postback_secret
        self.codes, self.clicks, self.sales, self.missing_retry_after, self.failures = Counter(), 0, 0, 0, []
        self.lock, self.stopping, self.visitor = threading.Lock(), threading.Event(), count(1)
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, kind, method, path, body=None, headers=None, answer=None):
        visitor = next(self.visitor)
        headers = {"User-Agent": CHROME, "X-Forwarded-For": f"203.0.{visitor // 250 % 250}.{visitor % 250 + 1}",
                   **(headers or {})}
        req = urllib.request.Request(self.base + path, method=method, headers=headers,
                                     data=body if body is not None else (b"" if method == "POST" else None))
        try:
            with self.opener.open(req, timeout=30) as response:
                status, retry_after = response.status, response.headers.get("Retry-After")
                if answer is not None:
                    answer.append(response.read())
        except urllib.error.HTTPError as error:
            status, retry_after = error.code, error.headers.get("Retry-After")
        except OSError as error:
            with self.lock:
                self.failures.append(f"{kind}: {error}")
            return None
        with self.lock:
            self.codes[(kind, status)] += 1
            self.missing_retry_after += status == 503 and not retry_after
        return status

    def run(self, worker):
        n = worker
        while not self.stopping.is_set():
            track = self.track_ids[n % len(self.track_ids)]
            n += 1
            self.request("page", "GET", "/" if n % 2 else f"/tracks/{track}/")
            self.request("api", "GET", "/api/v1/tracks")
            answer = []
            if self.request("click", "POST", f"/api/v1/tracks/{track}/purchase-click", answer=answer) == 201:
                with self.lock:
                    self.clicks += 1
                if self.secret:
                    self.report_sale(json.loads(answer[0])["click_id"], n)

    def report_sale(self, click_id, n):
        """The platform's signed postback for a click just made; a 503 is retried, as platforms do."""
        body = json.dumps({"click_id": click_id, "order_id": f"soak-{click_id}", "amount": "1.99",
                           "currency": "USD"}).encode()
        signature = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        for _ in range(20):
            status = self.request("postback", "POST", "/api/v1/affiliate/postback", body=body,
                                  headers={"Content-Type": "application/json", "X-Signature": signature})
            if status in (200, 201):
                with self.lock:
                    self.sales += 1
                return
            if status != 503 or self.stopping.is_set():
                return
            time.sleep(0.5)

    def __enter__(self):
        self.started = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(self.threads)]
        for thread in self.started:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.started:
            thread.join(timeout=60)

    def server_errors(self):
        return {key: n for key, n in self.codes.items() if key[1] >= 500 and key[1] != 503}

    def summary(self):
        return json.dumps({f"{k} {s}": n for (k, s), n in sorted(self.codes.items())})

    def count(self, status):
        with self.lock:
            return sum(n for (_, code), n in self.codes.items() if code == status)

    def wait_for(self, condition, seconds, what):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}: {self.summary()}")
            time.sleep(0.1)
