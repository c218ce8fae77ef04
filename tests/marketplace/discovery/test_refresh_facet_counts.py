"""The Celery task that keeps browse's facet counts (and home's top genres) warm."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.discovery.tasks import refresh_facet_counts
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def facet_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"] or "FILTER (WHERE" in q["sql"]]


def test_after_the_task_browse_and_home_count_nothing_themselves(client):
    TrackFactory.create_batch(3, genre="jazz", moods=["chill"])
    TrackFactory(genre="rock", moods=["dark"])
    assert refresh_facet_counts() > 0
    assert facet_queries(client, "/browse/?genre=jazz&sort=top") == []
    assert facet_queries(client, "/browse/") == []
    assert facet_queries(client, "/") == []


def test_the_counts_it_stores_are_the_ones_browse_shows(client):
    TrackFactory.create_batch(3, genre="jazz", moods=["chill"])
    TrackFactory(genre="rock", moods=["dark"])
    refresh_facet_counts()
    text = client.get("/browse/?genre=jazz").text
    assert 'name="genre" value="rock"' in text and "Rock" in text
    jazz = client.get("/").text
    assert "3 tracks" in jazz and "1 track<" in jazz


def test_without_the_task_a_page_counts_once_and_keeps_it(client):
    TrackFactory(genre="jazz")
    assert facet_queries(client, "/browse/?genre=jazz")  # counted on the visit
    client.get("/browse/?genre=jazz&page=1")  # another URL, same filter state
    assert facet_queries(client, "/browse/?genre=jazz&view=list") == []
