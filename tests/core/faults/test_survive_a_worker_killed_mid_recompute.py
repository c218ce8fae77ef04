"""A Celery worker killed in the middle of a full recompute leaves no half-written scores; the next run converges."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.factories import ToolFactory, TrackFactory, UserFactory
from voting import tasks
from voting.models import ToolScore, TrackScore, Vote

ROOT = Path(__file__).resolve().parents[3]


def conninfo():
    db = connection.settings_dict
    return f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={db['NAME']}" + (
        f" password={db['PASSWORD']}" if db.get("PASSWORD") else "")


def waiting_recompute(admin):
    """The pid of a backend stuck on our lock inside the recompute's transaction, if any."""
    row = admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND query ILIKE '%voting_toolscore%'").fetchone()
    return row and row[0]


def await_(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)
    return found


@pytest.fixture
def worker_processes(transactional_db):
    """Start real `celery worker` processes on the test database and queue (each can be SIGKILLed)."""
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE}
    started = []

    def start():
        started.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "aimusicstore", "worker", "--pool=solo", "--loglevel=WARNING",
             "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        return started[-1]

    yield start
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_a_worker_killed_mid_recompute_commits_nothing_and_the_next_run_converges(worker_processes):
    track, tool = TrackFactory(), ToolFactory()
    for _ in range(3):
        Vote.objects.create(voter=UserFactory(), track=track, value=1)
    Vote.objects.create(voter=UserFactory(), tool=tool, value=1)
    assert TrackScore.objects.get(track=track).upvotes == 0  # stale until a recompute

    with psycopg.connect(conninfo(), autocommit=True) as admin, psycopg.connect(conninfo()) as blocker:
        # The tool scores are locked: the recompute rewrites the track scores, then waits on the tools,
        # its transaction half done, when the worker is killed.
        blocker.execute("LOCK TABLE voting_toolscore IN ACCESS EXCLUSIVE MODE")
        worker = worker_processes()
        tasks.recompute_scores.delay()
        backend = await_(lambda: waiting_recompute(admin), 90, "the worker's recompute to reach the tool scores")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        blocker.rollback()  # the lock goes; the orphaned backend finds its client gone and rolls back
        await_(lambda: not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]).fetchone(),
               30, "the killed worker's transaction to end")

    # Nothing of the half-done rewrite committed.
    assert TrackScore.objects.get(track=track).upvotes == 0
    # The next scheduled run (beat's), on a worker started again, converges.
    worker_processes()
    tasks.recompute_scores.delay().get(timeout=90)
    assert TrackScore.objects.get(track=track).upvotes == 3
    assert ToolScore.objects.get(tool=tool).upvotes == 1
