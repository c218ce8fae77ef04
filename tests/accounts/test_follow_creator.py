import re
import time

import pytest
from django.core import mail

from accounts.models import Follow, User
from marketplace.catalogue import services
from tests.factories import CreatorFactory, PlatformFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(signed_in):
    return signed_in(UserFactory(email="fan@example.test"))


def test_a_buyer_follows_a_creator_from_the_profile(client, buyer):
    creator = CreatorFactory(display_name="Nova Drift")
    page = client.get(f"/creators/{creator.handle}/")
    assert 'aria-pressed="false"' in page.text and "Follow" in page.text
    response = client.post(f"/creators/{creator.handle}/follow/")
    assert response.status_code == 302
    assert Follow.objects.filter(follower=buyer, creator=creator).exists()
    assert "Following ✓" in client.get(f"/creators/{creator.handle}/").text
    assert "Nova Drift" in client.get("/account/").text


def test_following_again_unfollows(client, buyer):
    creator = CreatorFactory()
    client.post(f"/creators/{creator.handle}/follow/")
    client.post(f"/creators/{creator.handle}/follow/", HTTP_HX_REQUEST="true")
    assert not Follow.objects.exists()


def test_nobody_follows_themself(client, buyer):
    response = client.post(f"/creators/{buyer.handle}/follow/", follow=True)
    assert "cannot follow yourself" in response.text
    assert not Follow.objects.exists()


def test_visitors_are_asked_to_log_in(client):
    creator = CreatorFactory()
    client.logout()
    assert client.post(f"/creators/{creator.handle}/follow/").status_code == 302
    assert not Follow.objects.exists()


def test_the_feed_shows_new_tracks_from_followed_creators_only(client, buyer):
    from tests.factories import TrackFactory

    followed, other = CreatorFactory(), CreatorFactory()
    Follow.objects.create(follower=buyer, creator=followed)
    TrackFactory(creator=followed, title="From Followed")
    TrackFactory(creator=other, title="From Stranger")
    page = client.get("/account/feed/")
    assert "From Followed" in page.text and "From Stranger" not in page.text


def publish(creator):
    return services.publish_track(creator, {
        "title": "Fresh Drop", "genre": "house", "platform": PlatformFactory(),
        "purchase_url": "https://suno.com/s/1", "preview_url": "https://cdn.example.test/a.mp3",
    })


def wait_for_mail(count, timeout=20):
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return mail.outbox


def test_followers_get_an_email_from_celery_with_an_unsubscribe_link(live_worker, client):
    creator = CreatorFactory(display_name="Nova Drift")
    fan = UserFactory(email="fan@example.test")
    quiet = UserFactory(email="quiet@example.test", notify_new_tracks=False)
    for user in (fan, quiet):
        Follow.objects.create(follower=user, creator=creator)
    publish(creator)
    outbox = wait_for_mail(1)
    time.sleep(0.5)
    assert [m.to for m in outbox] == [["fan@example.test"]]
    assert outbox[0].subject == "New from Nova Drift: Fresh Drop"
    assert outbox[0].extra_headers["List-Unsubscribe"].startswith("<http")
    link = re.search(r"http\S+/account/unsubscribe/\S+/", outbox[0].body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]
    assert "Stop new-track emails?" in client.get(path).text
    assert "You are unsubscribed" in client.post(path).text
    fan.refresh_from_db()
    assert fan.notify_new_tracks is False


def test_a_forged_unsubscribe_link_is_refused(client):
    assert client.get("/account/unsubscribe/not-a-token/").status_code == 400


def test_the_email_setting_is_on_the_account_page(client, buyer):
    response = client.post("/account/", {"handle": buyer.handle, "display_name": "Fan", "links": "", "bio": ""})
    assert response.status_code == 302
    assert User.objects.get(pk=buyer.pk).notify_new_tracks is False
