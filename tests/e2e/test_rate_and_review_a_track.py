"""A listener rates and reviews a track, re-sorts the reviews and marks another review helpful."""

import pytest

from marketplace.reviews import services
from marketplace.reviews.models import Review
from tests.factories import TrackFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_listener_rates_and_reviews_a_track(live_server, page, screenshot, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    track = TrackFactory(title="Harbour Lights")
    services.save_review(UserFactory(display_name="Early Ear"), track, rating=2, text="Too *slow* for me.")
    listener = UserFactory(email="critic@example.test")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("critic@example.test")
    page.get_by_label("Password").fill("correct-horse-42")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()

    page.goto(live_server.url + track.get_absolute_url())
    reviews = page.locator("#reviews")
    reviews.get_by_label("4 stars").check()
    reviews.get_by_label("Your review (optional)").fill("Warm pads and a **great** hook.")
    reviews.get_by_role("button", name="Post review").click()
    page.get_by_text("Thanks, your review is up.").wait_for()
    assert page.locator(".review", has_text="great hook").locator("strong", has_text="great").count() == 1
    assert "3.0" in page.locator(".track-detail__rating").inner_text()  # (2 + 4) / 2
    assert Review.objects.get(author=listener).rating == 4

    page.locator("#reviews").get_by_role("link", name="Lowest").click()
    page.locator(".reviews__sorts a[aria-current]", has_text="Lowest").wait_for()
    assert page.locator(".review__author").all_inner_texts()[0] == "Early Ear"
    page.get_by_role("button", name="Mark the review by Early Ear helpful").click()
    page.get_by_text("You found this helpful").wait_for()
    assert Review.objects.get(author__display_name="Early Ear").helpful_count == 1
    screenshot("rate_and_review")
