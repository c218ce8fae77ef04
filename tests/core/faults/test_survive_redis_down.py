"""Redis dies mid-run: pages render from the database, nobody is signed out, votes and clicks count."""

import pytest

from marketplace.models import PurchaseClick, Sale, TrackDailyStats
from tests.factories import TrackFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


def test_with_redis_stopped_pages_login_votes_and_clicks_still_work(client, throwaway_redis):
    track = TrackFactory(title="Still Standing")
    voter = UserFactory(email="voter@example.test")
    other = client.__class__()
    assert other.post("/accounts/login/", {"login": voter.email, "password": "correct-horse-42"}).status_code == 302
    assert client.get("/").status_code == 200  # the page cache is warm before the fault

    throwaway_redis.stop()

    home = client.get("/")  # its track cards are drawn, not copied (marketplace/discovery/cards.py)
    assert home.status_code == 200 and 'aria-label="Play Still Standing"' in home.text
    page = client.get(track.get_absolute_url())
    assert page.status_code == 200 and "Still Standing" in page.text
    # Signed in before Redis died, still signed in after (the session lives in the database).
    assert other.get("/dashboard/").status_code != 302
    login = client.post("/accounts/login/", {"login": voter.email, "password": "correct-horse-42"})
    assert login.status_code == 302 and not login["Location"].startswith("/accounts/login/")
    vote = client.post(f"/votes/track/{track.pk}/", {"value": "1", "next": "/"})
    assert vote.status_code == 302
    assert Vote.objects.filter(voter=voter, value=1).count() == 1
    buy = client.post(f"/tracks/{track.pk}/buy/", HTTP_USER_AGENT=CHROME)
    assert buy.status_code == 303 and buy["Location"].startswith("https://suno.com/")
    assert PurchaseClick.objects.filter(track=track).count() == 1
    api = client.post(f"/api/v1/tracks/{track.pk}/purchase-click", HTTP_USER_AGENT=CHROME)
    assert api.status_code == 201
    assert PurchaseClick.objects.filter(track=track).count() == 2
    # The track views counted while Redis was down went straight to the database.
    assert TrackDailyStats.objects.get(track=track).views >= 1


@pytest.fixture
def broker_down():
    """The Celery app's broker pointed at a port nobody listens on, then back."""
    from aimusicstore.celery import app
    from tests.core.faults.conftest import _free_port

    saved = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{_free_port()}/0"
    app._pool, app.amqp._producer_pool = None, None
    yield app
    app.conf.broker_url = saved
    app._pool, app.amqp._producer_pool = None, None


def test_with_the_broker_down_a_queued_task_runs_here_instead(broker_down):
    from aimusicstore.enqueue import enqueue
    from marketplace.catalogue.tasks import compute_waveform

    track = TrackFactory(preview_url="https://cdn.example.test/p.mp3")
    result = enqueue(compute_waveform, track.pk)  # no 500, no lost work: it ran in this process
    assert result is not None and result.successful()


def test_with_redis_stopped_postbacks_land_and_the_api_reads_and_votes(client, throwaway_redis, settings):
    from tests.helpers import client_with, key_for
    from tests.marketplace.purchases.test_affiliate_postback import SECRET, payload, post

    settings.AFFILIATE_POSTBACK_SECRET = SECRET
    track = TrackFactory(title="Sold While Down", price="1.99")
    api = client_with(key_for(UserFactory()))
    assert client.post(f"/api/v1/tracks/{track.pk}/purchase-click", HTTP_USER_AGENT=CHROME).status_code == 201
    click = PurchaseClick.objects.get(track=track)

    throwaway_redis.stop()

    codes = [post(client, payload(click, order_id=f"o-{n}")).status_code for n in range(3)]
    assert codes == [201, 201, 201]
    assert Sale.objects.filter(click__track=track).count() == 3
    listing = api.get("/api/v1/tracks")
    assert listing.status_code == 200 and "Sold While Down" in listing.text
    assert api.get(f"/api/v1/tracks/{track.pk}").status_code == 200
    vote = api.post("/api/v1/votes", {"target_type": "track", "target_id": track.pk, "vote": 1}, format="json")
    assert vote.status_code in (200, 201) and Vote.objects.filter(track=track).count() == 1


@pytest.fixture
def dies_on_save(throwaway_redis):
    """Kill the test's Redis the moment a row of `model` is about to be written: mid-request, after the
    request's own limit checks and page-cache reads have already talked to it."""
    from django.db.models.signals import pre_save

    def arm(model):
        def kill(sender, **kwargs):
            throwaway_redis.stop()

        pre_save.connect(kill, sender=model, weak=False, dispatch_uid="kill-redis")
        return model

    yield arm
    for model in (Vote, PurchaseClick):
        pre_save.disconnect(sender=model, dispatch_uid="kill-redis")


def test_redis_dying_in_the_middle_of_a_vote_still_records_it_and_answers(client, dies_on_save):
    track = TrackFactory()
    voter = UserFactory()
    client.force_login(voter)
    assert client.get("/").status_code == 200
    dies_on_save(Vote)
    vote = client.post(f"/votes/track/{track.pk}/", {"value": "1", "next": "/"})
    assert vote.status_code == 302
    assert Vote.objects.filter(voter=voter, track=track, value=1).count() == 1
    assert client.get(track.get_absolute_url()).status_code == 200  # and the next request is fine too


def test_redis_dying_in_the_middle_of_a_purchase_click_still_sends_the_buyer_on(client, dies_on_save):
    track = TrackFactory()
    dies_on_save(PurchaseClick)
    buy = client.post(f"/tracks/{track.pk}/buy/", HTTP_USER_AGENT=CHROME)
    assert buy.status_code == 303 and buy["Location"].startswith("https://suno.com/")
    assert PurchaseClick.objects.filter(track=track).count() == 1
