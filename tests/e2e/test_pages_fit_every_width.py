"""Every key page at phone, laptop and desktop widths, in light and dark: nothing wider than the
screen, no track title squeezed under 80 px, no control poking out of its row, card or header.

One browser page loads each page and measures it at every width in both colour schemes (the site
follows prefers-color-scheme, emulated here).
"""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client

from accounts.models import Follow
from marketplace.demo import media
from tests.factories import CreatorFactory, PlatformFactory, ToolFactory, TrackFactory, UserFactory
from voting.models import ToolScore, TrackScore

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The pages a buyer or creator reaches from the header and the footer: (name, path, signed in).
# {track}, {tool} and {creator} are filled from the store below. Add a page here and it is checked
# at every width in both themes.
KEY_PAGES = [
    ("home", "/", False),
    ("trending", "/trending/", False),
    ("top", "/top/weekly/", False),
    ("browse grid", "/browse/", False),
    ("browse list", "/browse/?view=list", False),
    ("search", "/search/?q=signal", False),
    ("track", "{track}", False),
    ("tool", "{tool}", False),
    ("creator", "{creator}", False),
    ("tools", "/tools/", False),
    ("creators", "/creators/", False),
    ("waitlist", "/waitlist/", False),
    ("agents", "/agents/", False),
    ("how ranking works", "/how-ranking-works/", False),
    ("account", "/account/", True),
    ("dashboard", "/dashboard/", True),
    ("earnings", "/dashboard/earnings/", True),
    ("analytics", "/dashboard/analytics/", True),
]
WIDTHS = [390, 768, 1024, 1280, 1920]
SCHEMES = ["light", "dark"]
MIN_TITLE_PX = 80
# A title of one unbroken 200-character word: it must wrap, not widen its page.
LONG_WORD = "Supercalifragilisticexpialidocious" * 5 + "Antidisestablishmentarianism"[:30].ljust(30, "x")

MEASURE = """(minTitle) => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const describe = (el) => (el.getAttribute('aria-label') || el.textContent || el.className).trim().slice(0, 60);
  const problems = [];
  const over = document.documentElement.scrollWidth - window.innerWidth;
  if (over > 0) problems.push(`document is ${over}px wider than the ${window.innerWidth}px viewport`);
  const titles = '.track-row__title, .track-card__title, .search-hit__title, .studio-table__title';
  for (const title of document.querySelectorAll(titles)) {
    if (!shown(title)) continue;
    const width = title.getBoundingClientRect().width;
    if (width < minTitle) problems.push(`title "${describe(title)}" is ${Math.round(width)}px wide`);
  }
  const boxes = '.track-row, .track-card, .site-header__inner, .studio-table tr, .tool-row, .track-detail__deal';
  const controls = 'button, .button, a.vote-buttons__button, summary, .score-link';
  for (const box of document.querySelectorAll(boxes)) {
    if (!shown(box)) continue;
    const outer = box.getBoundingClientRect();
    for (const control of box.querySelectorAll(controls)) {
      if (!shown(control) || control.closest('dialog, .playlist-menu__body')) continue;
      const r = control.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < outer.left - 1 || r.right > outer.right + 1) {
        problems.push(`"${describe(control)}" sticks out of its ${box.className.split(' ')[0]} by `
          + `${Math.round(Math.max(outer.left - r.left, r.right - outer.right))}px`);
      }
    }
  }
  return problems;
}"""


@pytest.fixture
def store():
    """A small catalogue with covers, scores, a tool, a followed creator and one very long title."""
    creator = CreatorFactory(display_name="Nova Drift", bio="Synth textures recorded at dawn.")
    Follow.objects.create(follower=UserFactory(), creator=creator)
    tool = ToolFactory(name="Suno AI", tagline="Full songs from a text prompt", company="Suno")
    ToolScore.objects.filter(tool=tool).update(score=18, upvotes=18)
    platform = PlatformFactory()
    genres = ["electronic", "jazz", "ambient", "synthwave", "hip-hop", "rock"]
    titles = [LONG_WORD, "Golden Signal of the Very Long Evening Drive Home", *(f"Signal {i}" for i in range(5))]
    tracks = []
    for i, title in enumerate(titles):
        genre = genres[i % len(genres)]
        track = TrackFactory.build(creator=creator, platform=platform, title=title, genre=genre, tool=tool,
                                   artist="Nova Drift and the Extraordinarily Long Band Name", tags=["night"],
                                   description=f"**Warm** pads. {LONG_WORD}", duration=150 + i)
        if i < 3:  # covers on some, the placeholder on the rest: lists show both
            track.cover.save(f"fit{i}.jpg", ContentFile(media.draw_cover(title[:40], "Nova Drift", genre, i)),
                             save=False)
        track.save()
        TrackScore.objects.filter(track=track).update(
            score=40 - i, trending_at_epoch=40 - i, score_daily=40 - i, score_weekly=40 - i, score_monthly=40 - i,
            upvotes=40 - i, downvotes=1)
        tracks.append(track)
    return {"creator": creator, "track": tracks[0].get_absolute_url(), "tool": tool.get_absolute_url(),
            "creator_url": creator.get_absolute_url()}


def signed_in_context(browser, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context()
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "creator"])
def test_every_key_page_fits_the_screen(live_server, browser, store, signed_in):
    """Each key page (studio pages signed in as the creator) at every width, in light and dark.

    Each page is loaded once (at the phone width, so a phone's first layout is real) and then resized
    and re-themed in place: CSS media queries re-evaluate without a reload, which keeps the run short.
    """
    paths = {"track": store["track"], "tool": store["tool"], "creator": store["creator_url"]}
    context = signed_in_context(browser, live_server, store["creator"]) if signed_in else browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    problems = []
    try:
        for name, path, needs_login in KEY_PAGES:
            if needs_login != signed_in:
                continue
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            response = page.goto(live_server.url + path.format(**paths), wait_until="load")
            assert response.ok, f"{name} answered {response.status}"
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                for scheme in SCHEMES:
                    page.emulate_media(color_scheme=scheme)
                    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                    assert dark == (scheme == "dark"), f"{name}: the {scheme} scheme was not applied"
                    found = page.evaluate(MEASURE, MIN_TITLE_PX)
                    problems += [f"{name} at {width}px ({scheme}): {problem}" for problem in found]
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not problems, "\n".join(problems)


@pytest.fixture
def jazz_and_electronic():
    for genre in ["jazz", "electronic", "ambient"]:
        TrackFactory(title=f"Plain {genre}", genre=genre)


def test_the_header_menu_opens_and_closes_on_a_phone(live_server, page):
    """At 390 px the main navigation sits behind a Menu button; the links fit once it is open."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/")
    menu = page.get_by_role("button", name="Menu")
    browse = page.get_by_role("navigation", name="Main").get_by_role("link", name="Browse")
    assert menu.get_attribute("aria-expanded") == "false" and not browse.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and browse.is_visible()
    box = browse.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not browse.is_visible()


def test_the_header_links_show_on_a_phone_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert not page.get_by_role("button", name="Menu").is_visible()  # a button nothing would answer
        browse = page.get_by_role("navigation", name="Main").get_by_role("link", name="Browse")
        assert browse.is_visible()
        box = browse.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        context.close()


def test_browse_on_a_phone_shows_results_first_and_filters_in_a_drawer(live_server, page, jazz_and_electronic):
    """At 390 px the first track is near the top; "Filters (n)" opens the form over the results."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/browse/?genre=jazz&genre=electronic")
    first = page.locator("#results .track-card").first
    assert first.bounding_box()["y"] < 600, "the first result is below the first screen"
    toggle = page.get_by_role("button", name="Filters (2)")
    assert not page.locator("#filters").is_visible()
    toggle.click()
    assert page.locator("#filters").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.get_by_role("checkbox", name="Jazz").uncheck()
    page.get_by_role("button", name="Filters (1)").wait_for(state="attached")
    page.get_by_role("button", name="Done").click()
    assert not page.locator("#filters").is_visible()
    assert "genre=electronic" in page.url and "jazz" not in page.url
