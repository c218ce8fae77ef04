import pytest
from django.core.files.base import ContentFile

from marketplace import demo_media
from tests.factories import TrackFactory
from voting.services import recompute_scores

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_plays_a_preview_from_the_home_page(live_server, page, screenshot):
    track = TrackFactory.build(title="Electric Garden", preview_url="")
    track.creator.save()
    track.platform.save()
    track.creator_id, track.platform_id = track.creator.pk, track.platform.pk
    track.preview_audio.save("e2e.mp3", ContentFile(demo_media.synth_preview("electronic", 1)), save=False)
    track.cover.save("e2e.jpg", ContentFile(demo_media.draw_cover("Electric Garden", "E2E", "electronic", 1)),
                     save=False)
    track.save()
    recompute_scores()

    page.goto(live_server.url + "/")
    assert "Electric Garden" in page.content()
    page.get_by_role("button", name="Play Electric Garden").first.click()
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-player-audio]'); return a && a.currentTime > 0.3; }",
        timeout=10_000,
    )
    assert page.locator("[data-player]").is_visible()
    assert page.locator("[data-player-title]").inner_text() == "Electric Garden"
    assert screenshot("home-playing").stat().st_size > 10_000
