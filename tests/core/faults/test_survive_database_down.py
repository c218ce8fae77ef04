"""PostgreSQL unreachable: a 503 page or JSON error with Retry-After, never a 500; no view count lost."""

import pytest
from django.db import connection

from marketplace.listening.services import count_view, flush_view_counts
from marketplace.models import TrackDailyStats
from tests.core.faults.conftest import _free_port
from tests.factories import TrackFactory


@pytest.fixture
def database_down(transactional_db):
    """Point the connection at a port nobody listens on (as if PostgreSQL stopped), then back."""
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(_free_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


def test_pages_answer_503_with_retry_after(client, database_down):
    for url in ("/", "/browse/", "/tracks/1/", "/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30"
        assert "Back in a moment" in response.text


def test_the_api_answers_503_json_with_retry_after(client, database_down):
    response = client.get("/api/v1/tracks")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json()["error"]["code"] == "service_unavailable"


def test_view_counts_stay_in_redis_until_the_database_write_commits(transactional_db):
    track = TrackFactory()
    for _ in range(3):
        count_view(track.pk)
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(_free_port())
    try:
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises, the counts must survive it
            flush_view_counts()
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    count_view(track.pk)
    assert flush_view_counts() == 4
    assert TrackDailyStats.objects.get(track=track).views == 4
