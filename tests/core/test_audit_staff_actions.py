"""Every staff action leaves a record: who, when, what, why, before/after, in the audit log and in
the admin's Recent actions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry as AdminEntry
from django.utils import timezone

from accounts.models import ApiKey
from aimusicstore import audit
from marketplace.models import Payout, Track
from marketplace.purchases import ledger, services
from tests.factories import CreatorFactory, TrackFactory, UserFactory
from tests.helpers import key_for

pytestmark = pytest.mark.django_db


def act(client, url, action, obj, reason=""):
    return client.post(url, {"action": action, "_selected_action": [obj.pk], "reason": reason}, follow=True)


def staff_row(obj, action):
    return audit.entries_for(obj).filter(additional_data__action=action).get()


def test_hiding_and_restoring_a_track_records_who_why_and_before_after(admin_client, admin_user):
    track = TrackFactory(title="Loud Spam")

    act(admin_client, "/admin/marketplace/track/", "hide", track, reason="Impersonates a label")
    act(admin_client, "/admin/marketplace/track/", "restore", track)

    hidden = staff_row(track, "hide")
    assert hidden.actor == admin_user and hidden.additional_data["reason"] == "Impersonates a label"
    assert hidden.changes_dict["status"] == ["published", "hidden"]
    assert staff_row(track, "restore").changes_dict["status"] == ["hidden", "published"]
    recent = AdminEntry.objects.filter(object_id=str(track.pk)).order_by("action_time")
    assert [e.change_message.split(":")[0] for e in recent] == ["hide (Impersonates a label)", "restore"]
    assert "Loud Spam" in admin_client.get("/admin/").text  # Recent actions is no longer "None available"


def test_approving_and_paying_a_payout_records_each_step(admin_client, admin_user):
    creator = CreatorFactory(password=None)
    track = TrackFactory(creator=creator, price="99.99")
    services.record_sale(track, "o-1", Decimal("100.00"), at=timezone.now() - timedelta(days=20))
    payout = ledger.request_payout(creator)

    act(admin_client, "/admin/marketplace/payout/", "approve", payout, reason="Checked the sales")
    act(admin_client, "/admin/marketplace/payout/", "mark_paid", payout)

    approved = staff_row(payout, "approved")
    assert approved.actor == admin_user and approved.additional_data["reason"] == "Checked the sales"
    assert approved.changes_dict["status"] == [Payout.Status.REQUESTED, Payout.Status.APPROVED]
    assert staff_row(payout, "marked paid").changes_dict["status"] == [Payout.Status.APPROVED, Payout.Status.PAID]
    # One row per step: the service's own save is not logged a second time.
    assert audit.entries_for(payout).filter(actor=admin_user).count() == 2


def test_revoking_a_key_and_deactivating_a_user_are_recorded(admin_client, admin_user):
    user = UserFactory()
    key_for(user)
    key = ApiKey.objects.get(user=user)

    act(admin_client, "/admin/accounts/apikey/", "revoke", key, reason="Leaked on GitHub")
    act(admin_client, "/admin/accounts/user/", "deactivate", user, reason="Spam ring")

    assert staff_row(key, "revoke key").additional_data["reason"] == "Leaked on GitHub"
    assert staff_row(user, "deactivate").changes_dict["is_active"] == ["True", "False"]
    assert AdminEntry.objects.filter(object_id=str(key.pk), change_message__startswith="revoke key").exists()


def test_changing_a_tier_in_the_admin_form_is_recorded_with_before_and_after(admin_client, admin_user):
    user = CreatorFactory(tier="free")
    form = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    data = {name: form[name].value() for name in ("email", "handle", "display_name", "bio", "links", "role")}
    data.update(tier="pro", is_active="on", date_joined_0="2026-01-01", date_joined_1="00:00:00",
                change_reason="Paid for Pro by invoice 1042")
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    edit = audit.entries_for(user).get(actor=admin_user)
    assert edit.changes_dict["tier"] == ["free", "pro"]
    assert edit.additional_data == {"action": "admin edit", "reason": "Paid for Pro by invoice 1042"}
    assert AdminEntry.objects.filter(object_id=str(user.pk)).exists()  # Django's own History of the user


def test_the_audit_log_is_filterable_and_each_object_has_its_history(admin_client, admin_user):
    track = TrackFactory(title="Filter Me")
    act(admin_client, "/admin/marketplace/track/", "hide", track, reason="Copyright claim")

    log = admin_client.get("/admin/auditlog/logentry/", {"actor": admin_user.pk})
    assert log.status_code == 200 and "Copyright claim" in log.text and "Filter Me" in log.text
    history = admin_client.get(f"/admin/marketplace/track/{track.pk}/auditlog/")
    assert history.status_code == 200 and "hidden" in history.text


def test_the_staff_api_take_down_is_recorded_too(db):
    from tests.helpers import client_with

    staff = UserFactory(is_staff=True)
    track = TrackFactory()
    client_with(key_for(staff)).delete(f"/api/v1/admin/tracks/{track.pk}")

    row = staff_row(track, "hide")
    assert row.actor == staff and row.changes_dict["status"] == [Track.Status.PUBLISHED, Track.Status.HIDDEN]


def test_the_add_user_page_still_works(admin_client):
    page = admin_client.get("/admin/accounts/user/add/")
    assert page.status_code == 200 and "password1" in page.text and "change_reason" not in page.text


def test_confirming_and_clearing_flagged_votes_and_rejecting_a_payout_are_recorded(admin_client, admin_user):
    from voting.models import Vote

    suspect = Vote.objects.create(voter=UserFactory(), track=TrackFactory(), value=1, status=Vote.Status.SUSPECTED)
    other = Vote.objects.create(voter=UserFactory(), track=TrackFactory(), value=1, status=Vote.Status.SUSPECTED)
    act(admin_client, "/admin/voting/vote/", "confirm_abuse", suspect, reason="Ring of 12 fresh accounts")
    act(admin_client, "/admin/voting/vote/", "clear", other)
    creator = CreatorFactory(password=None)
    services.record_sale(TrackFactory(creator=creator, price="99.99"), "o-2", Decimal("100.00"),
                         at=timezone.now() - timedelta(days=20))
    payout = ledger.request_payout(creator)
    act(admin_client, "/admin/marketplace/payout/", "reject", payout, reason="Sales under dispute")

    confirmed = staff_row(suspect, "confirm vote abuse")
    assert confirmed.changes_dict["status"] == ["suspected", "confirmed"]
    assert confirmed.additional_data["reason"] == "Ring of 12 fresh accounts"
    assert staff_row(other, "clear flagged votes").changes_dict["status"] == ["suspected", "cleared"]
    rejected = staff_row(payout, "rejected")
    assert rejected.changes_dict["note"] == ["", "Sales under dispute"]
    assert AdminEntry.objects.filter(user=admin_user).count() == 3
