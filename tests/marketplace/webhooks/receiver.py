"""A local HTTP receiver for webhook tests: records each POST and answers from a script of statuses."""

import http.server
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    at: float


@dataclass
class Receiver:
    url: str
    requests: list = field(default_factory=list)
    statuses: list = field(default_factory=list)  # answered in turn; 200 once they run out

    def wait_for(self, count, timeout=20):
        """The first `count` requests, waiting up to `timeout` seconds for them."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.requests) >= count, f"received {len(self.requests)} of {count} deliveries"
        return self.requests[:count]


def start_receiver():
    """(receiver, stop): a threaded HTTP server on 127.0.0.1 at a free port."""
    receiver = Receiver(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.requests.append(Received(self.path, dict(self.headers), body, time.time()))
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            payload = b"ok" if status < 400 else b"receiver down"
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/aimusicstore"

    def stop():
        server.shutdown()
        server.server_close()

    return receiver, stop
