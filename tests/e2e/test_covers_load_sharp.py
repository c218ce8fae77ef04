"""Covers in a real browser: each <img> loads a WebP thumbnail from srcset that is sharp at the
screen's pixel density, every thumbnail srcset names is served over HTTP, and the first screen's
covers are not lazy while the rest are."""

import re

import pytest
from django.core.files.base import ContentFile

from marketplace.catalogue import covers
from marketplace.demo import media
from marketplace.models import Track
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GENRES = ["electronic", "jazz", "ambient", "synthwave", "hip-hop", "rock"]
LOADED = """() => [...document.querySelectorAll('main img[srcset]')].filter(i => {
  const r = i.getBoundingClientRect();
  return r.width > 0 && r.bottom > 0 && r.top < innerHeight;
}).map(i => ({src: i.currentSrc, natural: i.naturalWidth, shown: i.getBoundingClientRect().width,
              complete: i.complete, loading: i.loading, priority: i.fetchPriority}))"""


@pytest.fixture
def catalogue():
    creator, platform = CreatorFactory(display_name="Nova Drift"), PlatformFactory()
    tracks = []
    for i in range(10):
        genre = GENRES[i % len(GENRES)]
        track = TrackFactory.build(creator=creator, platform=platform, title=f"Harbour Light {i}", genre=genre)
        track.cover.save(f"sharp{i}.jpg", ContentFile(media.draw_cover(track.title, "Nova Drift", genre, i)),
                         save=False)
        covers.make_thumbnails(track)  # as seed_demo does; uploads get theirs from the worker
        track.save()
        tracks.append(track)
    return tracks


def visible_covers(page, url):
    page.goto(url)
    page.wait_for_function("() => [...document.querySelectorAll('main img[srcset]')].slice(0, 3)"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    return page.evaluate(LOADED)


@pytest.mark.parametrize("width, dpr", [(390, 3), (1280, 1)])
def test_browse_and_track_covers_load_sharp_webp_thumbnails(live_server, browser, catalogue, width, dpr):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=dpr)
    page = context.new_page()
    try:
        for path in ("/browse/", catalogue[0].get_absolute_url(), "/"):
            shown = visible_covers(page, live_server.url + path)
            assert shown, f"no cover on the first screen of {path}"
            for image in shown:
                if not image["complete"]:
                    continue  # a lazy one just coming into view
                chosen = re.search(r"\.(\d+)w\.webp$", image["src"])
                assert chosen and image["natural"] > 0, (path, image)
                pixels = int(chosen[1])  # naturalWidth is in CSS px (density-corrected): the file name tells
                # Sharp: the chosen copy has the pixels the screen shows, or is the largest there is (600 px).
                assert pixels >= min(image["shown"] * dpr, 600) * 0.95, (path, image)
                assert pixels <= max(image["shown"] * dpr * 2.2, 192), f"far too large: {path} {image}"
    finally:
        context.close()


def test_every_thumbnail_srcset_names_is_served_and_only_the_first_screen_is_eager(live_server, page, catalogue):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/browse/")
    cards = page.locator("#results .track-card img")
    assert cards.nth(0).get_attribute("fetchpriority") == "high" and cards.nth(0).get_attribute("loading") is None
    assert cards.nth(3).get_attribute("loading") is None and cards.nth(4).get_attribute("loading") == "lazy"
    srcsets = page.evaluate("() => [...document.querySelectorAll('img[srcset]')].map(i => i.getAttribute('srcset'))")
    urls = {part.strip().split(" ")[0] for srcset in srcsets for part in srcset.split(",")}
    assert len(urls) >= 10 * 5
    for url in sorted(urls):
        response = page.request.get(live_server.url + url)
        assert response.status == 200 and response.headers["content-type"] == "image/webp", url
        assert "max-age=31536000" in response.headers.get("cache-control", ""), url
    assert Track.objects.filter(cover_thumbnails__widths__contains=[96]).count() == 10
