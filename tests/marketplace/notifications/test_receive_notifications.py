"""A member is told about what happens to them, as their switches for each kind say."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache

from accounts.models import Follow, User
from marketplace.models import Payout
from marketplace.notifications import selectors, services, tasks
from marketplace.notifications.models import Notification
from marketplace.notifications.services import Kind, Switches
from marketplace.purchases import ledger
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting import rankings
from voting.models import TrackScore

pytestmark = pytest.mark.django_db


def weekly(track, score):
    TrackScore.objects.update_or_create(track=track, defaults={"score_weekly": score})


def tell(user, **kwargs):
    return services.notify(user, Kind.PAYOUT_CHANGED, title="Your payout of $50.00 was paid", url="/dashboard/",
                           **kwargs)


def test_by_default_it_shows_in_the_centre_and_queues_one_email(django_capture_on_commit_callbacks):
    user = UserFactory(password=None, email="maker@example.test")
    with django_capture_on_commit_callbacks() as queued:
        notification = tell(user)
    assert notification.in_app and len(queued) == 1
    assert tasks.email_notification(notification.pk) == 1
    assert tasks.email_notification(notification.pk) == 0  # a redelivered task sends nothing twice
    assert [m.to for m in mail.outbox] == [["maker@example.test"]]
    assert mail.outbox[0].subject == "Your payout of $50.00 was paid"
    assert "http://" in mail.outbox[0].body and "/account/notifications/#settings" in mail.outbox[0].body


def test_preferences_are_respected_per_kind_and_channel(django_capture_on_commit_callbacks):
    email_only, in_app_only, neither, other_kind_off = UserFactory.create_batch(4, password=None)
    services.set_preferences(email_only, {Kind.PAYOUT_CHANGED: Switches(in_app=False, email=True)})
    services.set_preferences(in_app_only, {Kind.PAYOUT_CHANGED: Switches(in_app=True, email=False)})
    services.set_preferences(neither, {Kind.PAYOUT_CHANGED: Switches(in_app=False, email=False)})
    services.set_preferences(other_kind_off, {Kind.TOP50_ENTERED: Switches(in_app=False, email=False)})

    with django_capture_on_commit_callbacks() as queued:
        results = {user.pk: tell(user) for user in (email_only, in_app_only, neither, other_kind_off)}
    assert results[neither.pk] is None and len(queued) == 2
    assert not Notification.objects.filter(user=neither).exists()
    assert results[email_only.pk].in_app is False
    assert list(selectors.centre(email_only)) == []
    assert list(selectors.centre(in_app_only)) == [results[in_app_only.pk]]
    assert results[other_kind_off.pk].in_app is True
    for notification in Notification.objects.all():  # what the queued tasks do (and they check the switch again)
        tasks.email_notification(notification.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([email_only.email, other_kind_off.email])


def test_the_follower_email_switch_is_the_one_on_the_profile():
    user = UserFactory(password=None, notify_new_tracks=False)
    assert services.preferences(user)[Kind.CREATOR_PUBLISHED] == Switches(in_app=True, email=False)
    services.set_preferences(user, {Kind.CREATOR_PUBLISHED: Switches(in_app=True, email=True)})
    assert User.objects.get(pk=user.pk).notify_new_tracks is True


def test_the_newsletter_is_opt_in_and_email_only():
    user = UserFactory(password=None)
    assert services.preferences(user)[Kind.WEEKLY_DIGEST] == Switches(in_app=False, email=False)
    services.set_preferences(user, {Kind.WEEKLY_DIGEST: Switches(in_app=True, email=True)})
    assert services.preferences(user)[Kind.WEEKLY_DIGEST] == Switches(in_app=False, email=True)


def test_a_dedupe_key_tells_a_member_once():
    user = UserFactory(password=None)
    assert tell(user, dedupe_key="payout:1:paid") is not None
    assert tell(user, dedupe_key="payout:1:paid") is None
    assert Notification.objects.filter(user=user).count() == 1


def test_an_agent_gets_no_email(django_capture_on_commit_callbacks):
    agent = UserFactory(password=None, role=User.Role.AGENT)
    with django_capture_on_commit_callbacks() as queued:
        assert tell(agent).in_app
    assert queued == []


def test_a_follower_is_told_in_the_centre_when_a_creator_publishes():
    from marketplace.catalogue.tasks import email_followers_about_track

    creator = CreatorFactory(password=None, display_name="Nova Drift")
    fan, quiet = UserFactory(password=None), UserFactory(password=None, notify_new_tracks=False)
    for user in (fan, quiet):
        Follow.objects.create(follower=user, creator=creator)
    track = TrackFactory(creator=creator, title="Fresh Drop")
    email_followers_about_track(track.pk)
    for user in (fan, quiet):  # both in the centre; only the one who wants it by email
        assert [n.title for n in selectors.centre(user)] == ["New from Nova Drift: Fresh Drop"]
    assert [m.to for m in mail.outbox] == [[fan.email]]


def test_a_creator_is_told_once_when_their_track_enters_the_top_50():
    rising, steady = (TrackFactory(creator__password=None, title=title) for title in ("Rising", "Steady"))
    weekly(steady, 5)
    weekly(rising, 1)
    rankings.refresh_rankings()  # the first refresh compares with nothing: nobody is told
    assert not Notification.objects.exists()
    # The last refresh had only Steady in the top 50 (Rising below it); now Rising is in.
    cache.set(rankings.CACHE_PREFIX + rankings.TOP50_PERIOD, [steady.pk])
    rankings.refresh_rankings()
    cache.set(rankings.CACHE_PREFIX + rankings.TOP50_PERIOD, [steady.pk])  # out and back in, same week
    rankings.refresh_rankings()
    told = Notification.objects.get(kind=Kind.TOP50_ENTERED)
    assert told.user == rising.creator and told.title == "“Rising” entered the top 50 this week"
    assert told.url == "/top/"


def test_a_creator_is_told_when_staff_approve_pay_or_reject_a_payout():
    creator, staff = CreatorFactory(password=None), UserFactory(password=None, is_staff=True)
    approved = Payout.objects.create(creator=creator, amount=Decimal("60.00"))
    rejected = Payout.objects.create(creator=creator, amount=Decimal("55.00"))
    ledger.approve_payout(approved, staff)
    ledger.mark_payout_paid(approved, staff)
    ledger.reject_payout(rejected, staff, note="Bank details missing")
    titles = [n.title for n in selectors.centre(creator).order_by("id")]
    assert titles == ["Your payout of $60.00 was approved", "Your payout of $60.00 was paid",
                      "Your payout of $55.00 was rejected"]
    assert Notification.objects.get(title__endswith="rejected").body == "Note from staff: Bank details missing"


def test_a_real_worker_emails_a_payout_decision_to_the_creator_only_if_they_want_it(live_worker):
    import time

    keen, quiet = CreatorFactory(password=None), CreatorFactory(password=None)
    services.set_preferences(quiet, {Kind.PAYOUT_CHANGED: Switches(in_app=True, email=False)})
    staff = UserFactory(password=None, is_staff=True)
    for creator in (keen, quiet):
        ledger.approve_payout(Payout.objects.create(creator=creator, amount=Decimal("50.00")), staff)
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    assert [(m.to, m.subject) for m in mail.outbox] == [([keen.email], "Your payout of $50.00 was approved")]
    assert Notification.objects.get(user=keen).emailed_at is not None
    assert Notification.objects.filter(user=quiet, in_app=True).exists()
