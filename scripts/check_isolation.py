"""Prove that checkouts do not share servers: two clones, one `make run`, two `make test` at once.

    make check-isolation                                   # the full suite in both clones
    make check-isolation ARGS="tests/core tests/voting -x -q"
    .venv/bin/python scripts/check_isolation.py --fresh-venv --keep

Clones this repository's HEAD twice into a temporary directory, starts `make run` in
clone A on a free port and waits for its store, marks A's Redis (a key in its database 0),
then runs `make test` in clone B and in clone A at the same time. Afterwards A must still
serve its catalogue with the same tracks and the mark, B's servers must be gone while A's
still run, and stopping A's `make run` must stop A's servers. Prints a summary; exits 1 on
any failure. By default the clones share this checkout's .venv (symlinked) to skip the
install; --fresh-venv lets each build its own as a new clone would.
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "check-isolation:mark"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=10):
    """(status, body) of a GET, or (None, error) when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError as error:
        return None, str(error)


def listening(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def ports(clone):
    try:
        return json.loads((clone / ".data" / "ports.json").read_text())
    except (OSError, ValueError):
        return {}


def redis_client(port, db=0):
    import redis

    return redis.Redis(host="127.0.0.1", port=port, db=db, socket_timeout=5)


class Check:
    def __init__(self):
        self.results = []

    def __call__(self, ok, what):
        self.results.append((bool(ok), what))
        print(f"  {'ok  ' if ok else 'FAIL'}  {what}", flush=True)
        return ok

    @property
    def failed(self):
        return [what for ok, what in self.results if not ok]


def clone(work, name, fresh_venv):
    path = work / name
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(path)], check=True)
    subprocess.run(["git", "-C", str(path), "checkout", "--quiet", head], check=True)
    if not fresh_venv:
        (path / ".venv").symlink_to(ROOT / ".venv")
    return path


def start(command, cwd, log, env=None):
    """Start `command` in its own process group (so it can be sent a Ctrl-C), output to `log`."""
    print(f"$ (cd {cwd} && {shlex.join(command)})  > {log}", flush=True)
    # As typed in a fresh shell: nothing inherited from the `make check-isolation` around us.
    inherited = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "ARGS")}
    return subprocess.Popen(command, cwd=cwd, env={**inherited, **(env or {})}, stdout=open(log, "w"),  # noqa: SIM115
                            stderr=subprocess.STDOUT, start_new_session=True)


def interrupt(process, seconds=90):
    """Ctrl-C to the process group, as a terminal would; then wait for it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


def tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def pytest_summary(log):
    """pytest's closing line ("12 passed in 3.4s"), or the log's last line."""
    lines = tail(log, 200).splitlines() or [""]
    found = [line for line in lines if " in " in line and any(w in line for w in ("passed", "failed", "error"))]
    return (found or lines)[-1].strip("= ")


def stop_leftovers(clone):
    """Stop any server dev.py left in `clone` (each proven the clone's own before it is stopped)."""
    if not (clone / ".data").is_dir():
        return
    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('dev', sys.argv[1])\n"
        "dev = importlib.util.module_from_spec(spec); spec.loader.exec_module(dev)\n"
        "dev.EmbeddedRedis(sys.argv[2], root=sys.argv[3]).stop()\n"
        "dev.EmbeddedPostgres(sys.argv[2], root=sys.argv[3]).stop()\n"
    )
    python = clone / ".venv" / "bin" / "python"
    subprocess.run([str(python), "-c", code, str(clone / "scripts" / "dev.py"), str(clone / ".data"), str(clone)],
                   cwd=clone, timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--args", default=os.environ.get("ARGS", ""),
                        help="pytest arguments for both `make test` runs (default: $ARGS, else the full suite)")
    parser.add_argument("--fresh-venv", action="store_true", help="let each clone install its own .venv")
    parser.add_argument("--keep", action="store_true", help="keep the clones and logs afterwards")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed for the two test runs")
    options = parser.parse_args()

    check = Check()
    work = Path(tempfile.mkdtemp(prefix="aims-iso-"))
    processes = []
    started = time.monotonic()
    a = b = None
    tests_took = 0
    print(f"Working in {work}", flush=True)
    try:
        a, b = clone(work, "a", options.fresh_venv), clone(work, "b", options.fresh_venv)
        for path in (a, b):  # one at a time: with a shared .venv this is a quick no-op install
            subprocess.run(["make", "-C", str(path), ".venv/.installed"], check=True, stdout=subprocess.DEVNULL,
                           env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")})

        port = free_port()
        run = start(["make", "run", f"PORT={port}"], a, work / "a-run.log")
        processes.append(run)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 900
        while get(f"{base}/", timeout=5)[0] != 200:
            if run.poll() is not None or time.monotonic() > deadline:
                check(False, f"clone A's `make run` serves / on port {port}")
                print(tail(work / "a-run.log"))
                return 1
            time.sleep(2)
        check(True, f"clone A's `make run` serves / on port {port} after {time.monotonic() - started:.0f} s")
        status, body = get(f"{base}/api/v1/tracks?per_page=100")
        before = json.loads(body) if status == 200 else {"tracks": [], "total": 0}
        titles = sorted(track["title"] for track in before["tracks"])
        check(before["total"] > 0, f"clone A's catalogue has {before['total']} tracks (e.g. {titles[:1]})")
        a_ports = ports(a)
        redis_client(a_ports["redis"]).set(MARK, "run's data")

        test_args = [f"ARGS={options.args}"] if options.args else []
        env = {"E2E_REQUIRED": "1"}
        tests_started = time.monotonic()
        test_b = start(["make", "test", *test_args], b, work / "b-test.log", env)
        test_a = start(["make", "test", *test_args], a, work / "a-test.log", env)
        processes += [test_b, test_a]
        for name, process in (("B", test_b), ("A", test_a)):
            try:
                process.wait(timeout=max(1, options.timeout - (time.monotonic() - tests_started)))
            except subprocess.TimeoutExpired:
                interrupt(process)
            summary = pytest_summary(work / f"{name.lower()}-test.log")
            check(process.returncode == 0, f"`make test` in clone {name}: exit {process.returncode}, {summary}")
        tests_took = time.monotonic() - tests_started

        b_ports = ports(b)
        check(b_ports and set(b_ports.values()).isdisjoint(a_ports.values()),
              f"the clones' servers have their own ports (A {a_ports}, B {b_ports})")
        check(not any(listening(p) for p in b_ports.values()), "clone B's servers stopped when its tests ended")
        check(all(listening(p) for p in a_ports.values()),
              "clone A's servers still run after A's tests ended (its `make run` still uses them)")
        check(run.poll() is None, "clone A's `make run` is still running")
        status, _ = get(f"{base}/")
        check(status == 200, f"clone A still serves / (HTTP {status})")
        status, body = get(f"{base}/api/v1/tracks?per_page=100")
        after = json.loads(body) if status == 200 else {"tracks": [], "total": 0}
        check(after["total"] == before["total"] and sorted(t["title"] for t in after["tracks"]) == titles,
              f"clone A's /api/v1/tracks still lists the same {after['total']} tracks")
        check(redis_client(a_ports["redis"]).get(MARK) == b"run's data",
              "clone A's Redis database 0 was not flushed by either test run")

        check(interrupt(run) is not None, "Ctrl-C stops clone A's `make run`")
        time.sleep(1)
        check(not any(listening(p) for p in a_ports.values()), "and, as its last user, A's servers")
    except Exception as error:  # a broken step is a failed check, reported with the others
        check(False, f"unexpected {type(error).__name__}: {error}")
    finally:
        for process in processes:
            interrupt(process, seconds=30)
        for path in (a, b):
            if path:
                stop_leftovers(path)

    print(f"\nSummary ({time.monotonic() - started:.0f} s; tests {tests_took:.0f} s"
          f"{'; ARGS=' + repr(options.args) if options.args else '; the full suite'}):")
    for ok, what in check.results:
        print(f"  {'ok  ' if ok else 'FAIL'}  {what}")
    if check.failed:
        print(f"\n{len(check.failed)} check(s) failed; logs kept in {work}")
        for log in sorted(work.glob("*.log")):
            print(f"\n--- {log.name} (last lines) ---\n{tail(log)}")
        return 1
    print(f"\nAll {len(check.results)} checks passed.")
    if options.keep:
        print(f"Kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
