import pytest

from marketplace.catalogue import media
from tests.factories import TrackWithPreviewFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AUDIO = "document.querySelector('[data-player-audio]')"


def playing_past(page, seconds):
    page.wait_for_function(f"() => !{AUDIO}.paused && {AUDIO}.currentTime > {seconds}", timeout=10_000)


def test_the_seek_bar_keyboard_and_track_waveform_move_current_time(live_server, page, screenshot):
    track = TrackWithPreviewFactory(title="Seek Me")
    media.store_waveform(track.pk)
    page.goto(live_server.url + track.get_absolute_url())
    assert page.locator("[data-track-waveform] svg").count() == 2, "the stored peaks are drawn"

    page.get_by_role("button", name="Play Seek Me").click()
    playing_past(page, 0.2)
    seek = page.get_by_role("slider", name="Seek", exact=True)
    box = seek.bounding_box()
    seek.click(position={"x": box["width"] * 0.5, "y": box["height"] / 2})
    playing_past(page, 13)
    assert page.evaluate(f"{AUDIO}.currentTime") < 18
    assert page.evaluate(f"{AUDIO}.seekable.end(0)") > 29, "the server answers range requests"

    page.locator("h1").click()  # focus leaves the slider: keys go to the page
    before = page.evaluate(f"{AUDIO}.currentTime")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(f"{AUDIO}.currentTime") < before - 3
    page.keyboard.press("Space")
    page.wait_for_function(f"() => {AUDIO}.paused")
    page.keyboard.press("Space")
    page.wait_for_function(f"() => !{AUDIO}.paused")

    wave = page.get_by_role("slider", name="Seek in Seek Me")
    box = wave.bounding_box()
    wave.click(position={"x": box["width"] * 0.8, "y": box["height"] / 2})
    playing_past(page, 22)
    page.wait_for_function("() => parseFloat(getComputedStyle(document.querySelector('[data-track-waveform]'))"
                           ".getPropertyValue('--progress')) > 0.7")
    screenshot("track-page-seeked")


def test_a_preview_without_a_stored_file_shows_a_plain_bar(live_server, page):
    track = TrackWithPreviewFactory(title="Plain Bar")  # waveform not computed yet: no worker here
    page.goto(live_server.url + track.get_absolute_url())
    assert page.locator("[data-track-waveform].waveform--plain").count() == 1
