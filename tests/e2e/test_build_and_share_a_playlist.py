"""A member builds a playlist from three pages (a card on the home page, a card on browse, the player on a
track page), plays it as the player's queue, and a signed-out visitor opens its public page."""

import pytest

from marketplace.playlists.models import Playlist
from tests.factories import TrackWithPreviewFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AUDIO = "document.querySelector('[data-player-audio]')"


def save_from_card(page, title, playlist=None, new=None):
    menu = page.locator("details.playlist-menu", has=page.get_by_label(f"Save {title} to a playlist")).first
    menu.get_by_label(f"Save {title} to a playlist").click()
    if new:
        menu.get_by_label("New playlist").fill(new)
        menu.get_by_role("button", name=f"Create a playlist with {title}").click()
    else:
        menu.get_by_role("button", name=f"Add {title} to {playlist}").click()
    menu.get_by_text("Saved to").wait_for()


def test_a_member_builds_a_playlist_plays_it_and_shares_it(live_server, page, browser, screenshot, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    alpha, beta, gamma = (TrackWithPreviewFactory(title=t) for t in ("Alpha Cue", "Beta Cue", "Gamma Cue"))
    UserFactory(email="editor@example.test", display_name="Video Editor")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("editor@example.test")
    page.get_by_label("Password").fill("correct-horse-42")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/")
    save_from_card(page, "Alpha Cue", new="Spring reel")
    page.goto(live_server.url + "/browse/")
    save_from_card(page, "Beta Cue", playlist="Spring reel")

    page.goto(live_server.url + gamma.get_absolute_url())
    page.get_by_role("button", name="Play Gamma Cue").first.click()
    player = page.get_by_role("region", name="Audio player")
    player.get_by_role("button", name="Save this track to a playlist").click()
    player.get_by_role("button", name="Add Gamma Cue to Spring reel").click()
    player.get_by_text("Saved to").wait_for()

    playlist = Playlist.objects.get(title="Spring reel")
    assert list(playlist.items.values_list("track__title", flat=True)) == ["Alpha Cue", "Beta Cue", "Gamma Cue"]

    page.goto(live_server.url + f"/playlists/{playlist.pk}/")
    page.get_by_role("button", name="Play the playlist Spring reel").click()
    page.wait_for_function(f"() => document.querySelector('[data-player-title]').textContent === 'Alpha Cue'"
                           f" && !{AUDIO}.paused")
    assert player.locator("[data-queue-count]").inner_text() == "3"
    assert player.locator(".queue__name").all_inner_texts() == ["Alpha Cue", "Beta Cue", "Gamma Cue"]
    player.get_by_role("button", name="Next track").click()
    page.wait_for_function("() => document.querySelector('[data-player-title]').textContent === 'Beta Cue'")
    screenshot("playlist_owner")

    visitor = browser.new_context(viewport={"width": 390, "height": 844})
    public = visitor.new_page()
    public.goto(live_server.url + f"/playlists/{playlist.pk}/")
    assert public.get_by_role("heading", name="Spring reel").is_visible()
    assert public.locator(".playlist__item .track-row__title a").all_inner_texts() == [
        "Alpha Cue", "Beta Cue", "Gamma Cue"]
    assert public.get_by_role("button", name="Move Alpha Cue down").count() == 0
    assert public.locator('meta[property="og:title"]').get_attribute("content") == "Spring reel — by Video Editor"
    visitor.close()
