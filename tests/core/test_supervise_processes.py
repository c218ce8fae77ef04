"""A crashed worker or beat under `make run`/`make serve` is restarted; the web and databases stay up."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The same honcho Manager as scripts/dev.py's serve_processes: a web that keeps running beside a
# worker that crashes at once, every time.
MANAGER = textwrap.dedent(f"""
    import sys
    sys.path.insert(0, {str(ROOT / "scripts")!r})
    from honcho.manager import Manager
    import dev
    manager = Manager()
    manager.add_process("web", dev.supervised("web", f"{{sys.executable}} -c 'import time; time.sleep(60)'"))
    manager.add_process("worker", dev.supervised("worker", f"{{sys.executable}} -c 'import sys; sys.exit(3)'"))
    manager.loop()
    sys.exit(manager.returncode)
""")


def test_a_crashing_worker_is_restarted_and_the_web_keeps_running():
    env = {**os.environ, "SUPERVISE_BACKOFF": "0.1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", MANAGER], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        time.sleep(3)
        assert proc.poll() is None, "honcho stopped everything when the worker crashed"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=20)[0]
    restarts = output.count("supervise[worker]: pid")
    assert restarts >= 3 and "exited with code 3; restarting" in output
    assert "web" in output and "supervise[web]: pid" not in output  # the web never died


def test_the_supervisor_stops_its_child_on_sigterm():
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "supervise.py"), "beat", "--",
         sys.executable, "-c", "import time; time.sleep(60)"],
        stderr=subprocess.PIPE, text=True,
    )
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    assert "supervise[beat]: started pid" in proc.stderr.read()
