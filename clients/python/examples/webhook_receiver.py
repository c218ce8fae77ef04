"""A minimal webhook receiver: verify X-Signature over the raw body, refuse replays, dedupe on X-Event-Id.

    WEBHOOK_SECRET=whsec_… python webhook_receiver.py   # listens on :8080; put it behind https

Answer 2xx quickly (within 10 s) and do slow work afterwards: anything else is retried for 24 h.
"""

import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from aimusicstore_client import SignatureError, verify_signature

SECRET = os.environ.get("WEBHOOK_SECRET", "")
seen = set()  # use your database in production: X-Event-Id stays the same over retries


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            verify_signature(SECRET, body, self.headers.get("X-Signature"), tolerance=300)
        except SignatureError as error:
            self.send_error(400, str(error))
            return
        event_id = self.headers.get("X-Event-Id")
        if event_id not in seen:
            seen.add(event_id)
            event = json.loads(body)
            print(event["type"], json.dumps(event["data"])[:200])
        self.send_response(204)
        self.end_headers()


if __name__ == "__main__":
    HTTPServer(("", int(os.environ.get("PORT", "8080"))), Receiver).serve_forever()
