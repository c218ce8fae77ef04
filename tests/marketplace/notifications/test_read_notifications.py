"""A member reads their notifications: the centre, the header count, mark read, the switches, the API."""

import pytest
from django.test import Client

from marketplace.notifications import services
from marketplace.notifications.models import Notification, NotificationPreference
from marketplace.notifications.services import Kind
from tests.factories import UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db


def told(user, title, **kwargs):
    return services.notify(user, Kind.CREATOR_PUBLISHED, title=title, url="/top/", email=False, **kwargs)


@pytest.fixture
def member(signed_in):
    return signed_in(UserFactory(password=None, display_name="Mo"))


def test_the_centre_lists_my_notifications_newest_first_and_nobody_elses(client, member):
    told(member, "Older news")
    told(member, "Newer news")
    told(UserFactory(password=None), "Someone else's news")
    page = client.get("/account/notifications/")
    assert page.status_code == 200
    assert page.text.index("Newer news") < page.text.index("Older news")
    assert "Someone else&#x27;s news" not in page.text and "2 unread" in page.text


def test_the_header_shows_my_unread_count_but_never_to_visitors_or_in_their_stored_page(client, member):
    told(member, "One")
    told(member, "Two")
    someone_else = UserFactory()  # made first: a new account retires the stored pages
    mine = client.get("/")
    assert 'aria-label="Notifications, 2 unread"' in mine.text
    # The member got the shared stored page with their own count put in; what is stored has none.
    assert mine["X-Page-Cache"] == "member-miss"
    for _ in range(2):  # the stored visitor page (stored by the member's visit) has no notifications link
        visitor = Client().get("/")
        assert "Notifications" not in visitor.text and "2 unread" not in visitor.text
    assert visitor["X-Page-Cache"] == "hit"
    other = Client()
    other.force_login(someone_else)
    page = other.get("/")
    assert page["X-Page-Cache"] == "member-hit" and "unread" not in page.text and "Notifications" in page.text


def test_mark_one_or_all_read(client, member):
    first, second = told(member, "First"), told(member, "Second")
    response = client.post("/account/notifications/read/", {"id": first.pk})
    assert response.status_code == 302 and response["Location"] == "/account/notifications/"
    assert Notification.objects.get(pk=first.pk).read_at and not Notification.objects.get(pk=second.pk).read_at
    client.post("/account/notifications/read/", {})
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    assert "All caught up" in client.get("/account/notifications/").text


def test_mark_read_touches_only_my_own_and_refuses_get(client, member):
    theirs = told(UserFactory(password=None), "Theirs")
    client.post("/account/notifications/read/", {"id": theirs.pk})
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.get("/account/notifications/read/").status_code == 405


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/account/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_switches_save_per_kind_and_channel(client, member):
    data = {f"{kind}_in_app": "on" for kind in Kind if kind != Kind.WEEKLY_DIGEST}
    data |= {f"{kind}_email": "on" for kind in Kind}
    del data["payout_changed_email"]
    response = client.post("/account/notifications/", data)
    assert response.status_code == 302
    switches = services.preferences(member)
    assert switches[Kind.PAYOUT_CHANGED].in_app and not switches[Kind.PAYOUT_CHANGED].email
    assert switches[Kind.WEEKLY_DIGEST].email  # opted in to the newsletter
    assert NotificationPreference.objects.filter(user=member).count() == len(Kind)
    page = client.get("/account/notifications/").text
    assert '<label class="visually-hidden" for="id_payout_changed_email">' in page


def test_the_api_lists_mine_with_the_unread_count():
    member = UserFactory(password=None)
    first = told(member, "First")
    told(member, "Second")
    services.mark_read(member, [first.pk])
    api = client_with(key_for(member))
    body = api.get("/api/v1/me/notifications").json()
    assert body["unread"] == 1 and body["total"] == 2 and body["page"] == 1
    assert [(n["title"], n["read"], n["kind"]) for n in body["notifications"]] == [
        ("Second", False, "creator_published"), ("First", True, "creator_published")]
    assert body["notifications"][0]["url"] == "http://testserver/top/"
    assert [n["title"] for n in api.get("/api/v1/me/notifications?unread=true").json()["notifications"]] == ["Second"]


def test_the_api_marks_read_by_id_or_all():
    member = UserFactory(password=None)
    first, _ = told(member, "First"), told(member, "Second")
    api = client_with(key_for(member))
    assert api.post("/api/v1/me/notifications/read", {"ids": [first.pk]}, format="json").json() == {
        "marked": 1, "unread": 1}
    assert api.post("/api/v1/me/notifications/read", {}, format="json").json() == {"marked": 1, "unread": 0}


def test_the_api_needs_a_key_and_names_a_bad_field(anon, api):
    assert anon.get("/api/v1/me/notifications").status_code == 401
    assert anon.post("/api/v1/me/notifications/read", {}, format="json").status_code == 401
    response = api.post("/api/v1/me/notifications/read", {"ids": ["x"]}, format="json")
    assert response.status_code == 400 and "ids" in response.json()["error"]["fields"]
    assert api.get("/api/v1/me/notifications?page=0").status_code == 400
