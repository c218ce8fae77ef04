"""The verified-buyer badge shows only when the reviewer's own click on that track became a recorded sale."""

import pytest
from django.core.cache import cache

from marketplace.purchases import services as purchases
from marketplace.reviews import services
from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with

pytestmark = pytest.mark.django_db


def badge_of(track):
    return client_with().get(f"/api/v1/tracks/{track.pk}/reviews").json()["reviews"][0]["verified_buyer"]


def test_the_badge_needs_the_reviewers_own_click_to_become_a_recorded_sale(client):
    track, other_track = TrackFactory(), TrackFactory()
    reviewer, someone_else = UserFactory(), UserFactory()
    services.save_review(reviewer, track, rating=5, text="Bought it.")

    purchases.record_purchase_click(track, user=reviewer)  # a click alone is no purchase
    someone = purchases.record_purchase_click(track, user=someone_else)
    purchases.record_sale(track, "order-other-buyer", track.price, click=someone)  # someone else's sale
    bought_elsewhere = purchases.record_purchase_click(other_track, user=reviewer)
    purchases.record_sale(other_track, "order-other-track", other_track.price, click=bought_elsewhere)
    assert badge_of(track) is False
    assert "Verified buyer" not in client.get(track.get_absolute_url()).text

    click = purchases.record_purchase_click(track, user=reviewer)
    purchases.record_sale(track, "order-reviewer", track.price, click=click)
    assert badge_of(track) is True
    cache.clear()  # visitors' stored pages catch up within their 30 s lifetime; skip the wait
    assert "Verified buyer" in client.get(track.get_absolute_url()).text
