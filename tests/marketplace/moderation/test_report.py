"""A signed-in user reports a track or a creator: the web form on their pages and POST /api/v1/reports."""

import pytest

from marketplace.moderation import services
from marketplace.moderation.models import Report
from tests.concurrency import at_once
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


def test_the_api_records_a_report_with_201(api):
    track = TrackFactory()
    response = api.post("/api/v1/reports", {"target_type": "track", "target_id": track.pk,
                                            "reason": "copyright", "note": "my song"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "open" and body["reason"] == "copyright" and body["target_id"] == track.pk
    assert Report.objects.get().note == "my song"


def test_a_repeat_report_updates_the_open_one_with_200(api):
    track = TrackFactory()
    first = api.post("/api/v1/reports", {"target_type": "track", "target_id": track.pk, "reason": "spam"},
                     format="json")
    again = api.post("/api/v1/reports", {"target_type": "track", "target_id": track.pk, "reason": "not_ai",
                                         "note": "sounds human"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    report = Report.objects.get()
    assert (report.reason, report.note) == ("not_ai", "sounds human")


def test_a_closed_report_does_not_stop_a_new_one(api):
    track = TrackFactory()
    Report.objects.create(reporter=track.creator, target_type="track", target_id=track.pk, reason="spam")
    first = api.post("/api/v1/reports", {"target_type": "track", "target_id": track.pk, "reason": "spam"},
                     format="json")
    Report.objects.filter(pk=first.json()["id"]).update(status=Report.Status.DISMISSED)
    again = api.post("/api/v1/reports", {"target_type": "track", "target_id": track.pk, "reason": "spam"},
                     format="json")
    assert again.status_code == 201


def test_a_creator_can_be_reported(api):
    other = CreatorFactory()
    response = api.post("/api/v1/reports", {"target_type": "creator", "target_id": other.pk,
                                            "reason": "impersonation"}, format="json")
    assert response.status_code == 201 and response.json()["target_type"] == "creator"


@pytest.mark.parametrize("body, field", [
    ({"target_type": "track", "reason": "dull"}, "reason"),
    ({"target_type": "album", "reason": "spam"}, "target_type"),
])
def test_bad_input_is_a_400_naming_the_field(api, body, field):
    body.setdefault("target_id", TrackFactory().pk)
    response = api.post("/api/v1/reports", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Report.objects.exists()


def test_your_own_work_cannot_be_reported(api, creator):
    own = TrackFactory(creator=creator)
    response = api.post("/api/v1/reports", {"target_type": "track", "target_id": own.pk, "reason": "spam"},
                        format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "own_work"
    assert "target_id" in response.json()["error"]["fields"]


def test_reporting_nothing_there_is_a_404_naming_the_target(api):
    response = api.post("/api/v1/reports", {"target_type": "track", "target_id": 999999, "reason": "spam"},
                        format="json")
    assert response.status_code == 404 and list(response.json()["error"]["fields"]) == ["target_id"]


def test_the_api_needs_a_key(anon):
    track = TrackFactory()
    response = anon.post("/api/v1/reports", {"target_type": "track", "target_id": track.pk, "reason": "spam"},
                         format="json")
    assert response.status_code == 401
    assert not Report.objects.exists()


def test_concurrent_repeats_leave_one_open_report(transactional_db):
    track = TrackFactory()
    reporter = UserFactory()
    results, errors = at_once(6, lambda: services.file_report(reporter, "track", track.pk, "spam", "again"))
    assert not errors
    assert Report.objects.filter(reporter=reporter).count() == 1
    assert sorted(created for _, created in results) == [False] * 5 + [True]


def test_concurrent_api_repeats_answer_one_201(transactional_db):
    track = TrackFactory()
    raw = key_for(UserFactory())
    body = {"target_type": "track", "target_id": track.pk, "reason": "offensive"}
    results, errors = at_once(4, lambda: client_with(raw).post("/api/v1/reports", body, format="json").status_code)
    assert not errors
    assert sorted(results) == [200, 200, 200, 201]
    assert Report.objects.count() == 1


def test_the_track_page_has_a_report_form_that_records_a_report(client, signed_in):
    track = TrackFactory(title="Reportable")
    signed_in(UserFactory())
    page = client.get(track.get_absolute_url()).text
    assert 'action="/reports/"' in page and 'name="reason"' in page
    response = client.post("/reports/", {"target_type": "track", "target_id": track.pk, "reason": "broken_link",
                                         "note": "404 on buy", "next": track.get_absolute_url()})
    assert response.status_code == 302 and response.url == track.get_absolute_url()
    assert Report.objects.get().reason == "broken_link"


def test_htmx_gets_a_thank_you_in_place_of_the_form(client, signed_in):
    track = TrackFactory()
    signed_in(UserFactory())
    response = client.post("/reports/", {"target_type": "track", "target_id": track.pk, "reason": "spam"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "your report is with our moderators" in response.text


def test_a_bad_reason_shows_beside_the_field(client, signed_in):
    track = TrackFactory()
    signed_in(UserFactory())
    response = client.post("/reports/", {"target_type": "track", "target_id": track.pk, "reason": "meh"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Select a valid choice" in response.text
    assert not Report.objects.exists()


def test_the_creator_page_has_a_report_control(client, signed_in):
    other = CreatorFactory()
    TrackFactory(creator=other)
    signed_in(UserFactory())
    page = client.get(other.get_absolute_url()).text
    assert f'id="report-creator-{other.pk}"' in page


def test_signed_out_visitors_are_sent_to_log_in(client):
    track = TrackFactory()
    assert "Log in to report" in client.get(track.get_absolute_url()).text
    response = client.post("/reports/", {"target_type": "track", "target_id": track.pk, "reason": "spam"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Report.objects.exists()


def test_a_review_can_be_reported_and_its_author_is_told_nothing_until_staff_act(api):
    from marketplace.reviews.services import save_review

    review, _ = save_review(UserFactory(), TrackFactory(), rating=1, text="Buy my mixtape at spam.example")
    response = api.post("/api/v1/reports", {"target_type": "review", "target_id": review.pk, "reason": "spam"},
                        format="json")
    assert response.status_code == 201
    assert Report.objects.get().target_type == "review"


def test_the_creator_is_notified_in_app_when_someone_reviews_their_track(db):
    from marketplace.notifications.models import Notification
    from marketplace.reviews.services import save_review

    track = TrackFactory(title="Glass Harbour")
    save_review(UserFactory(), track, rating=5, text="Lovely")
    notification = Notification.objects.get(user=track.creator)
    assert notification.kind == "review_received" and "Glass Harbour" in notification.title
