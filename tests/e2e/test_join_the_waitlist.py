"""A visitor joins the waitlist and watches the count move once places are confirmed, theirs and others'."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import WaitlistEntry
from marketplace.waitlist.services import confirm, join_waitlist

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_joins_the_waitlist_and_sees_the_count_move(live_server, page, screenshot):
    for n in range(2):
        WaitlistEntry.objects.create(email=f"early{n}@example.test", confirmed_at=timezone.now())
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Waitlist & newsletter").click()
    page.wait_for_url("**/waitlist/")
    number = page.locator("[data-waitlist-number]")
    assert number.text_content() == "2"

    page.get_by_label("Your email").fill("fan@example.test")
    page.get_by_label("Selling my AI music").check()
    page.get_by_role("button", name="Join the waitlist").click()
    page.get_by_text("Check your inbox").wait_for()
    assert number.text_content() == "2"  # a place counts once its emailed link is opened
    entry = WaitlistEntry.objects.get(email="fan@example.test")
    assert entry.interest == "creator"
    screenshot("waitlist-joined")

    confirm(entry)  # the visitor opens the link
    confirm(join_waitlist("someone-else@example.test")[0])  # another visitor, elsewhere
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # as when the tab comes back
    expect(page.locator("[data-waitlist-number]")).to_have_text("4", timeout=5000)
    assert page.locator("[data-waitlist-people]").text_content() == "people are"
