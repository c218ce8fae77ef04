"""A visitor joins the waitlist on /waitlist/, confirms by the emailed link, and is then counted once."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.models import WaitlistEntry
from marketplace.waitlist import services, tasks
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_count_and_a_labelled_form(client):
    WaitlistEntry.objects.create(email="first@example.test", confirmed_at=timezone.now())
    WaitlistEntry.objects.create(email="unconfirmed@example.test")  # counts once its link is opened
    page = client.get("/waitlist/")
    assert page.status_code == 200
    assert re.search(r"<strong data-waitlist-number>1</strong> <span data-waitlist-people>person is", page.text)
    assert '<label for="id_email">Your email</label>' in page.text
    assert 'data-waitlist-count="/api/v1/waitlist/count"' in page.text


def test_joining_adds_one_entry_says_so_and_queues_the_confirmation(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/waitlist/", {"email": "Fan@Example.test", "interest": "creator"}, follow=True)
    assert response.redirect_chain == [("/waitlist/", 302)]
    assert "Check your inbox" in response.text
    assert "<strong data-waitlist-number>0</strong>" in response.text  # counted once confirmed
    entry = WaitlistEntry.objects.get()
    assert (entry.email, entry.interest, entry.confirmed_at) == ("fan@example.test", "creator", None)
    assert len(queued) == 1
    again = client.post("/waitlist/", {"email": "fan@example.test", "interest": "buyer"}, follow=True)
    assert "Check your inbox" in again.text and WaitlistEntry.objects.count() == 1  # the same words


def test_a_bad_address_is_named_beside_the_field(client):
    response = client.post("/waitlist/", {"email": "not-an-email", "interest": "buyer"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text and not WaitlistEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_joins_of_one_address_make_one_entry():
    results, errors = at_once(6, lambda: services.join_waitlist("same@example.test"))
    assert errors == [] and WaitlistEntry.objects.count() == 1
    assert sorted(created for _, created in results) == [False] * 5 + [True]


def test_the_emailed_link_confirms_the_address_on_a_post(client):
    entry, _ = services.join_waitlist("fan@example.test")
    assert tasks.email_waitlist_confirmation(entry.pk) == 1
    link = re.search(r"http\S+/waitlist/confirm/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert "Confirm your place" in client.get(path).text  # a mail scanner's GET confirms nothing
    assert WaitlistEntry.objects.get().confirmed_at is None
    assert "You're confirmed" in client.post(path).text
    assert WaitlistEntry.objects.get().confirmed_at is not None
    assert tasks.email_waitlist_confirmation(entry.pk) == 0  # confirmed: no more confirmation emails


def test_a_forged_confirmation_link_is_refused(client):
    assert client.get("/waitlist/confirm/forged/").status_code == 400
