from decimal import Decimal

from marketplace.models import Track
from tests.factories import PlatformFactory

BRIEF_PAYLOAD = {
    "title": "Neon Rush",
    "genre": "electronic",
    "mood": "energetic",
    "platform": "Suno AI",
    "audio_url": "https://cdn1.suno.ai/neon-rush.mp3",
    "purchase_url": "https://suno.com/song/neon-rush?affiliate=aimusicstore",
    "price": "1.99",
}


def test_it_publishes_the_upload_bots_payload(api, creator):
    PlatformFactory()
    response = api.post("/api/v1/tracks", BRIEF_PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    track = Track.objects.get(pk=body["track_id"])
    assert track.creator == creator
    assert track.status == Track.Status.PUBLISHED
    assert track.moods == ["energetic"] and track.price == Decimal("1.99")
    assert body["mood"] == "energetic" and body["price"] == "1.99" and body["platform"] == "Suno AI"
    assert body["audio_url"] == "https://cdn1.suno.ai/neon-rush.mp3"
    assert api.get("/api/v1/tracks").json()["tracks"][0]["id"] == track.pk


def test_it_matches_the_platform_by_slug_in_any_case(api):
    PlatformFactory()
    response = api.post("/api/v1/tracks", {**BRIEF_PAYLOAD, "platform": "SUNO-AI"}, format="json")
    assert response.status_code == 201


def test_it_names_each_bad_field(api):
    PlatformFactory()
    payload = {**BRIEF_PAYLOAD, "purchase_url": "https://evil.example/song", "audio_url": "http://cdn.test/a.mp3",
               "price": "0.10", "bpm": 900, "genre": "polka"}
    response = api.post("/api/v1/tracks", payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) >= {"audio_url", "price", "bpm", "genre"}
    assert Track.objects.count() == 0


def test_it_rejects_a_purchase_url_off_the_platforms_domain(api):
    PlatformFactory()
    response = api.post("/api/v1/tracks", {**BRIEF_PAYLOAD, "purchase_url": "https://evil.example/x"}, format="json")
    assert response.status_code == 400
    assert "suno.com" in response.json()["error"]["fields"]["purchase_url"][0]


def test_it_rejects_an_unknown_platform(api):
    PlatformFactory()
    response = api.post("/api/v1/tracks", {**BRIEF_PAYLOAD, "platform": "Napster"}, format="json")
    assert response.status_code == 400
    assert "Suno AI" in response.json()["error"]["fields"]["platform"][0]


def test_it_requires_a_key(anon):
    PlatformFactory()
    response = anon.post("/api/v1/tracks", BRIEF_PAYLOAD, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_answers_malformed_json_with_the_error_shape(api):
    response = api.generic("POST", "/api/v1/tracks", '{"title": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
