import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import TrackWithPreviewFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AUDIO = "document.querySelector('[data-player-audio]')"


@pytest.fixture
def three_tracks():
    now = timezone.now()
    return [TrackWithPreviewFactory(title=title, created_at=now - timedelta(hours=i))
            for i, title in enumerate(["Alpha Song", "Beta Song", "Gamma Song"])]


def now_playing(page, title):
    page.wait_for_function(
        f"() => document.querySelector('[data-player-title]').textContent === {title!r}"
        f" && !{AUDIO}.paused && {AUDIO}.currentTime > 0.1",
        timeout=10_000,
    )


def queue_titles(page):
    return page.locator(".queue__name").all_inner_texts()


def test_play_queues_the_rest_of_the_list_and_next_previous_follow_it(live_server, page, three_tracks):
    page.goto(live_server.url + "/browse/")
    listed = page.locator(".track-grid [data-play]").evaluate_all("bs => bs.map(b => b.dataset.title)")
    assert listed == ["Alpha Song", "Beta Song", "Gamma Song"]

    page.get_by_role("button", name="Play Alpha Song").click()
    now_playing(page, "Alpha Song")
    player = page.get_by_role("region", name="Audio player")
    assert player.locator("[data-queue-count]").inner_text() == "3"

    player.get_by_role("button", name="Next track").click()
    now_playing(page, "Beta Song")
    player.get_by_role("button", name="Next track").click()
    now_playing(page, "Gamma Song")
    assert player.get_by_role("button", name="Next track").is_disabled()
    player.get_by_role("button", name="Previous track").click()
    now_playing(page, "Beta Song")
    assert page.evaluate(f"{AUDIO}.src").endswith(".mp3")

    # The end of a track moves on by itself.
    page.evaluate(f"{AUDIO}.currentTime = {AUDIO}.duration - 0.3")
    now_playing(page, "Gamma Song")


def test_the_queue_is_visible_reorderable_and_survives_a_reload(live_server, page, three_tracks):
    page.goto(live_server.url + "/browse/")
    page.get_by_role("button", name="Play Alpha Song").click()
    now_playing(page, "Alpha Song")
    page.get_by_role("button", name="Add Beta Song to queue").click()
    player = page.get_by_role("region", name="Audio player")
    player.get_by_role("button", name=re.compile("^Queue")).click()
    assert queue_titles(page) == ["Alpha Song", "Beta Song", "Gamma Song", "Beta Song"]

    player.get_by_role("button", name="Move Gamma Song up").click()
    assert queue_titles(page) == ["Alpha Song", "Gamma Song", "Beta Song", "Beta Song"]
    player.get_by_role("button", name="Remove Beta Song from the queue").last.click()
    assert queue_titles(page) == ["Alpha Song", "Gamma Song", "Beta Song"]

    page.reload()
    player = page.get_by_role("region", name="Audio player")
    assert player.is_visible()
    assert page.locator("[data-player-title]").inner_text() == "Alpha Song"
    player.get_by_role("button", name=re.compile("^Queue")).click()
    assert queue_titles(page) == ["Alpha Song", "Gamma Song", "Beta Song"]
    player.get_by_role("button", name="Play Gamma Song from the queue").click()
    now_playing(page, "Gamma Song")
