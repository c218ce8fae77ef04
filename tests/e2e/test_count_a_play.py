import time

import pytest

from marketplace.models import PlayEvent, TrackDailyStats
from tests.factories import TrackWithPreviewFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_five_seconds_of_listening_counts_one_play(live_server, page):
    track = TrackWithPreviewFactory(title="Count Me")
    page.goto(live_server.url + track.get_absolute_url())
    page.get_by_role("button", name="Play Count Me").click()
    page.wait_for_function("() => document.querySelector('[data-player-audio]').currentTime > 2", timeout=10_000)
    assert not PlayEvent.objects.filter(track=track).exists(), "not counted before 5 s"

    deadline = time.monotonic() + 15
    while not PlayEvent.objects.filter(track=track).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert page.evaluate("document.querySelector('[data-player-audio]').currentTime") >= 5
    assert TrackDailyStats.objects.get(track=track).plays == 1
