"""`Idempotency-Key`: a retried POST is answered again, never done twice; another body under the key is a 409."""

import gzip
import json

import pytest

from marketplace.models import Track
from tests.factories import PlatformFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db

TRACK = {"title": "Neon Rush", "genre": "electronic", "mood": "energetic", "platform": "Suno AI",
         "audio_url": "https://cdn1.suno.ai/neon-rush.mp3", "purchase_url": "https://suno.com/song/neon-rush",
         "price": "1.99"}


def upload(api, body, key):
    return api.post("/api/v1/tracks", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_and_body_replay_the_first_answer_and_make_one_track(api):
    PlatformFactory()
    first = upload(api, TRACK, "upload-1")
    again = upload(api, TRACK, "upload-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert Track.objects.filter(title="Neon Rush").count() == 1


def test_the_same_key_with_another_body_is_a_409(api):
    PlatformFactory()
    assert upload(api, TRACK, "upload-2").status_code == 201
    response = upload(api, {**TRACK, "title": "Other Song"}, "upload-2")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert not Track.objects.filter(title="Other Song").exists()


def test_without_a_key_two_posts_make_two_tracks(api):
    PlatformFactory()
    assert api.post("/api/v1/tracks", TRACK, format="json").status_code == 201
    assert api.post("/api/v1/tracks", TRACK, format="json").status_code == 201
    assert Track.objects.filter(title="Neon Rush").count() == 2


def test_keys_are_kept_per_caller(creator):
    PlatformFactory()
    other = key_for(creator, name="second key")
    assert upload(client_with(key_for(creator)), TRACK, "shared").status_code == 201
    second = upload(client_with(other), TRACK, "shared")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Track.objects.filter(title="Neon Rush").count() == 2


def test_a_refusal_is_replayed_too_and_a_bad_key_is_a_400(api):
    first = api.post("/api/v1/votes", {"target_id": 999999, "target_type": "track", "vote": 1}, format="json",
                     HTTP_IDEMPOTENCY_KEY="vote-1")
    again = api.post("/api/v1/votes", {"target_id": 999999, "target_type": "track", "vote": 1}, format="json",
                     HTTP_IDEMPOTENCY_KEY="vote-1")
    assert first.status_code == again.status_code == 404 and again["Idempotent-Replayed"] == "true"  # no such track
    bad = api.post("/api/v1/waitlist", {"email": "a@example.test"}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert bad.status_code == 400 and "Idempotency-Key" in bad.json()["error"]["fields"]


def test_keys_are_kept_per_endpoint_so_a_signed_postback_is_judged_by_its_signature(api):
    """The same Idempotency-Key on another endpoint is another request, not a 409; and a postback (which takes
    no API key) is refused for its missing signature whatever the caller's key did with that Idempotency-Key."""
    headers = {"HTTP_IDEMPOTENCY_KEY": "shared"}
    assert api.post("/api/v1/playlists", {"title": "Mine"}, format="json", **headers).status_code == 201
    postback = api.post("/api/v1/affiliate/postback", {"order_id": "o-1", "amount": "1.99", "currency": "USD"},
                        format="json", **headers)
    assert postback.status_code == 403 and postback.json()["error"]["code"] == "bad_signature"


def test_a_replay_is_encoded_for_the_retry_that_asks_for_it(api):
    """The answer is kept as the view gave it; each retry gets it gzipped or not, as its Accept-Encoding asks."""
    PlatformFactory()
    first = api.post("/api/v1/tracks", TRACK, format="json", HTTP_IDEMPOTENCY_KEY="gz-1", HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 201 and first["Content-Encoding"] == "gzip"
    zipped = api.post("/api/v1/tracks", TRACK, format="json", HTTP_IDEMPOTENCY_KEY="gz-1", HTTP_ACCEPT_ENCODING="gzip")
    plain = api.post("/api/v1/tracks", TRACK, format="json", HTTP_IDEMPOTENCY_KEY="gz-1")
    assert zipped["Idempotent-Replayed"] == plain["Idempotent-Replayed"] == "true"
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert json.loads(gzip.decompress(zipped.content)) == plain.json() == json.loads(gzip.decompress(first.content))
