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


def suggestion_groups(page):
    return page.locator("#site-search-suggestions [role=group] .suggest__heading").all_text_contents()


def test_suggestions_work_after_boosted_navigation_and_back(live_server, page):
    TrackFactory(title="Lofi Lanterns", artist="Lumen Fox", genre="lo-fi", moods=["chill"])
    page.goto(live_server.url + "/")
    page.evaluate("window.sameDocument = true")  # gone if a navigation reloads the page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Browse").click()
    page.wait_for_function("() => document.querySelector('h1')?.textContent.trim().startsWith('Browse')")
    assert page.evaluate("window.sameDocument") is True  # a boosted swap, not a page load

    box = page.get_by_role("combobox", name="Search tracks")
    box.type("lofi", delay=30)
    page.get_by_role("option", name="Lofi Lanterns Lumen Fox").wait_for()
    assert suggestion_groups(page) == ["Tracks", "Genres & moods"]
    assert page.get_by_role("group", name="Genres & moods").get_by_role("option", name="Lo-Fi Genre").is_visible()

    page.go_back()
    page.wait_for_url(live_server.url + "/")
    page.wait_for_function("() => !document.querySelector('h1')?.textContent.trim().startsWith('Browse')")
    box = page.get_by_role("combobox", name="Search tracks")
    box.fill("")
    box.type("chil", delay=30)
    mood = page.get_by_role("group", name="Genres & moods").get_by_role("option", name="Chill Mood")
    mood.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    mood.click()
    page.wait_for_url("**/browse/?mood=chill")
    assert "Lofi Lanterns" in page.locator("main").inner_text()
