"""Spam controls on supply: uploads per hour and day by tier (429 with Retry-After on the API, a form
error on the page), and suspicious uploads held for review, seen only by their creator with the reason."""

import time
from datetime import timedelta

import pytest
import requests
from django.core import mail
from django.utils import timezone

from accounts import tiers
from accounts.models import User
from marketplace.catalogue import services
from marketplace.models import Track
from marketplace.supply.tasks import email_creator_track_held
from tests import media_files
from tests.api.test_brief_scripts import UPLOAD_BOT, outside_world, run  # noqa: F401  (outside_world: a fixture)
from tests.factories import AgentFactory, CreatorFactory, PlatformFactory, TrackFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db

# The brief's upload bot sends exactly this (its generator names every track "Neon Horizon").
UPLOAD_BOT_PAYLOAD = {
    "title": "Neon Horizon", "genre": "electronic", "mood": "energetic", "platform": "Suno AI",
    "audio_url": "https://cdn1.suno.ai/8f2c1d.mp3", "purchase_url": "https://suno.com/song/8f2c1d?affiliate=aimusicstore",
    "price": "1.99",
}


@pytest.fixture
def suno():
    return PlatformFactory()


def upload(api, **overrides):
    return api.post("/api/v1/tracks", {**UPLOAD_BOT_PAYLOAD, **overrides}, format="json")


@pytest.mark.usefixtures("outside_world")
def test_the_brief_upload_bot_run_50_times_in_a_minute_gets_its_tiers_limit_as_429_with_retry_after(
        live_server, transactional_db, monkeypatch, suno):
    agent = AgentFactory()
    key = key_for(agent.user)
    allowed = tiers.upload_rate_limits(agent.user.tier)[3600]
    answers, real_post = [], requests.post

    def post(url, *args, **kwargs):
        response = real_post(url, *args, **kwargs)
        if url.startswith(live_server.url):
            answers.append(response)
        return response

    monkeypatch.setattr(requests, "post", post)
    started = time.monotonic()
    for _ in range(50):
        try:
            run(UPLOAD_BOT, live_server.url, key, "AIMUSICSTORE_API_KEY")
        except KeyError:  # the bot reads `track_id` without looking at the status
            pass
    assert time.monotonic() - started < 60

    codes = [a.status_code for a in answers]
    assert codes == [201] * allowed + [429] * (50 - allowed)
    refused = answers[allowed]
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3601
    assert refused.json()["error"]["code"] == "upload_rate_limited"
    assert f"{allowed} tracks per hour" in refused.json()["error"]["message"]
    assert Track.objects.filter(creator=agent.user).count() == allowed
    # The first is live; the bot's repeats of one title ("Neon Horizon") wait for a moderator.
    statuses = list(Track.objects.filter(creator=agent.user).order_by("pk").values_list("status", flat=True))
    assert statuses == [Track.Status.PUBLISHED] + [Track.Status.PENDING] * (allowed - 1)


def test_the_daily_limit_counts_uploads_older_than_an_hour(suno):
    creator = CreatorFactory()
    day = tiers.upload_rate_limits("free")[86400]
    TrackFactory.create_batch(day, creator=creator, platform=suno, created_at=timezone.now() - timedelta(hours=3))
    User.objects.filter(pk=creator.pk).update(tier=User.Tier.PRO)  # past the free 30-day quota
    creator.refresh_from_db()
    pro_day = tiers.upload_rate_limits("pro")[86400]
    TrackFactory.create_batch(pro_day - day, creator=creator, platform=suno,
                              created_at=timezone.now() - timedelta(hours=2))
    response = upload(client_with(key_for(creator)), title="One Too Many")
    assert response.status_code == 429 and "per day" in response.json()["error"]["message"]
    assert 75000 < int(response["Retry-After"]) <= 86401


def test_the_upload_page_explains_the_hourly_limit_beside_the_form(client, signed_in, suno):
    creator = signed_in(CreatorFactory())
    TrackFactory.create_batch(tiers.upload_rate_limits("free")[3600], creator=creator, platform=suno)
    response = client.post("/dashboard/upload/", {
        "title": "Fresh", "genre": "electronic", "moods": ["chill"], "platform": suno.pk,
        "purchase_url": "https://suno.com/song/1", "price": "1.99", "preview_url": "https://cdn.example.test/p.mp3",
    })
    assert response.status_code == 200
    assert "tracks per hour on your Free plan" in response.text


@pytest.mark.parametrize(("title", "tags", "reason"), [
    ("Check out www.cheap-beats.com now", [], "link"),
    ("BEST LOFI HIP HOP BEATS EVER", [], "capitals"),
    ("Chill #lofi #study #sleep #relax", [], "hashtags"),
    ("lofi | chill | study | beats | relax | sleep", [], "keywords"),
    ("Quiet Piano", [f"tag{n}" for n in range(20)], "20 tags"),
])
def test_stuffed_titles_and_tags_are_held_for_review_with_the_reason(suno, title, tags, reason):
    track = services.publish_track(CreatorFactory(), {**_data(suno), "title": title, "tags": tags})
    assert track.status == Track.Status.PENDING and reason in track.review_reason


def test_a_preview_shorter_than_10_seconds_is_held(suno):
    track = services.publish_track(CreatorFactory(), {**_data(suno), "preview_url": "",
                                                      "preview_audio": media_files.preview(seconds=6)})
    assert track.status == Track.Status.PENDING and "preview is 6.0 s long" in track.review_reason


def test_ordinary_titles_go_live(suno):
    for title in ("Midnight Dreams", "DNA", "Lo-Fi Study, Vol. 2", "Rain / Snow"):
        assert services.publish_track(CreatorFactory(), {**_data(suno), "title": title}).status == "published"


def test_a_held_track_is_seen_only_by_its_creator_with_the_reason(client, signed_in, suno):
    creator = CreatorFactory()
    services.publish_track(creator, {**_data(suno), "title": "Twice"})
    held = services.publish_track(creator, {**_data(suno), "title": "twice"})
    assert held.status == Track.Status.PENDING

    assert client.get(held.get_absolute_url()).status_code == 404
    assert f"/tracks/{held.pk}/" not in client.get("/browse/").text
    assert client_with().get(f"/api/v1/tracks/{held.pk}").status_code == 404
    signed_in(creator)
    page = client.get(held.get_absolute_url())
    assert page.status_code == 200 and "Held for review" in page.text and "same title" in page.text
    assert "Held: you uploaded a track with the same title" in client.get("/dashboard/").text


def test_the_creator_is_emailed_once_when_a_track_is_held(suno, django_capture_on_commit_callbacks):
    agent = AgentFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        held = services.publish_track(agent.user, {**_data(suno), "title": "SPAM SPAM SPAM SPAM"})
    assert callbacks  # the email task is queued once the upload commits
    assert email_creator_track_held(held.pk) == 1 and email_creator_track_held(held.pk) == 0
    assert mail.outbox[0].to == [agent.owner.email]  # an agent's mail goes to its owner
    assert "held for review" in mail.outbox[0].subject and "capitals" in mail.outbox[0].body


def _data(platform):
    return {"title": "Quiet Piano", "genre": "electronic", "moods": ["chill"], "platform": platform,
            "purchase_url": "https://suno.com/song/1", "price": "1.99", "preview_url": "https://cdn.example.test/p.mp3"}

