import pytest
from django.core.files.base import ContentFile

from marketplace.demo import media
from tests.factories import TrackWithPreviewFactory
from voting.services import recompute_scores

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PLAYING = "() => { const a = document.querySelector('[data-player-audio]'); return !a.paused && a.currentTime > 0.3; }"


def test_a_visitor_plays_a_preview_from_the_home_page(live_server, page, screenshot):
    cover = ContentFile(media.draw_cover("Electric Garden", "E2E", "electronic", 1), name="e2e.jpg")
    TrackWithPreviewFactory(title="Electric Garden", cover=cover)
    recompute_scores()

    page.goto(live_server.url + "/")
    assert "Electric Garden" in page.content()
    page.get_by_role("button", name="Play Electric Garden").first.click()
    page.wait_for_function(PLAYING, timeout=10_000)

    player = page.get_by_role("region", name="Audio player")
    assert player.is_visible()
    assert page.locator("[data-player-title]").inner_text() == "Electric Garden"
    player.get_by_role("button", name="Pause").wait_for()
    assert page.evaluate("navigator.mediaSession.metadata.title") == "Electric Garden"
    assert screenshot("home-playing").stat().st_size > 10_000

    player.get_by_role("button", name="Mute").click()
    assert page.evaluate("document.querySelector('[data-player-audio]').muted") is True
    player.get_by_role("button", name="Unmute").click()
    player.get_by_role("slider", name="Volume").fill("0.4")
    assert page.evaluate("document.querySelector('[data-player-audio]').volume") == 0.4

    player.get_by_role("button", name="Pause").click()
    page.wait_for_function("() => document.querySelector('[data-player-audio]').paused")
    player.get_by_role("button", name="Play", exact=True).wait_for()
