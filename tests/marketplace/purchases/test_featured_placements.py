"""Visitors see running placements, labelled Sponsored or Editor's pick; expired ones vanish."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aimusicstore import pagecache
from marketplace.models import FeaturedPlacement, Track
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def place(kind, track=None, starts=-1, ends=6, **extra):
    now = timezone.now()
    return FeaturedPlacement.objects.create(
        kind=kind, track=track or TrackFactory(), starts_at=now + timedelta(days=starts),
        ends_at=now + timedelta(days=ends), **extra)


def test_active_placements_are_those_running_now_on_published_tracks():
    running = place("homepage")
    place("homepage", starts=-8, ends=-1)  # expired
    place("homepage", starts=1, ends=8)  # not started
    place("homepage", track=TrackFactory(status=Track.Status.HIDDEN))
    place("editors_pick")
    assert list(FeaturedPlacement.objects.active("homepage")) == [running]


def test_a_placement_disappears_at_its_end_time_without_anyone_touching_it():
    placement = place("homepage", ends=1)
    assert FeaturedPlacement.objects.active("homepage", now=placement.ends_at - timedelta(seconds=1)).exists()
    assert not FeaturedPlacement.objects.active("homepage", now=placement.ends_at).exists()


def test_the_home_page_labels_sponsored_and_editorial_features(client):
    place("homepage", track=TrackFactory(title="Paid Tide"), sponsored=True)
    place("homepage", track=TrackFactory(title="Staff Love"), sponsored=False)
    place("homepage", track=TrackFactory(title="Old Promo"), starts=-10, ends=-3)
    text = client.get("/").text
    featured = text[text.index('id="featured-h"'):text.index('id="trending-h"')]
    assert "Paid Tide" in featured and "Staff Love" in featured and "Old Promo" not in featured
    assert "Sponsored" in featured and "Editor’s pick" in featured


def test_an_editors_pick_badge_shows_on_the_track_until_it_expires(client):
    track = TrackFactory(title="Quiet Harbor")
    placement = place("editors_pick", track=track, sponsored=False)
    assert "Editor’s pick" in client.get(track.get_absolute_url()).text
    assert "Editor’s pick" in client.get("/browse/").text
    FeaturedPlacement.objects.filter(pk=placement.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    pagecache.invalidate()  # the stored signed-out page lives 30 s at most; that much later:
    assert "Editor’s pick" not in client.get(track.get_absolute_url()).text


def test_a_category_sponsorship_shows_on_its_genre_only(client):
    place("category", track=TrackFactory(title="Lo-fi Sponsor", genre="lo-fi"), genre="lo-fi")
    lofi = client.get("/browse/?genre=lo-fi").text
    assert "Sponsored in this genre" in lofi and "Sponsored" in lofi and "Lo-fi Sponsor" in lofi
    assert "Sponsored in this genre" not in client.get("/browse/?genre=rock").text
    assert "Sponsored in this genre" not in client.get("/browse/").text


def test_a_trending_placement_shows_on_the_trending_page_labelled(client):
    place("trending", track=TrackFactory(title="Boosted Pulse"))
    text = client.get("/trending/").text
    assert "Boosted Pulse" in text and "Sponsored" in text
    assert "/buy/" in text  # the card inside keeps its Buy button


def test_badges_and_buy_buttons_add_no_query_per_card(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    place("editors_pick", sponsored=False)
    client.get("/browse/")  # warm up sessions and the like
    pagecache.invalidate()  # measure the page rendered, not the stored copy
    with CaptureQueriesContext(connection) as few:
        client.get("/browse/")
    TrackFactory.create_batch(20)
    pagecache.invalidate()
    with CaptureQueriesContext(connection) as many:
        client.get("/browse/")
    assert len(many.captured_queries) == len(few.captured_queries)
