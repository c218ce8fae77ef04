from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import TrackFactory, UserFactory
from voting.models import TrackScore

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_listener_upvotes_and_withdraws_without_a_page_reload(live_server, page, screenshot):
    voter = UserFactory(date_joined=timezone.now() - timedelta(days=90))
    track = TrackFactory(title="Velvet Static")
    log_in(page, live_server, voter)
    page.goto(live_server.url + track.get_absolute_url())
    page.evaluate("window.__no_reload = true")
    page.get_by_role("button", name="Upvote Velvet Static").click()
    remove = page.get_by_role("button", name="Remove your upvote from Velvet Static")
    remove.wait_for()
    assert remove.get_attribute("aria-pressed") == "true"
    assert "1 up · 0 down" in page.locator(".vote-buttons").inner_text()
    assert page.evaluate("window.__no_reload") is True  # htmx swapped the buttons in place
    assert TrackScore.objects.get(track=track).upvotes == 1
    screenshot("vote-upvoted")
    remove.click()
    page.get_by_role("button", name="Upvote Velvet Static").wait_for()
    assert "0 up · 0 down" in page.locator(".vote-buttons").inner_text()
    assert TrackScore.objects.get(track=track).upvotes == 0
