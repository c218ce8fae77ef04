"""Each event is emitted once, after commit, by the service where its rule lives, to its member's webhooks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.catalogue import services as catalogue
from marketplace.models import Webhook, WebhookDelivery
from marketplace.purchases import ledger
from marketplace.purchases import services as purchases
from marketplace.reviews import services as reviews
from marketplace.webhooks import events
from tests.factories import CreatorFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooked(settings):
    """A creator with a webhook on every event (created directly: its URL is never called here)."""
    creator = CreatorFactory()
    Webhook.objects.create(user=creator, url="https://hooks.example.com/x", events=Webhook.Event.values,
                           secret="whsec_test")
    return creator


def sent(event):
    return [d.payload for d in WebhookDelivery.objects.filter(event=event).order_by("pk")]


def test_a_sale_is_sent_with_its_money_as_strings(hooked, django_capture_on_commit_callbacks):
    track = TrackFactory(creator=hooked)
    with django_capture_on_commit_callbacks(execute=True):
        purchases.record_sale(track, "order-1", Decimal("1.99"))
        purchases.record_sale(track, "order-1", Decimal("1.99"))  # the same order again: nothing new
    (payload,) = sent("sale.recorded")
    sale = payload["data"]["sale"]
    assert (sale["order_id"], sale["amount"]) == ("order-1", "1.99")
    assert Decimal(sale["commission"]) + Decimal(sale["earnings"]) == Decimal("1.99")
    assert payload["data"]["track"]["id"] == track.pk and payload["type"] == "sale.recorded"


def test_a_payout_is_sent_at_each_step(hooked, admin_user, django_capture_on_commit_callbacks):
    track = TrackFactory(creator=hooked, price="99.99")
    with django_capture_on_commit_callbacks(execute=True):
        purchases.record_sale(track, "o-1", Decimal("100.00"), at=timezone.now() - timedelta(days=20))
        payout = ledger.request_payout(hooked)
        ledger.approve_payout(payout, admin_user)
        ledger.mark_payout_paid(payout, admin_user)
    assert [p["data"]["payout"]["status"] for p in sent("payout.updated")] == ["requested", "approved", "paid"]
    assert sent("payout.updated")[0]["data"]["payout"]["amount"] == "80.00"


def test_a_review_is_sent_once_not_on_each_edit(hooked, django_capture_on_commit_callbacks):
    track = TrackFactory(creator=hooked)
    listener = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        reviews.save_review(listener, track, rating=5, text="Lovely")
        reviews.save_review(listener, track, rating=4, text="Lovely, on reflection")
    (payload,) = sent("review.posted")
    assert payload["data"]["review"]["rating"] == 5 and payload["data"]["track"]["id"] == track.pk


def test_a_hidden_and_restored_track_is_sent(hooked, django_capture_on_commit_callbacks):
    track = TrackFactory(creator=hooked)
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.hide_track(track, "Not AI-made")
        catalogue.restore_track(track)
    (hidden,) = sent("track.hidden")
    assert hidden["data"]["reason"] == "Not AI-made" and hidden["data"]["track"]["status"] == "hidden"
    (restored,) = sent("track.published")
    assert restored["data"]["track"]["status"] == "published"


def test_nothing_is_sent_for_what_never_committed(hooked):
    track = TrackFactory(creator=hooked)
    catalogue.hide_track(track, "rolled back with the test")  # the test's transaction never commits
    assert not WebhookDelivery.objects.exists()


def test_a_track_entering_a_chart_is_sent_once_a_day(hooked, django_capture_on_commit_callbacks):
    from voting import rankings
    from voting.models import TrackScore

    TrackFactory.create_batch(3)
    rankings.refresh_rankings()  # the snapshot to compare with
    track = TrackFactory(creator=hooked)
    TrackScore.objects.update_or_create(track=track, defaults={"score_weekly": 50.0, "trending_at_epoch": 9.0})
    with django_capture_on_commit_callbacks(execute=True):
        rankings.refresh_rankings()
        rankings.refresh_rankings()
    charted = {p["data"]["chart"]: p["data"] for p in sent("track.charted")}
    assert charted["weekly"]["position"] == 1 and charted["weekly"]["track"]["id"] == track.pk
    assert charted["trending"]["size"] == 10
    assert len(sent("track.charted")) == len(charted)


def test_an_unsubscribed_member_costs_no_delivery(django_capture_on_commit_callbacks):
    creator = CreatorFactory()
    Webhook.objects.create(user=creator, url="https://hooks.example.com/x", events=["review.posted"],
                           secret="whsec_test")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.hide_track(TrackFactory(creator=creator), "spam")
        catalogue.hide_track(TrackFactory(), "spam")
    assert not WebhookDelivery.objects.exists()
    assert events.subscribed_events(creator.pk) == {"review.posted"}
