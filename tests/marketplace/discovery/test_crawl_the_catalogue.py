"""Crawlers and feed readers discover the catalogue (sitemap.xml, robots.txt, feeds)."""

import pytest

from marketplace.models import Track
from tests.factories import TrackFactory
from voting.models import TrackScore

pytestmark = pytest.mark.django_db


def test_the_sitemap_lists_published_tracks_only(client):
    shown = TrackFactory(title="Shown")
    hidden = TrackFactory(title="Hidden", status=Track.Status.HIDDEN)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and "sitemap-tracks.xml" in index.text
    tracks = client.get("/sitemap-tracks.xml").text
    assert shown.get_absolute_url() in tracks
    assert f"/tracks/{hidden.pk}/" not in tracks


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_the_new_releases_feed_lists_the_newest_tracks(client):
    TrackFactory(title="Fresh Cut")
    response = client.get("/feeds/new/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Fresh Cut" in response.text
    assert "Fresh Cut" in client.get("/feeds/new/atom/").text


def test_the_top_feed_lists_the_weekly_top(client):
    track = TrackFactory(title="Chart Topper")
    TrackScore.objects.filter(track=track).update(score_weekly=5)
    assert "Chart Topper" in client.get("/feeds/top/").text
    assert "Chart Topper" in client.get("/feeds/top/atom/").text
