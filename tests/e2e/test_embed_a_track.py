import pytest

from marketplace.catalogue import media
from tests.factories import TrackWithPreviewFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AUDIO = "document.querySelector('[data-embed-audio]')"


def test_the_embed_page_plays_and_seeks(live_server, page, screenshot):
    track = TrackWithPreviewFactory(title="Embedded Beat")
    media.store_waveform(track.pk)
    page.set_viewport_size({"width": 600, "height": 166})
    page.goto(f"{live_server.url}/embed/tracks/{track.pk}/")

    page.get_by_role("button", name="Play Embedded Beat").click()
    page.wait_for_function(f"() => !{AUDIO}.paused && {AUDIO}.currentTime > 0.3", timeout=10_000)
    page.get_by_role("button", name="Pause Embedded Beat").wait_for()
    seek = page.get_by_role("slider", name="Seek in Embedded Beat")
    box = seek.bounding_box()
    seek.click(position={"x": box["width"] * 0.5, "y": box["height"] / 2})
    page.wait_for_function(f"() => {AUDIO}.currentTime > 13", timeout=10_000)
    screenshot("embed-playing")


def test_another_site_can_frame_the_embed_and_play_it(live_server, page):
    track = TrackWithPreviewFactory(title="Framed Beat")
    url = f"{live_server.url}/embed/tracks/{track.pk}/"
    page.set_content(f'<h1>A blog</h1><iframe src="{url}" width="600" height="166" title="player"></iframe>')

    frame = page.frame_locator("iframe")
    frame.get_by_role("button", name="Play Framed Beat").click()
    embedded = next(f for f in page.frames if f.url == url)
    embedded.wait_for_function(f"() => !{AUDIO}.paused && {AUDIO}.currentTime > 0.3", timeout=10_000)


def test_the_track_page_copies_its_embed_code(live_server, page):
    track = TrackWithPreviewFactory(title="Share Me")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + track.get_absolute_url())

    page.get_by_text("Embed this track").click()
    page.get_by_role("button", name="Copy embed code").click()
    page.get_by_text("Copied to the clipboard.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f'<iframe src="{live_server.url}/embed/tracks/{track.pk}/"')
