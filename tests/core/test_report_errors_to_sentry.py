"""With SENTRY_DSN set, a crashing view reaches Sentry (a stand-in ingest server here), without personal data:
no cookies, request bodies or local variables (a session key in a query's parameters was one)."""

import gzip
import http.server
import os
import subprocess
import sys
import textwrap
import threading
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CRASH = textwrap.dedent("""
    import django, sentry_sdk
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import path

    def crash(request):
        member_email = "member@example.test"  # a local variable holding personal data
        raise RuntimeError("boom-for-sentry " + str(len(member_email)))

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("crash/", crash)],
                                              "handler500": "aimusicstore.degrade.server_error"})
    client = Client(raise_request_exception=False, HTTP_COOKIE="tracking=secret-cookie-value")
    print("status", client.post("/crash/", {"email": "buyer@example.test"}).status_code)
    sentry_sdk.flush(timeout=10)
""")


class Ingest(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        Ingest.received.append((self.path, body.decode("utf-8", "replace")))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def run_crash(**env):
    environment = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    environment.update(DJANGO_SETTINGS_MODULE="aimusicstore.settings", **env)
    return subprocess.run([sys.executable, "-c", CRASH], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)


def test_a_crashing_view_is_reported_to_sentry_when_a_dsn_is_set():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Ingest.received.clear()
    try:
        result = run_crash(SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_port}/42",
                           SENTRY_ENVIRONMENT="soak-test")
    finally:
        server.shutdown()
    assert "status 500" in result.stdout, result.stdout + result.stderr
    events = [body for path, body in Ingest.received if path.startswith("/api/42/")]
    assert any("boom-for-sentry" in body and "RuntimeError" in body for body in events), Ingest.received
    report = next(body for body in events if "boom-for-sentry" in body)
    assert '"environment":"soak-test"' in report.replace(" ", "")
    # No cookies, no request body, no local variables: nothing personal leaves for Sentry.
    assert "secret-cookie-value" not in report and "buyer@example.test" not in report
    assert "member@example.test" not in report


def test_without_a_dsn_nothing_is_sent_and_the_crash_is_still_the_friendly_page():
    result = run_crash()
    assert "status 500" in result.stdout, result.stdout + result.stderr
