"""`make backup` then `make restore` into a fresh database gives back the same rows and media."""

import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from accounts.models import User
from marketplace.models import Track
from tests.factories import TrackFactory, UserFactory
from voting.services import cast_vote

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import backup  # noqa: E402

TABLES = ["accounts_user", "marketplace_track", "voting_vote", "marketplace_platform", "account_emailaddress"]


def url(name):
    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT']}/{name}"


def counts(name):
    with psycopg.connect(url(name)) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


@pytest.fixture
def fresh_database(transactional_db):
    name = f"restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_the_same_counts_and_media(fresh_database, tmp_path):
    tracks = [TrackFactory() for _ in range(3)]
    cast_vote(UserFactory(), tracks[0], 1)
    media = tmp_path / "media"
    (media / "covers").mkdir(parents=True)
    (media / "covers" / "a.jpg").write_bytes(b"cover bytes")
    source = connection.settings_dict["NAME"]

    target = backup.backup(tmp_path / "backup", database_url=url(source), media=media)
    backup.restore(target, database_url=url(fresh_database), media=tmp_path / "restored")

    assert counts(fresh_database) == counts(source)
    assert counts(fresh_database)["marketplace_track"] == Track.objects.count() == 3
    assert counts(fresh_database)["accounts_user"] == User.objects.count()
    assert (tmp_path / "restored" / "covers" / "a.jpg").read_bytes() == b"cover bytes"

