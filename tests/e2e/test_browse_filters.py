"""A buyer narrows /browse/ with filters, sorts, pages and the back button, in a real browser."""

from urllib.parse import parse_qs, urlparse

import pytest

from tests.factories import PlatformFactory, TrackFactory
from voting.models import TrackScore

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue():
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com"])
    TrackFactory.create_batch(26, genre="electronic", moods=["energetic"])
    TrackFactory(title="Blue Note Rain", genre="jazz", moods=["chill"], bpm=80)
    loved = TrackFactory(title="Smoky Bar", genre="jazz", moods=["chill"], bpm=95, platform=udio)
    TrackScore.objects.filter(track=loved).update(score=40, trending_at_epoch=4, upvotes=40)


def query(page):
    return parse_qs(urlparse(page.url).query)


def result_titles(page):
    return page.locator("#results .track-card__title, #results .track-row__title > a").all_inner_texts()


def test_ticking_a_genre_updates_results_counts_and_address_without_a_reload(live_server, page, catalogue):
    page.goto(live_server.url + "/browse/")
    page.evaluate("window.__stillHere = true")
    page.get_by_role("checkbox", name="Jazz").check()
    page.wait_for_url("**genre=jazz**")
    page.locator("#results").get_by_text("2 tracks").wait_for()
    assert sorted(result_titles(page)) == ["Blue Note Rain", "Smoky Bar"]
    assert page.evaluate("window.__stillHere") is True  # results swapped in place, no full page load
    # Mood counts now count inside Jazz only.
    assert page.locator("#fc-mood-chill").inner_text() == "2"
    assert page.locator("#fc-mood-energetic").inner_text() == "0"


def test_sorting_and_the_grid_list_toggle_stay_in_the_address(live_server, page, catalogue):
    page.goto(live_server.url + "/browse/?genre=jazz")
    page.get_by_label("Sort by").select_option("top")
    page.wait_for_url("**sort=top**")
    page.wait_for_function("() => document.querySelector('#results .track-card__title')?.innerText === 'Smoky Bar'")
    page.get_by_role("radio", name="List").check()
    page.wait_for_url("**view=list**")
    page.locator("#results .track-list--browse").wait_for()
    assert result_titles(page)[0] == "Smoky Bar"
    assert query(page)["genre"] == ["jazz"] and query(page)["sort"] == ["top"]


def test_paging_moves_through_24_at_a_time(live_server, page, catalogue):
    page.goto(live_server.url + "/browse/")
    first = result_titles(page)
    assert len(first) == 24
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2**")
    page.get_by_text("Page 2 of 2").wait_for()
    second = result_titles(page)
    assert len(second) == 4 and not set(first) & set(second)


def test_the_back_button_restores_the_previous_filters_and_results(live_server, page, catalogue):
    page.goto(live_server.url + "/browse/")
    page.get_by_role("checkbox", name="Jazz").check()
    page.wait_for_url("**genre=jazz**")
    page.get_by_role("checkbox", name="Udio").check()
    page.wait_for_url("**platform=udio**")
    page.locator("#results").get_by_text("1 track", exact=True).wait_for()
    page.go_back()
    page.wait_for_function("() => !location.search.includes('platform')")
    page.locator("#results").get_by_text("2 tracks").wait_for()
    assert page.get_by_role("checkbox", name="Jazz").is_checked()
    assert not page.get_by_role("checkbox", name="Udio").is_checked()
    page.go_back()
    page.wait_for_function("() => location.search === ''")
    page.locator("#results").get_by_text("28 tracks").wait_for()
    assert not page.get_by_role("checkbox", name="Jazz").is_checked()


def test_filters_work_with_javascript_off(live_server, browser, catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/browse/")
        page.get_by_role("checkbox", name="Jazz").check()
        page.locator("#id_bpm_min").fill("90")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**genre=jazz**")
        assert query(page)["bpm_min"] == ["90"]
        assert result_titles(page) == ["Smoky Bar"]
    finally:
        context.close()


FOCUSED_INSIDE = "() => document.getElementById('filters-dialog').contains(document.activeElement)"
FOCUSED = ("() => { const e = document.activeElement; "
           "return `${e.tagName} ${e.name || ''} ${e.value || ''} ${e.textContent.trim().slice(0, 20)}`; }")
ON_DONE = "() => document.activeElement.matches('[data-filters-close]')"


def test_on_a_phone_the_filters_drawer_keeps_tab_inside_and_esc_gives_focus_back(live_server, page, catalogue):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/browse/")
    toggle = page.get_by_role("button", name="Filters", exact=True)
    toggle.focus()
    page.keyboard.press("Enter")
    drawer = page.locator("#filters-dialog")
    assert drawer.evaluate("d => d.open && d.matches(':modal')"), "the drawer is a modal dialog"
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate(FOCUSED_INSIDE) and page.evaluate(ON_DONE)
    stops = page.evaluate("() => document.querySelectorAll('#filters-dialog input, #filters-dialog select, "
                          "#filters-dialog button, #filters-dialog a[href]').length")
    seen = []
    for _ in range(stops + 4):  # past the last control and round to the first again
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED_INSIDE), f"Tab left the open drawer after {seen[-3:]}"
        seen.append(page.evaluate(FOCUSED))
    assert len(set(seen)) < len(seen), "Tab never came round to the drawer's first control again"
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(FOCUSED_INSIDE)
    page.keyboard.press("Escape")
    assert not drawer.evaluate("d => d.open")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.matches('[data-filters-open]')"), "focus went back to the button"


def test_on_a_phone_applying_filters_closes_the_drawer_and_focus_lands_on_the_new_button(live_server, page, catalogue):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/browse/")
    page.get_by_role("button", name="Filters", exact=True).click()
    page.get_by_role("checkbox", name="Jazz").check()
    page.locator("#id_bpm_min").fill("90")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**bpm_min=90**")
    page.get_by_role("button", name="Filters (1)").wait_for()
    assert result_titles(page) == ["Smoky Bar"]
    assert not page.locator("#filters-dialog").evaluate("d => d.open")
    page.wait_for_function("() => document.activeElement?.matches('[data-filters-open]')")


def test_on_a_phone_without_javascript_the_filters_follow_the_results(live_server, browser, catalogue):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/browse/")
        assert page.locator("#filters").is_visible()
        assert not page.locator("[data-filters-open]").is_visible()  # a button nothing would answer
        results, filters = page.locator("#results").bounding_box(), page.locator("#filters").bounding_box()
        assert results["y"] < filters["y"], "results first, the filters after them"
        page.get_by_role("checkbox", name="Jazz").check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**genre=jazz**")
        assert sorted(result_titles(page)) == ["Blue Note Rain", "Smoky Bar"]
    finally:
        context.close()
