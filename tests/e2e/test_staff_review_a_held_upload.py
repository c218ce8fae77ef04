"""Staff log in with their password and TOTP code, see a held upload on the admin home, publish it with
a reason, and find that reason in the audit log; the creator had seen why it was held."""

import pytest

from marketplace.catalogue import services
from marketplace.models import Track
from tests.factories import CreatorFactory, PlatformFactory, UserFactory
from tests.staff import enable_totp, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-42"


def log_in(page, url, email, code=None):
    page.goto(url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if code:
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_staff_with_two_factor_publish_a_held_upload_with_a_reason(live_server, page, screenshot):
    suno = PlatformFactory()
    creator = CreatorFactory(email="maker@example.test")
    held = services.publish_track(creator, {
        "title": "BEST LOFI BEATS TO STUDY TO", "genre": "electronic", "moods": ["chill"], "platform": suno,
        "purchase_url": "https://suno.com/song/1", "price": "1.99", "preview_url": "https://cdn.example.test/p.mp3",
    })
    assert held.status == Track.Status.PENDING

    # The creator sees why, on the track page.
    log_in(page, live_server.url + "/accounts/login/?next=" + held.get_absolute_url(), creator.email)
    assert "Held for review" in page.content() and "the title is in capitals" in page.content()
    screenshot("held-upload-creator")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("held-upload-creator-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Log out").click()

    # Staff: password, then the authenticator code, then the admin home's queues.
    staff = UserFactory(email="mod@example.test", is_staff=True, is_superuser=True)
    secret = enable_totp(staff)
    log_in(page, live_server.url + "/admin/", staff.email, code=totp_code(secret))
    assert page.get_by_role("link", name="Uploads held for review").is_visible()
    screenshot("admin-home-queues")
    page.get_by_role("link", name="Uploads held for review").click()
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("restore")
    page.get_by_role("textbox", name="Reason").fill("Capitals are the artist's style")
    page.get_by_role("button", name="Go").click()
    page.wait_for_load_state()
    held.refresh_from_db()
    assert held.status == Track.Status.PUBLISHED

    page.goto(live_server.url + "/admin/auditlog/logentry/")
    assert page.get_by_text("Capitals are the artist's style").first.is_visible()
    screenshot("audit-log")
