"""A kept database connection the server dropped between requests is replaced when the next request
starts, before its first query; and a healthy one is checked without a query."""

import time

import psycopg
import pytest
from django.db import close_old_connections, connection

from tests.core.faults.test_survive_a_worker_killed_mid_recompute import conninfo

pytestmark = pytest.mark.django_db(transaction=True)


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def next_request_starts():
    close_old_connections()  # what Django runs at request_started (the test client leaves it out)


def test_a_connection_dropped_between_requests_is_replaced_before_the_next_query():
    dropped = backend_pid()
    with psycopg.connect(conninfo(), autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [dropped]).fetchone()[0]
    deadline = time.monotonic() + 5
    while connection.still_open() and time.monotonic() < deadline:  # the server's goodbye is on its way
        time.sleep(0.01)

    next_request_starts()

    assert backend_pid() != dropped  # a new connection answered; the dropped one would have raised


def test_a_healthy_connection_is_checked_without_a_round_trip():
    pid = backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last query asked'")

    next_request_starts()
    connection.close_if_health_check_failed()  # as the request's first query would

    assert connection.health_check_done and connection.still_open()
    with psycopg.connect(conninfo(), autocommit=True) as admin:
        last = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0]
    assert last == "SELECT 'the last query asked'"  # the check asked nothing (Django's own asks SELECT 1)
    assert backend_pid() == pid
