"""The product brief's two agent scripts, run unchanged but for host and key against a live server.

Only what lies outside our system is stood in for: the hypothetical `ai_music_generator`
package and Suno's generate endpoint. Everything else is real HTTP to our server.
"""

import base64
import io
import sys
import types
from contextlib import redirect_stdout

import pytest
import requests
from requests.adapters import BaseAdapter

from accounts import services as account_services
from marketplace.models import Track
from tests.factories import CreatorFactory, PlatformFactory, TrackFactory
from tests.helpers import key_for

# Copied verbatim from the product brief ("Autonomous Upload Bot").
UPLOAD_BOT = '''
# Example: AI agent that creates and uploads music

import requests
from ai_music_generator import generate_track  # Hypothetical AI tool

# 1. Generate track with AI
track = generate_track(
    genre="electronic",
    mood="energetic",
    duration=180  # 3 minutes
)

# 2. Upload to Suno AI
suno_response = requests.post(
    "https://api.suno.ai/generate",
    json={"audio": track.audio_data},
    headers={"Authorization": "Bearer SUNO_API_KEY"}
)
track_url = suno_response.json()["track_url"]

# 3. Upload to aimusicstore
aimusicstore_response = requests.post(
    "https://aimusicstore.com/api/v1/tracks",
    json={
        "title": track.title,
        "genre": "electronic",
        "mood": "energetic",
        "platform": "Suno AI",
        "audio_url": track.preview_url,
        "purchase_url": f"{track_url}?affiliate=aimusicstore",
        "price": "1.99"
    },
    headers={"Authorization": "Bearer AIMUSICSTORE_API_KEY"}
)

print(f"Track uploaded: {aimusicstore_response.json()['track_id']}")
'''

# Copied verbatim from the product brief ("Autonomous Voting Bot").
VOTING_BOT = '''
# Example: AI agent that votes on tracks

import requests

API_KEY = "agent_api_key"

# 1. Discover tracks needing votes
tracks = requests.get(
    "https://aimusicstore.com/api/v1/discovery/discover",
    headers={"Authorization": f"Bearer {API_KEY}"}
).json()

# 2. Vote based on agent preferences
for track in tracks:
    if track["genre"] == "electronic" and track["mood"] == "energetic":
        response = requests.post(
            "https://aimusicstore.com/api/v1/votes",
            json={
                "target_id": track["id"],
                "target_type": "track",
                "vote": 1  # Upvote
            },
            headers={"Authorization": f"Bearer {API_KEY}"}
        )
        print(f"Voted on {track['title']}")
'''


class FakeSuno(BaseAdapter):
    """Suno's generate endpoint, outside our system: answers a song page on suno.com."""

    def send(self, request, **kwargs):
        response = requests.Response()
        response.status_code = 200
        response._content = b'{"track_url": "https://suno.com/song/8f2c1d"}'
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def outside_world(monkeypatch):
    generator = types.ModuleType("ai_music_generator")

    def generate_track(genre, mood, duration):
        return types.SimpleNamespace(
            title="Neon Horizon", audio_data=base64.b64encode(b"ID3 fake audio").decode(),
            preview_url="https://cdn1.suno.ai/8f2c1d.mp3",
        )

    generator.generate_track = generate_track
    monkeypatch.setitem(sys.modules, "ai_music_generator", generator)
    real_get_adapter = requests.Session.get_adapter

    def get_adapter(session, url):
        if url.startswith("https://api.suno.ai/"):
            return FakeSuno()
        return real_get_adapter(session, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)


def run(script, host, key, placeholder):
    output = io.StringIO()
    with redirect_stdout(output):
        exec(compile(script.replace("https://aimusicstore.com", host).replace(placeholder, key), "bot", "exec"), {})
    return output.getvalue()


def test_the_upload_bot_publishes_its_track(live_server, transactional_db, outside_world):
    PlatformFactory()
    creator = CreatorFactory()
    printed = run(UPLOAD_BOT, live_server.url, key_for(creator), "AIMUSICSTORE_API_KEY")
    track = Track.objects.get(creator=creator)
    assert printed.strip() == f"Track uploaded: {track.pk}"
    assert track.title == "Neon Horizon" and track.genre == "electronic" and track.moods == ["energetic"]
    assert track.platform.name == "Suno AI"
    assert track.purchase_url == "https://suno.com/song/8f2c1d?affiliate=aimusicstore"
    listed = requests.get(f"{live_server.url}/api/v1/tracks", timeout=10).json()
    assert [t["title"] for t in listed["tracks"]] == ["Neon Horizon"]


def test_the_voting_bot_upvotes_the_energetic_electronic_tracks(live_server, transactional_db):
    from voting.models import Vote

    owner = CreatorFactory()
    agent, _, agent_key = account_services.register_agent(owner, "Groove Scout", "Upvotes energetic electronic")
    liked = TrackFactory(title="Pulse", genre="electronic", moods=["energetic", "happy"])
    TrackFactory(title="Drift", genre="ambient", moods=["chill"])
    TrackFactory(title="Dusk", genre="electronic", moods=["dark", "energetic"])
    printed = run(VOTING_BOT, live_server.url, agent_key, "agent_api_key")
    assert printed.strip() == "Voted on Pulse"
    vote = Vote.objects.get(voter=agent.user)
    assert (vote.track, vote.value) == (liked, 1)
