"""Staff work the moderation queue in the admin: reports grouped by target, held uploads, flagged
votes and appeals, and a review page whose buttons hide, restore, dismiss, warn, suspend or take down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.models import Track
from marketplace.moderation.models import Appeal, ModerationNotice, Report, Takedown
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db
QUEUE = "/admin/marketplace/report/queue/"


def report(target_type, target_id, reason, minutes_ago=0):
    return Report.objects.create(reporter=UserFactory(), target_type=target_type, target_id=target_id,
                                 reason=reason, created_at=timezone.now() - timedelta(minutes=minutes_ago))


def review_url(target_type, pk):
    return f"/admin/marketplace/report/target/{target_type}/{pk}/"


def test_the_queue_groups_open_reports_by_target_oldest_first(admin_client):
    newer, older = TrackFactory(title="Newer Report"), TrackFactory(title="Older Report")
    report("track", newer.pk, "spam", minutes_ago=5)
    report("track", older.pk, "copyright", minutes_ago=30)
    report("track", older.pk, "not_ai", minutes_ago=10)
    person = CreatorFactory(display_name="Fake Famous")
    report("creator", person.pk, "impersonation", minutes_ago=1)
    dismissed = report("track", TrackFactory(title="Closed Case").pk, "spam")
    Report.objects.filter(pk=dismissed.pk).update(status=Report.Status.DISMISSED)
    TrackFactory(title="Held Upload", status=Track.Status.PENDING)
    voter = UserFactory(display_name="Ring Voter")
    Vote.objects.create(voter=voter, track=newer, value=1, status=Vote.Status.SUSPECTED, flag_reason="burst")

    response = admin_client.get(QUEUE)

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(g["target_type"], str(g["target"]), g["count"]) for g in groups] == [
        ("track", "Older Report", 2), ("track", "Newer Report", 1), ("creator", "Fake Famous", 1)]
    assert groups[0]["reason_labels"] == ["Copyright infringement", "Not what it claims (not AI, or not as described)"]
    assert "Closed Case" not in response.text
    assert "Held Upload" in response.text and "burst" in response.text and "Ring Voter" in response.text


def test_staff_hide_a_reported_track_with_a_reason(django_capture_on_commit_callbacks, admin_client, client):
    track = TrackFactory(title="Bad Upload")
    report("track", track.pk, "copyright")
    assert "Bad Upload" in admin_client.get(review_url("track", track.pk)).text

    missing = admin_client.post(review_url("track", track.pk), {"action": "hide", "reason": ""})
    assert missing.status_code == 400 and "Say why the track is hidden" in missing.text
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(review_url("track", track.pk), {"action": "hide", "reason": "Stolen sample"})

    assert done.status_code == 302 and done.url == QUEUE
    track.refresh_from_db()
    assert (track.status, track.moderation_reason) == (Track.Status.HIDDEN, "Stolen sample")
    assert Report.objects.get().status == Report.Status.ACTIONED
    assert "Stolen sample" in mail.outbox[-1].body
    assert client.get(track.get_absolute_url()).status_code == 404


def test_staff_record_a_copyright_takedown(admin_client):
    track = TrackFactory(title="Cover Song")
    incomplete = admin_client.post(review_url("track", track.pk), {"action": "takedown", "claimant": "Label"})
    assert incomplete.status_code == 400 and "Required for a copyright takedown" in incomplete.text
    response = admin_client.post(review_url("track", track.pk), {
        "action": "takedown", "claimant": "Big Label Ltd", "contact": "legal@label.example",
        "work_claimed": "Original Hit (2019)", "received_on": "2026-11-30"})
    assert response.status_code == 302
    takedown = Takedown.objects.get()
    assert (takedown.claimant, takedown.contact, takedown.work_claimed, str(takedown.received_on)) == (
        "Big Label Ltd", "legal@label.example", "Original Hit (2019)", "2026-11-30")
    track.refresh_from_db()
    assert track.status == Track.Status.HIDDEN and "Original Hit (2019)" in track.moderation_reason
    assert ModerationNotice.objects.get().kind == "takedown"


def test_staff_dismiss_reports_and_the_track_stays(admin_client):
    track = TrackFactory()
    report("track", track.pk, "spam")
    admin_client.post(review_url("track", track.pk), {"action": "dismiss", "reason": "Not spam"})
    assert Report.objects.get().status == Report.Status.DISMISSED
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED


def test_staff_warn_a_reported_creator(django_capture_on_commit_callbacks, admin_client):
    person = CreatorFactory()
    report("creator", person.pk, "impersonation")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(review_url("creator", person.pk),
                                     {"action": "warn", "reason": "Do not use another artist's name"})
    assert response.status_code == 302
    assert ModerationNotice.objects.get(creator=person).kind == "warning"
    assert "another artist's name" in mail.outbox[-1].body
    assert Report.objects.get().status == Report.Status.ACTIONED


def test_staff_suspend_a_creator_from_the_queue(admin_client):
    person = CreatorFactory()
    track = TrackFactory(creator=person)
    response = admin_client.post(review_url("creator", person.pk), {"action": "suspend", "reason": "Spam farm"})
    assert response.status_code == 302
    person.refresh_from_db()
    track.refresh_from_db()
    assert not person.is_active and track.status == Track.Status.HIDDEN


def test_a_held_upload_can_be_published_from_its_review_page(admin_client):
    held = TrackFactory(status=Track.Status.PENDING)
    admin_client.post(review_url("track", held.pk), {"action": "restore"})
    held.refresh_from_db()
    assert held.status == Track.Status.PUBLISHED


def test_an_appeal_in_the_queue_is_decided_there(admin_client):
    track = TrackFactory(status=Track.Status.HIDDEN, moderation_reason="Spam")
    appeal = Appeal.objects.create(track=track, creator=track.creator, note="Not spam at all")
    assert "Not spam at all" in admin_client.get(QUEUE).text
    response = admin_client.post(f"/admin/marketplace/report/appeal/{appeal.pk}/decide/",
                                 {"decision": "restore", "note": "Fair"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    track.refresh_from_db()
    assert appeal.status == Appeal.Status.RESTORED and track.status == Track.Status.PUBLISHED


def test_the_queue_is_for_staff_only(client, signed_in):
    signed_in(UserFactory())
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_track_lists_hide_action_asks_for_the_reason(admin_client):
    track = TrackFactory(title="Listed")
    asked = admin_client.post("/admin/marketplace/track/", {"action": "hide", "_selected_action": [track.pk]})
    assert asked.status_code == 200 and "Reason (shown to the creator)" in asked.text
    empty = admin_client.post("/admin/marketplace/track/", {"action": "hide", "_selected_action": [track.pk],
                                                           "confirm": "1", "reason": " "})
    assert "Say why the tracks are hidden" in empty.text
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED
    done = admin_client.post("/admin/marketplace/track/", {"action": "hide", "_selected_action": [track.pk],
                                                          "confirm": "1", "reason": "Misleading title"})
    assert done.status_code == 302
    track.refresh_from_db()
    assert (track.status, track.moderation_reason) == (Track.Status.HIDDEN, "Misleading title")
