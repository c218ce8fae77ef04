"""PostgreSQL drops every connection and refuses new ones for a few seconds while traffic flows: each
answer is a success or a 503 with Retry-After, never a 500; every acknowledged click is stored; after it
returns, the site serves again."""

import time

import psycopg
import pytest
from django.db import connection

from marketplace.models import PurchaseClick
from tests.core.faults.test_survive_a_worker_killed_mid_recompute import conninfo
from tests.core.faults.traffic import Traffic
from tests.factories import TrackFactory


@pytest.fixture
def behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]


def test_database_trouble_under_load_answers_503_and_loses_no_acknowledged_click(live_server, behind_the_proxy):
    tracks = [TrackFactory().pk for _ in range(3)]
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = cursor.fetchone()[0]
    with psycopg.connect(conninfo().replace(f"dbname={name}", "dbname=postgres"), autocommit=True) as admin, \
            Traffic(live_server.url, tracks) as traffic:
        traffic.wait_for(lambda: traffic.clicks >= 3, 60, "traffic to flow")
        before = sum(traffic.codes.values())
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                          "AND pid <> %s AND pid <> pg_backend_pid()", [name, ours])  # queries in flight too
            traffic.wait_for(lambda: traffic.count(503) >= 6, 60, "503s while the database is away")
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        during, clicks = sum(traffic.codes.values()) - before, traffic.clicks
        traffic.wait_for(lambda: traffic.clicks >= clicks + 3, 60, "clicks to be stored again")
    assert before > 0 and during > 0, traffic.summary()
    assert traffic.server_errors() == {} and traffic.missing_retry_after == 0, traffic.summary()
    assert traffic.failures == []
    assert PurchaseClick.objects.count() == traffic.clicks  # acknowledged == stored
    # Serving again: the last answers after the database returned are successes.
    time.sleep(0.5)
    assert traffic.request("page", "GET", "/") == 200
    assert traffic.request("click", "POST", f"/api/v1/tracks/{tracks[0]}/purchase-click") == 201
