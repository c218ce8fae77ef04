"""The weekly newsletter goes once per address and week to members who opted in and confirmed
waitlist addresses, even when the task runs twice at once or again after a crash."""

from collections import Counter
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.utils import timezone

from aimusicstore.celery import app
from marketplace.models import NewsletterSend, WaitlistEntry
from marketplace.newsletter import services, tasks
from marketplace.notifications.services import Kind, Switches, preferences, set_preferences
from tests.concurrency import at_once
from tests.factories import TrackFactory, UserFactory
from tests.staff import admin_session
from voting.models import TrackScore

pytestmark = pytest.mark.django_db


class CrashAfterThree(EmailBackend):
    """The mail server drops the connection after three messages (what lies outside: SMTP)."""

    sent = 0

    def send_messages(self, messages):
        if CrashAfterThree.sent >= 3:
            raise SMTPServerDisconnected("connection lost")
        CrashAfterThree.sent += len(messages)
        return super().send_messages(messages)


def audience():
    """Three members who opted in (one also on the waitlist), four confirmed waitlist addresses,
    and three who must get nothing."""
    track = TrackFactory(creator__password=None, title="Paper Orbit")
    TrackScore.objects.update_or_create(track=track, defaults={"score_weekly": 4})
    for n in range(3):
        set_preferences(UserFactory(email=f"member{n}@example.test", password=None),
                        {Kind.WEEKLY_DIGEST: Switches(in_app=False, email=True)})
    UserFactory(email="not-opted-in@example.test", password=None)
    now = timezone.now()
    WaitlistEntry.objects.bulk_create(
        [WaitlistEntry(email=f"wait{n}@example.test", confirmed_at=now) for n in range(4)]
        + [WaitlistEntry(email="member0@example.test", confirmed_at=now),
           WaitlistEntry(email="unconfirmed@example.test"),
           WaitlistEntry(email="gone@example.test", confirmed_at=now, newsletter_unsubscribed_at=now)])
    return sorted([f"member{n}@example.test" for n in range(3)] + [f"wait{n}@example.test" for n in range(4)])


def delivered():
    return Counter(message.to[0] for message in mail.outbox)


def test_it_goes_to_opted_in_members_and_confirmed_waitlist_addresses_once_each():
    expected = audience()
    assert services.recipients() == expected
    assert tasks.send_weekly_newsletter() == 7
    assert tasks.send_weekly_newsletter() == 0
    assert delivered() == Counter(expected)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_and_one_more_send_each_address_exactly_one_email(settings):
    settings.NEWSLETTER_BATCH_SIZE = 2  # several batches, so the two runs interleave
    expected = audience()
    counts, errors = at_once(2, lambda: tasks.send_weekly_newsletter())
    assert errors == [] and sum(counts) == 7
    assert tasks.send_weekly_newsletter() == 0
    assert delivered() == Counter(expected)
    assert NewsletterSend.objects.filter(week=services.week_of(), sent_at__isnull=False).count() == 7


def test_a_run_after_a_crash_sends_only_what_the_crashed_run_had_not(settings):
    settings.EMAIL_BACKEND = "tests.marketplace.newsletter.test_send_weekly_newsletter.CrashAfterThree"
    CrashAfterThree.sent = 0
    expected = audience()
    with pytest.raises(SMTPServerDisconnected):
        tasks.send_weekly_newsletter()
    assert len(mail.outbox) == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A sender killed mid-batch leaves its claim behind: nobody else takes that address until it expires.
    held = NewsletterSend.objects.filter(sent_at__isnull=True).order_by("id").first()
    NewsletterSend.objects.filter(pk=held.pk).update(claimed_until=timezone.now() + timedelta(minutes=5))
    assert tasks.send_weekly_newsletter() == 3
    NewsletterSend.objects.filter(pk=held.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert tasks.send_weekly_newsletter() == 1
    assert tasks.send_weekly_newsletter() == 0
    assert delivered() == Counter(expected)


def test_the_issue_has_text_and_html_covers_campaign_links_and_one_click_unsubscribe():
    track = TrackFactory(creator__password=None, title="Paper Orbit")
    track.cover.save("cover.jpg", ContentFile(b"\xff\xd8\xff"), save=True)
    TrackScore.objects.update_or_create(track=track, defaults={"score_weekly": 4})
    week = services.week_of()
    message = services.render_message(services.build_issue(week), "fan@example.test")
    html = message.alternatives[0][0]
    campaign = f"utm_source=newsletter&utm_medium=email&utm_campaign=weekly-{week:%G}-w{week:%V}"
    assert message.alternatives[0][1] == "text/html" and "Paper Orbit" in message.body
    assert f"{track.get_absolute_url()}?{campaign}" in message.body
    assert f"{track.get_absolute_url()}?{campaign.replace('&', '&amp;')}" in html
    assert f'<img src="{settings.SITE_URL}{track.cover.url}"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"] == f"<{services.unsubscribe_url('fan@example.test')}>"


def test_an_address_unsubscribed_before_a_rerun_is_not_sent_to(settings):
    settings.EMAIL_BACKEND = "tests.marketplace.newsletter.test_send_weekly_newsletter.CrashAfterThree"
    CrashAfterThree.sent = 0
    expected = audience()
    with pytest.raises(SMTPServerDisconnected):
        tasks.send_weekly_newsletter()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    leaving = NewsletterSend.objects.filter(sent_at__isnull=True).first().email
    services.unsubscribe(leaving)  # one not yet sent to
    assert tasks.send_weekly_newsletter() == 3
    assert delivered() == Counter(email for email in expected if email != leaving)


def test_an_empty_week_sends_nothing():
    WaitlistEntry.objects.create(email="wait@example.test", confirmed_at=timezone.now())
    assert tasks.send_weekly_newsletter() == 0 and mail.outbox == []


def test_one_click_unsubscribe_stops_it_for_the_member_and_the_waitlist_address():
    audience()
    link = services.unsubscribe_url("member0@example.test")
    path = "/" + link.split("/", 3)[3]
    client = Client(enforce_csrf_checks=True)  # the mail client's POST carries no CSRF token
    assert "Stop the weekly newsletter?" in client.get(path).text
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "You are unsubscribed" in response.text
    member = UserFactory._meta.model.objects.get(email="member0@example.test")
    assert preferences(member)[Kind.WEEKLY_DIGEST].email is False
    assert WaitlistEntry.objects.get(email="member0@example.test").newsletter_unsubscribed_at is not None
    assert "member0@example.test" not in services.recipients()
    assert client.post("/newsletter/unsubscribe/forged/").status_code == 400


def test_staff_preview_this_weeks_issue_in_the_admin(client):
    track = TrackFactory(creator__password=None, title="Paper Orbit")
    TrackScore.objects.update_or_create(track=track, defaults={"score_weekly": 4})
    url = "/admin/marketplace/newslettersend/preview/"
    assert client.get(url).status_code == 302  # staff only
    admin_session(client, UserFactory(password=None, is_staff=True, is_superuser=True))
    assert 'href="/admin/marketplace/newslettersend/preview/"' in client.get(
        "/admin/marketplace/newslettersend/").text
    html = client.get(url)
    assert html.status_code == 200 and "Paper Orbit" in html.text and "The week&#x27;s top AI tracks" in html.text
    text = client.get(url + "?part=text")
    assert text["Content-Type"].startswith("text/plain") and "Paper Orbit" in text.text


def test_beat_sends_it_every_monday_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-newsletter"]
    assert entry["task"] == tasks.send_weekly_newsletter.name and entry["task"] in app.tasks
    assert entry["schedule"].day_of_week == {1} and entry["schedule"].hour == {9}
