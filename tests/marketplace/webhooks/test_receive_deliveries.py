"""Events reach a member's endpoint signed, through a real Celery worker, retried until the receiver answers.

A local HTTP server is the member's receiver; the settings let deliveries reach it over http on
loopback (tests/marketplace/webhooks/conftest.py), as production never does.
"""

import json
import sys
import time
from pathlib import Path

import pytest

from marketplace.models import Notification, Track, Webhook, WebhookDelivery
from marketplace.webhooks import services, signing
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory, TrackWithPreviewFactory, UserFactory
from tests.helpers import client_with, key_for

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "clients" / "python"))
from aimusicstore_client import SignatureError, verify_signature  # noqa: E402

UPLOAD = {"title": "Neon Horizon", "genre": "electronic", "mood": "energetic", "platform": "Suno AI",
          "audio_url": "https://cdn1.suno.ai/8f2c1d.mp3", "purchase_url": "https://suno.com/song/8f2c1d",
          "price": "1.99"}


def subscribe(client, receiver, events):
    answer = client.post("/api/v1/webhooks", {"url": receiver.url, "events": events}, format="json")
    assert answer.status_code == 201, answer.json()
    return answer.json()


def wait_until(check, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def member(transactional_db):
    PlatformFactory()
    creator = CreatorFactory()
    return creator, client_with(key_for(creator))


def test_a_published_track_arrives_signed_and_the_signature_verifies(live_worker, local_delivery, receiver, member):
    creator, api = member
    hook = subscribe(api, receiver, ["track.published"])
    published = api.post("/api/v1/tracks", UPLOAD, format="json")
    assert published.status_code == 201
    (request,) = receiver.wait_for(1)
    body = json.loads(request.body)
    assert body["type"] == "track.published" and body["data"]["track"]["id"] == published.json()["track_id"]
    assert body["data"]["track"]["title"] == "Neon Horizon"
    assert request.path == "/hooks/aimusicstore" and request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Event-Type"] == "track.published" and request.headers["X-Event-Id"] == body["id"]
    # The receiver's check, as the Python client ships it, and the server's own agree.
    stamp = verify_signature(hook["secret"], request.body, request.headers["X-Signature"])
    assert abs(stamp - time.time()) < 30
    signing.verify(hook["secret"], request.body, request.headers["X-Signature"])
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature("whsec_someone-else", request.body, request.headers["X-Signature"])
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(hook["secret"], request.body.replace(b"Neon", b"Noen"), request.headers["X-Signature"])
    assert wait_until(lambda: api.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["deliveries"][0]["status"]
                      == "succeeded")
    (logged,) = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["deliveries"]
    assert (logged["attempts"], logged["response_status"], logged["event_id"]) == (1, 200, body["id"])
    assert logged["payload"] == body


def test_a_replayed_delivery_is_refused_by_the_documented_check(live_worker, local_delivery, receiver, member):
    creator, api = member
    hook = subscribe(api, receiver, ["track.published"])
    api.post("/api/v1/tracks", UPLOAD, format="json")
    (request,) = receiver.wait_for(1)
    signature = request.headers["X-Signature"]
    stamp = int(signature.split(",")[0].removeprefix("t="))
    verify_signature(hook["secret"], request.body, signature, now=stamp + 299)  # within 5 minutes: fine
    with pytest.raises(SignatureError, match="replay"):
        verify_signature(hook["secret"], request.body, signature, now=stamp + 301)  # the same bytes, later
    with pytest.raises(signing.SignatureError, match="replay"):
        signing.verify(hook["secret"], request.body, signature, now=stamp + 301)
    forged = signature.replace(f"t={stamp}", f"t={stamp + 301}")  # a replayer who rewrites t breaks the HMAC
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(hook["secret"], request.body, forged, now=stamp + 301)


def test_a_failing_receiver_is_retried_with_growing_waits_until_it_succeeds(live_worker, local_delivery, receiver,
                                                                              member):
    creator, api = member
    hook = subscribe(api, receiver, ["track.published"])
    receiver.statuses = [500, 503]
    api.post("/api/v1/tracks", UPLOAD, format="json")
    first, second, third = receiver.wait_for(3)
    assert {r.headers["X-Event-Id"] for r in (first, second, third)} == {first.headers["X-Event-Id"]}
    assert [r.headers["X-Delivery-Attempt"] for r in (first, second, third)] == ["1", "2", "3"]
    assert second.at - first.at >= 0.45 and third.at - second.at >= 0.95  # 0.5 s, then 1 s (the test's base)
    for request in (first, second, third):  # each attempt is signed afresh
        verify_signature(hook["secret"], request.body, request.headers["X-Signature"])
    delivery = WebhookDelivery.objects.get()
    assert wait_until(lambda: WebhookDelivery.objects.get().status == "succeeded")
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.response_status == 200
    assert Webhook.objects.get().failure_streak == 0


def test_the_owner_redelivers_a_delivery_from_the_log(live_worker, local_delivery, receiver, member):
    creator, api = member
    hook = subscribe(api, receiver, ["track.published"])
    api.post("/api/v1/tracks", UPLOAD, format="json")
    (original,) = receiver.wait_for(1)
    assert wait_until(lambda: WebhookDelivery.objects.get().status == "succeeded")
    logged = api.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["deliveries"][0]
    again = api.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{logged['id']}/redeliver")
    assert again.status_code == 202 and again.json()["redelivery_of"] == logged["id"]
    _, repeat = receiver.wait_for(2)
    assert repeat.body == original.body and repeat.headers["X-Event-Id"] == original.headers["X-Event-Id"]
    assert repeat.headers["X-Delivery-Id"] != original.headers["X-Delivery-Id"]
    verify_signature(hook["secret"], repeat.body, repeat.headers["X-Signature"])


def test_votes_arrive_as_one_delivery_per_track_and_window(live_worker, local_delivery, receiver, member):
    local_delivery.WEBHOOK_VOTE_WINDOW_SECONDS = 4
    creator, api = member
    subscribe(api, receiver, ["vote.received"])
    track = TrackWithPreviewFactory(creator=creator, title="Counted")  # its preview checks out: published
    voters = [UserFactory(), UserFactory(), UserFactory()]
    from voting.services import cast_vote

    # Start just after a window opens so that all three votes fall in it.
    assert wait_until(lambda: time.time() % 4 < 0.3, timeout=6)
    for voter, value in zip(voters, (1, 1, -1), strict=True):
        cast_vote(voter, track, value)
    assert time.time() % 4 < 3.5, "the machine was too slow to vote within one window"
    (request,) = receiver.wait_for(1, timeout=15)
    data = json.loads(request.body)["data"]
    assert (data["votes"], data["upvotes"], data["downvotes"]) == (3, 2, 1)
    assert data["track"]["id"] == track.pk and data["window"]["start"] < data["window"]["end"]
    time.sleep(4.5)
    assert len(receiver.requests) == 1  # no delivery per vote


def test_a_webhook_failing_for_its_whole_retry_period_is_disabled_and_its_owner_told(
        live_worker, local_delivery, receiver, member):
    local_delivery.WEBHOOK_RETRY_FOR_SECONDS = 2
    local_delivery.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    creator, api = member
    hook = subscribe(api, receiver, ["track.published"])
    receiver.statuses = [500] * 50
    api.post("/api/v1/tracks", UPLOAD, format="json")
    assert wait_until(lambda: WebhookDelivery.objects.get().status == "failed")
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts >= 3 and delivery.response_status == 500 and "HTTP 500" in delivery.error
    shown = api.get(f"/api/v1/webhooks/{hook['id']}").json()
    assert shown["active"] is False and "failed" in shown["disabled_reason"]
    notice = Notification.objects.get(user=creator, kind="webhook_disabled")
    assert receiver.url in notice.title
    # Nothing more is sent while it is off, and the owner turns it back on.
    api.post("/api/v1/tracks", {**UPLOAD, "title": "Second"}, format="json")
    time.sleep(1)
    sent = len(receiver.requests)
    assert WebhookDelivery.objects.count() == 1
    assert api.patch(f"/api/v1/webhooks/{hook['id']}", {"active": True}, format="json").json()["active"] is True
    receiver.statuses = []
    api.post("/api/v1/tracks", {**UPLOAD, "title": "Third"}, format="json")
    receiver.wait_for(sent + 1)


def test_delivery_refuses_a_target_that_now_points_inside(local_delivery, receiver, member, settings):
    creator, api = member
    subscribe(api, receiver, ["track.published"])
    settings.WEBHOOK_ALLOWED_NETWORKS = ()  # production: loopback is never reached
    track = TrackFactory(creator=creator)
    webhook = Webhook.objects.get()
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="track.published", payload={"id": "x"},
                                              next_attempt_at=track.created_at)
    services.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "retrying" and "private or loopback" in delivery.error
    assert receiver.requests == []
    assert Track.objects.count() == 1
