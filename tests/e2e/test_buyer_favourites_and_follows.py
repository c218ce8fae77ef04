"""A buyer hearts a track and follows its creator; both show up in the account."""

import pytest

from accounts.models import Follow
from marketplace.models import Favourite
from tests.factories import CreatorFactory, TrackFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse-42")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_a_buyer_favourites_a_track_and_follows_its_creator(live_server, page, screenshot):
    creator = CreatorFactory(display_name="Nova Drift", handle="nova")
    TrackFactory(creator=creator, title="Electric Garden")
    buyer = UserFactory(email="fan@example.test")
    log_in(page, live_server, "fan@example.test")

    page.goto(live_server.url + "/browse/")
    heart = page.get_by_role("button", name="Add Electric Garden to favourites")
    heart.click()
    page.get_by_role("button", name="Remove Electric Garden from favourites").wait_for()
    assert Favourite.objects.filter(user=buyer, track__title="Electric Garden").exists()
    assert page.url.endswith("/browse/")  # swapped in place, no reload

    page.goto(live_server.url + "/creators/nova/")
    page.get_by_role("button", name="Follow Nova Drift").click()
    page.get_by_role("button", name="Following ✓ Nova Drift (click to unfollow)").wait_for()
    assert Follow.objects.filter(follower=buyer, creator=creator).exists()

    page.goto(live_server.url + "/account/")
    assert page.locator("#favourites").get_by_role("link", name="Electric Garden", exact=True).is_visible()
    assert page.locator("#following").get_by_role("link", name="Nova Drift").is_visible()
    screenshot("account")
    page.goto(live_server.url + "/account/feed/")
    assert page.get_by_role("link", name="Electric Garden", exact=True).is_visible()
