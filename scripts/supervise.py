"""Keep one process running: restart it when it exits, log each restart, stop it on SIGTERM/SIGINT.

`make run`/`make serve` run web, worker and beat under honcho, which stops every process (and
dev.py then the databases) as soon as one exits. Each is started through this wrapper instead,
so a crashed Celery worker is restarted after a short back-off and nothing else notices:

    python scripts/supervise.py worker -- python -m celery -A aimusicstore worker
"""

import os
import signal
import subprocess
import sys
import time

BACKOFF_FIRST = float(os.environ.get("SUPERVISE_BACKOFF", "1"))
BACKOFF_MAX = 30.0
# A run this long counts as healthy: the back-off starts again from the first step.
HEALTHY_AFTER = 60.0


def log(name, message):
    print(f"supervise[{name}]: {message}", file=sys.stderr, flush=True)


def supervise(name, command):
    stopping = False
    child = None

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        if child and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    backoff = BACKOFF_FIRST
    while True:
        started = time.monotonic()
        child = subprocess.Popen(command)
        log(name, f"started pid {child.pid}")
        code = child.wait()
        if stopping:
            return 0
        if time.monotonic() - started > HEALTHY_AFTER:
            backoff = BACKOFF_FIRST
        log(name, f"pid {child.pid} exited with code {code}; restarting in {backoff:g} s")
        deadline = time.monotonic() + backoff
        while time.monotonic() < deadline and not stopping:
            time.sleep(0.1)
        if stopping:
            return 0
        backoff = min(backoff * 2, BACKOFF_MAX)


def main(argv):
    if len(argv) < 3 or argv[1] != "--":
        sys.exit("usage: supervise.py NAME -- COMMAND [ARGS...]")
    return supervise(argv[0], argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
