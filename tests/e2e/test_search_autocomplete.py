"""A buyer searches from the header: typo-tolerant suggestions, keyboard choice, highlighted results."""

import pytest

from tests.factories import TrackFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_suggestions_forgive_typos_and_the_keyboard_picks_one(live_server, page):
    track = TrackFactory(title="Midnight Dreams", artist="Nova Drift")
    TrackFactory(title="Solar Wind")
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Search tracks")
    box.type("midnigt", delay=30)
    option = page.get_by_role("option", name="Midnight Dreams Nova Drift")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url(f"**/tracks/{track.pk}/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Midnight Dreams"


def test_escape_closes_the_suggestions(live_server, page):
    TrackFactory(title="Midnight Dreams")
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Search tracks")
    box.type("midn", delay=30)
    page.get_by_role("option").first.wait_for()
    box.press("Escape")
    assert page.locator("#site-search-suggestions").is_hidden()


def test_submitting_a_search_shows_highlighted_matches(live_server, page):
    TrackFactory(title="Ocean Drive", description="Waves at night")
    TrackFactory(title="Desert Road")
    page.goto(live_server.url + "/")
    box = page.get_by_role("combobox", name="Search tracks")
    box.fill("ocean")
    box.press("Enter")
    page.wait_for_url("**/search/?q=ocean")
    assert page.locator(".search-hit__title mark").inner_text() == "Ocean"
    assert "Desert Road" not in page.locator(".search-results").inner_text()
