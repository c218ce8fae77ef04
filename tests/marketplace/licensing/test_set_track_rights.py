"""A creator sets a track's licence and AI credits on upload or edit (studio form and POST/PATCH /api/v1/tracks)."""

import pytest

from marketplace.licensing.models import Licence
from marketplace.models import Track
from tests.factories import PlatformFactory, ToolFactory, TrackFactory

pytestmark = pytest.mark.django_db

BRIEF_PAYLOAD = {  # the brief's upload bot, unchanged
    "title": "Neon Rush", "genre": "electronic", "mood": "energetic", "platform": "Suno AI",
    "audio_url": "https://cdn1.suno.ai/neon-rush.mp3",
    "purchase_url": "https://suno.com/song/neon-rush?affiliate=aimusicstore", "price": "1.99",
}


def test_the_upload_bot_gets_the_default_licence_and_no_credits(api):
    PlatformFactory()
    body = api.post("/api/v1/tracks", BRIEF_PAYLOAD, format="json").json()
    assert body["licence"]["code"] == "personal" and body["youtube_safe"] is False
    assert body["ai_credits"]["summary"] is None and body["ai_credits"]["vocals"] == "none"


def test_an_agent_posts_a_licence_and_credits(api):
    PlatformFactory()
    ToolFactory(name="Suno", slug="suno")
    response = api.post("/api/v1/tracks", {
        **BRIEF_PAYLOAD, "licence": "commercial", "youtube_safe": True, "licence_attestation": "paid Suno plan",
        "ai_credits": {"composition": "ai", "vocals": "ai", "model_version": "v4.5", "tool": "suno"},
    }, format="json")
    assert response.status_code == 201, response.json()
    track = Track.objects.get(pk=response.json()["track_id"])
    assert track.licence.code == "commercial" and track.youtube_safe and track.ai_summary == "ai-native"
    assert track.tool.name == "Suno" and track.ai_model_version == "v4.5"
    assert track.licence_attestation == "paid Suno plan"


@pytest.mark.parametrize("field, value", [
    ("licence", "free-for-all"),
    ("ai_credits", {"vocals": "robot"}),
    ("ai_credits", {"dance": "ai"}),
    ("ai_credits", ["ai"]),
    ("youtube_safe", "perhaps"),
])
def test_bad_rights_input_is_a_400_naming_the_field(api, field, value):
    PlatformFactory()
    response = api.post("/api/v1/tracks", {**BRIEF_PAYLOAD, field: value}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Track.objects.exists()


def test_the_owner_patches_the_licence(api, creator):
    track = TrackFactory(creator=creator)
    response = api.patch(f"/api/v1/tracks/{track.pk}", {"licence": "sync-broadcast",
                                                         "ai_credits": {"lyrics": "human"}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["licence"]["uses"]["sync"] is True
    assert response.json()["ai_credits"]["summary"] == "human-assisted"


def test_the_studio_form_sets_licence_and_credits(client, signed_in):
    creator = signed_in(TrackFactory().creator)
    track = Track.objects.get(creator=creator)
    response = client.post(f"/dashboard/tracks/{track.pk}/edit/", {
        "title": track.title, "genre": "electronic", "platform": track.platform_id,
        "purchase_url": track.purchase_url, "price": "1.99", "preview_url": track.preview_url,
        "licence": Licence.objects.get(code="creator").pk, "youtube_safe_attested": "on",
        "credit_composition": "ai", "credit_vocals": "human", "ai_model_version": "v4",
    })
    assert response.status_code == 302, response.context["form"].errors
    track.refresh_from_db()
    assert track.licence.code == "creator" and track.youtube_safe_attested
    assert track.ai_credits == {"composition": "ai", "vocals": "human"} and track.ai_summary == "human-assisted"
