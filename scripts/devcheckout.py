"""One checkout's identity for its dev servers: derived ports, pid and ownership checks, its users."""

import contextlib
import fcntl
import hashlib
import json
import os
import socket
import warnings
from pathlib import Path

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
