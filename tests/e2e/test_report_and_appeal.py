"""A listener reports a track; staff (password and TOTP code) hide it from the moderation queue with a reason; the
listener no longer finds it; its creator sees the reason on the dashboard and appeals."""

import pytest

from marketplace.models import Track
from marketplace.moderation.models import Appeal, Report
from tests.conftest import ARTIFACTS
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from tests.staff import enable_totp, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-42"  # the factories' password


def log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_a_report_leads_to_a_hidden_track_and_an_appeal(live_server, browser, page):
    creator = CreatorFactory(email="maker@example.test")
    track = TrackFactory(creator=creator, title="Borrowed Groove")
    listener = UserFactory(email="listener@example.test")
    staff = UserFactory(email="mod@example.test", is_staff=True, is_superuser=True)
    base = live_server.url

    # The listener reports the track from its page (htmx swaps the form for a thank-you).
    log_in(page, base, listener.email)
    page.goto(base + track.get_absolute_url())
    page.get_by_text("⚑ Report").click()
    page.get_by_label("What is wrong?").select_option("copyright")
    page.get_by_label("Details (optional)").fill("This is my label's song")
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("status").filter(has_text="your report is with our moderators").wait_for()
    assert Report.objects.get().reason == "copyright"

    # Staff open the queue in the admin, review the track and hide it with a reason.
    staff_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    secret = enable_totp(staff)
    staff_page.goto(base + "/admin/marketplace/report/queue/")  # to the site's login, then the TOTP step
    staff_page.get_by_label("Email").fill(staff.email)
    staff_page.get_by_label("Password").fill(PASSWORD)
    staff_page.get_by_role("button", name="Sign In").click()
    staff_page.get_by_label("Code").fill(totp_code(secret))
    staff_page.get_by_role("button", name="Sign In").click()
    staff_page.wait_for_url("**/admin/marketplace/report/queue/")
    assert "Borrowed Groove" in staff_page.content() and "Copyright infringement" in staff_page.content()
    staff_page.get_by_role("link", name="Review track Borrowed Groove").click()
    staff_page.locator("#hide-reason").fill("Copyright claim by the listener's label")
    staff_page.get_by_role("button", name="Hide the track").click()
    staff_page.wait_for_url("**/admin/marketplace/report/queue/")
    assert "Hid “Borrowed Groove”" in staff_page.content()
    staff_page.context.close()

    # The listener no longer finds it: not on its page, in search, browse or suggestions.
    assert page.request.get(base + track.get_absolute_url()).status == 404  # (a request: no console error)
    page.goto(base + "/search/?q=Borrowed")
    assert f"/tracks/{track.pk}/" not in page.content()
    page.goto(base + "/browse/")
    assert f"/tracks/{track.pk}/" not in page.content()
    assert page.request.get(base + "/search/suggest/?q=Borrowed").json()["results"] == []

    # The creator sees why on the dashboard and appeals once.
    creator_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(creator_page, base, creator.email)
    creator_page.goto(base + "/dashboard/")
    assert "Copyright claim by the listener's label" in creator_page.content()
    creator_page.get_by_role("link", name="Appeal for Borrowed Groove").click()
    creator_page.get_by_label("Why should the track come back?").fill("I own the master; licence attached.")
    creator_page.get_by_role("button", name="Send appeal").click()
    creator_page.wait_for_url("**/dashboard/")
    assert "Waiting for a decision" in creator_page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    creator_page.screenshot(path=str(ARTIFACTS / "moderation-dashboard-390.png"), full_page=True)
    creator_page.context.close()
    assert Appeal.objects.get().track_id == track.pk
    assert Track.objects.get(pk=track.pk).status == Track.Status.HIDDEN
