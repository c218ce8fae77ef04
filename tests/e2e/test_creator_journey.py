"""A creator signs up, verifies by the emailed link, logs in, uploads, edits and deletes a track."""

import re

import pytest
from django.core import mail

from marketplace.models import Track
from tests import media_files
from tests.factories import PlatformFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "maker@example.test", "a-long-pass-phrase-42"


def test_a_creator_signs_up_verifies_uploads_edits_and_deletes(live_server, page, screenshot, tmp_path):
    PlatformFactory()
    cover = tmp_path / "cover.png"
    cover.write_bytes(media_files.image_bytes(900, 900, fmt="PNG"))
    preview = tmp_path / "preview.ogg"
    preview.write_bytes(media_files.audio_bytes(12, "OGG"))
    bad_cover = tmp_path / "fake.png"
    bad_cover.write_bytes(media_files.svg_named_png().read())

    # Sign up, then verify by the emailed link.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/confirm-email/")
    assert "Verify Your Email Address" in page.content()
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()

    # Log out and back in with the verified address.
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", name="Creator studio").is_visible()

    # Upload: first with mistakes, shown beside their fields; then corrected.
    page.get_by_role("link", name="+ Upload track").click()
    page.get_by_label("Title").fill("Midnight Dreams")
    page.get_by_label("Genre").select_option("electronic")
    page.get_by_label("Chill").check()
    page.get_by_label("Melodic").check()
    page.get_by_label("BPM").fill("500")
    page.get_by_label("Platform").select_option(label="Suno AI")
    page.get_by_label("Purchase URL").fill("https://udio.com/song/1")
    page.get_by_label("Price (USD)").fill("0.10")
    page.get_by_label("Cover art").set_input_files(str(bad_cover))
    page.get_by_label("Preview audio file").set_input_files(str(preview))
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    assert "BPM must be between 20 and 300." in page.content()
    assert "not on Suno AI" in page.content()
    assert "Price must be between $0.50 and $999.99." in page.content()
    assert "not a readable JPEG, PNG or WebP" in page.content()
    screenshot("studio-upload-errors")

    page.get_by_label("BPM").fill("120")
    page.get_by_label("Purchase URL").fill("https://suno.com/song/123")
    page.get_by_label("Price (USD)").fill("1.99")
    page.get_by_label("Cover art").set_input_files(str(cover))
    page.get_by_label("Preview audio file").set_input_files(str(preview))
    page.get_by_label("Tags").fill("#ambient #chill")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r".*/tracks/\d+/midnight-dreams/$"))
    assert "is live" in page.content()
    track = Track.objects.get(title="Midnight Dreams")
    assert track.purchase_url == "https://suno.com/song/123?affiliate=aimusicstore"

    # Live: on the public browse page and playable, for a visitor too.
    page.goto(live_server.url + "/browse/")
    assert page.get_by_role("link", name="Midnight Dreams").first.is_visible()
    page.get_by_role("button", name="Play Midnight Dreams").first.click()
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-player-audio]'); return a && a.currentTime > 0.3; }",
        timeout=10_000,
    )

    # Edit it from the studio.
    page.goto(live_server.url + "/dashboard/")
    screenshot("studio-dashboard")
    page.get_by_role("link", name="Edit Midnight Dreams").click()
    page.get_by_label("Title").fill("Midnight Dreams (Extended)")
    page.get_by_label("Price (USD)").fill("2.49")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/dashboard/")
    assert "Midnight Dreams (Extended)" in page.content() and "$2.49" in page.content()

    # Delete it: gone from the public at once.
    page.get_by_role("link", name="Delete Midnight Dreams (Extended)").click()
    page.get_by_role("button", name="Delete track").click()
    page.wait_for_url("**/dashboard/")
    assert "was deleted" in page.content()
    page.goto(live_server.url + "/browse/")
    assert "Midnight Dreams" not in page.locator("main").inner_text()  # the player may still hold it
    track.refresh_from_db()
    assert track.status == Track.Status.REMOVED
