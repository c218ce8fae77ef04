"""The Python client (clients/python) against a live test server: every call it offers, its status checks,
its Retry-After handling, and the brief's two agents rewritten on it (clients/python/examples)."""

import importlib.util
import io
import sys
import types
from contextlib import redirect_stdout

import pytest
from aimusicstore_client import ApiError, Client, RateLimited, SignatureError, sign, verify_signature
from django.core.cache import cache

from accounts import services as account_services
from marketplace.models import Track
from tests.clients.conftest import CLIENT
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory
from tests.helpers import key_for


@pytest.fixture
def catalogue(transactional_db):
    PlatformFactory()
    return [TrackFactory(title="Pulse", genre="electronic", moods=["energetic"]),
            TrackFactory(title="Drift", genre="ambient", moods=["chill"])]


def test_it_logs_in_and_reads_the_catalogue(live_server, catalogue):
    creator = CreatorFactory(email="maker@example.test")
    with Client(live_server.url) as store:
        assert store.login("maker@example.test", "correct-horse-42")["api_key"].startswith("ams_")
        page = store.tracks(genre="electronic")
        assert [t["title"] for t in page["tracks"]] == ["Pulse"] and page["total"] == 1
        assert [t["title"] for t in store.search("drift")["tracks"]] == ["Drift"]
        assert store.track(catalogue[0].pk)["price"] == "1.99"
        assert {t["title"] for t in store.iter_tracks(per_page=1)} == {"Pulse", "Drift"}
        assert store.top("weekly")["period"] == "weekly" and "tracks" in store.trending()
        assert {t["title"] for t in store.discover()} == {"Pulse", "Drift"}
        analytics = store.my_analytics(days=7)
        assert analytics["revenue"] == "0.00" and len(analytics["daily"]) == 7
        assert store.my_tracks()["tracks"] == []
    assert creator.api_keys.count() == 1


def test_it_uploads_votes_and_manages_webhooks(live_server, catalogue, settings):
    creator = CreatorFactory()
    with Client(live_server.url, key_for(creator)) as store:
        published = store.upload_track(title="Neon Horizon", genre="electronic", mood="energetic",
                                       platform="Suno AI", purchase_url="https://suno.com/song/1", price="1.99",
                                       audio_url="https://cdn1.suno.ai/1.mp3")
        assert Track.objects.get(pk=published["track_id"]).creator == creator
        result = store.vote(catalogue[0].pk, 1)
        assert (result["vote"], result["target_id"]) == (1, catalogue[0].pk)  # a new account weighs 0 yet
        settings.WEBHOOK_SCHEMES = ("https", "http")
        settings.WEBHOOK_ALLOWED_NETWORKS = ("127.0.0.0/8",)
        hook = store.create_webhook(f"{live_server.url}/hooks", ["track.published", "vote.received"])
        assert hook["secret"].startswith("whsec_")
        assert [w["id"] for w in store.webhooks()] == [hook["id"]]
        assert store.update_webhook(hook["id"], events=["review.posted"])["events"] == ["review.posted"]
        assert store.deliveries(hook["id"]) == []
        store.delete_webhook(hook["id"])
        assert store.webhooks() == []


def test_it_raises_the_apis_error_instead_of_returning_it(live_server, catalogue):
    owner = catalogue[0].creator
    with Client(live_server.url, key_for(owner)) as store:
        with pytest.raises(ApiError) as refused:
            store.vote(catalogue[0].pk, 1)
        assert (refused.value.status, refused.value.code) == (403, "self_vote")
        with pytest.raises(ApiError) as missing:
            store.track(999999)
        assert missing.value.status == 404
        with pytest.raises(ApiError) as invalid:
            store.create_webhook("http://127.0.0.1/x", ["track.published"])
        assert invalid.value.status == 400 and "url" in invalid.value.fields
    with Client(live_server.url) as anonymous, pytest.raises(ApiError) as unauthenticated:
        anonymous.my_analytics()
    assert unauthenticated.value.status == 401


def test_it_waits_as_retry_after_says_then_succeeds(live_server, catalogue, settings):
    settings.API_RATE_LIMITS = {tier: {"read": "2/min", "write": "2/min", "vote": "2/min"}
                                for tier in ("anon", "starter", "pro", "enterprise")}
    waits = []

    def sleep(seconds):
        """Stand in for the wait: note it, then let the minute pass (its windows expire) without waiting it out."""
        waits.append(seconds)
        cache.clear()

    with Client(live_server.url, key_for(CreatorFactory()), sleep=sleep) as store:
        answers = [store.tracks() for _ in range(3)]
    assert [a["total"] for a in answers] == [2, 2, 2]
    assert len(waits) == 1 and 1 <= waits[0] <= 60


def test_it_raises_rate_limited_once_its_retries_are_spent(live_server, catalogue, settings):
    settings.API_RATE_LIMITS = {tier: {"read": "1/min", "write": "1/min", "vote": "1/min"}
                                for tier in ("anon", "starter", "pro", "enterprise")}
    waits = []
    with Client(live_server.url, key_for(CreatorFactory()), max_retries=2, sleep=waits.append) as store:
        store.tracks()
        with pytest.raises(RateLimited) as limited:
            store.tracks()
    assert limited.value.status == 429 and 1 <= limited.value.retry_after <= 60
    assert len(waits) == 2 and all(1 <= wait <= 60 for wait in waits)


def test_the_signature_check_accepts_ours_and_refuses_replays():
    body = b'{"type":"track.published"}'
    header = sign("whsec_x", body, timestamp=1_700_000_000)
    assert verify_signature("whsec_x", body, header, now=1_700_000_100) == 1_700_000_000
    with pytest.raises(SignatureError, match="replay"):
        verify_signature("whsec_x", body, header, now=1_700_000_301)
    with pytest.raises(SignatureError):
        verify_signature("whsec_x", body, "v1=abc", now=1_700_000_000)


def load_example(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", CLIENT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_upload_bot_example_publishes_its_track(live_server, transactional_db, monkeypatch):
    PlatformFactory()
    creator = CreatorFactory()
    generator = types.ModuleType("ai_music_generator")  # the brief's hypothetical tool, outside our system
    generator.generate_track = lambda genre, mood, duration: types.SimpleNamespace(
        title="Neon Horizon", audio_data="SUQz", preview_url="https://cdn1.suno.ai/8f2c1d.mp3")
    monkeypatch.setitem(sys.modules, "ai_music_generator", generator)
    bot = load_example("upload_bot")
    monkeypatch.setattr(bot, "upload_to_suno", lambda audio: "https://suno.com/song/8f2c1d")  # Suno, outside
    monkeypatch.setenv("AIMUSICSTORE_URL", live_server.url)
    monkeypatch.setenv("AIMUSICSTORE_API_KEY", key_for(creator))
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert bot.main() == 0
    track = Track.objects.get(creator=creator)
    assert printed.getvalue().strip() == f"Track uploaded: {track.pk}"
    assert track.purchase_url == "https://suno.com/song/8f2c1d?affiliate=aimusicstore"


def test_the_voting_bot_example_votes_and_reports_what_it_skipped(live_server, transactional_db, monkeypatch, capsys):
    owner = CreatorFactory()
    _, _, agent_key = account_services.register_agent(owner, "Groove Scout", "Upvotes energetic electronic")
    TrackFactory(title="Pulse", genre="electronic", moods=["energetic"])
    TrackFactory(title="Own", genre="electronic", moods=["energetic"], creator=owner)  # never offered
    TrackFactory(title="Drift", genre="ambient", moods=["chill"])
    monkeypatch.setenv("AIMUSICSTORE_URL", live_server.url)
    monkeypatch.setenv("AIMUSICSTORE_API_KEY", agent_key)
    assert load_example("voting_bot").main() == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("Voted on Pulse (score now ")
