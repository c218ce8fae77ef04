"""An agent publishes a track over MCP: the upload rules of POST /api/v1/tracks, through publish_track."""

import pytest

from accounts.models import ApiKey
from marketplace.models import Track
from tests.factories import PlatformFactory
from tests.helpers import key_for
from tests.mcp.conftest import answer_of, error_of, mcp_session

pytestmark = pytest.mark.django_db(transaction=True)


def upload(**changes):
    return {"title": "Tidal Engine", "genre": "electronic", "mood": "energetic", "platform": "Suno AI",
            "audio_url": "https://cdn1.suno.ai/tidal-engine.mp3",
            "purchase_url": "https://suno.com/song/tidal-engine", "price": "2.49", **changes}


@pytest.fixture
def suno(transactional_db):
    return PlatformFactory()


def test_an_agent_publishes_a_track(live_server, creator, suno):
    with mcp_session(live_server, key_for(creator)) as call:
        created = answer_of(call(lambda s: s.call_tool("upload_track", upload())))
    track = Track.objects.get(pk=created["track_id"])
    assert (track.creator, track.title, str(track.price), track.platform) == (creator, "Tidal Engine", "2.49", suno)
    assert "affiliate=aimusicstore" in track.purchase_url  # tagged by publish_track, as for REST uploads
    assert created["title"] == "Tidal Engine" and created["mood"] == "energetic"


def test_bad_input_names_each_field(live_server, creator, suno):
    with mcp_session(live_server, key_for(creator)) as call:
        refused = error_of(call(lambda s: s.call_tool("upload_track", upload(price="0.10", genre="polka"))))
    assert set(refused["fields"]) == {"price", "genre"}
    assert not Track.objects.exists()


def test_uploading_needs_the_write_scope(live_server, creator, suno):
    raw = key_for(creator, scopes=[ApiKey.Scope.READ, ApiKey.Scope.VOTE])
    with mcp_session(live_server, raw) as call:
        refused = error_of(call(lambda s: s.call_tool("upload_track", upload())))
    assert refused["code"] == "scope_missing" and "'write' scope" in refused["message"]
    assert not Track.objects.exists()
