import pytest

from tests.factories import TrackWithPreviewFactory
from voting.services import recompute_scores

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AUDIO = "document.querySelector('[data-player-audio]')"


def current_time(page):
    return page.evaluate(f"{AUDIO}.currentTime")


def test_the_preview_keeps_playing_across_three_page_navigations_and_back(live_server, page):
    TrackWithPreviewFactory(title="Long Road")
    recompute_scores()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Play Long Road").first.click()
    page.wait_for_function(f"() => !{AUDIO}.paused && {AUDIO}.currentTime > 0.3", timeout=10_000)
    page.evaluate("window.sameDocument = true")  # gone if any navigation reloads the page
    audio = page.locator("[data-player-audio]").element_handle()

    heard = current_time(page)
    for link, heading in [("Browse", "Browse"), ("Top 50", "Top 50"), ("Trending", "Trending")]:
        page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
        page.wait_for_function(f"() => document.querySelector('h1')?.textContent.trim().startsWith({heading!r})")
        page.wait_for_function(f"() => {AUDIO}.currentTime > {heard + 0.2}", timeout=10_000)
        heard = current_time(page)
        assert page.evaluate("window.sameDocument") is True
        page.wait_for_function("() => document.activeElement.tagName === 'H1'")  # focus moves to the new page
        assert page.evaluate(f"{AUDIO}.paused") is False
        assert page.evaluate("a => a.isConnected && a === document.querySelector('[data-player-audio]')", audio)

    assert page.url.endswith("/trending/")
    page.go_back()
    page.wait_for_function("() => document.querySelector('h1')?.textContent.trim().startsWith('Top 50')")
    page.wait_for_function(f"() => !{AUDIO}.paused && {AUDIO}.currentTime > {heard}", timeout=10_000)
    assert page.url.endswith("/top/")
    assert page.locator("[data-player-title]").inner_text() == "Long Road"


def test_a_direct_load_still_renders_the_whole_page(live_server, page):
    TrackWithPreviewFactory(title="Direct Hit")
    page.goto(live_server.url + "/browse/")
    assert page.get_by_role("heading", name="Browse").is_visible()
    assert page.get_by_role("button", name="Play Direct Hit").is_visible()
