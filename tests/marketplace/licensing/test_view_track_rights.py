"""A buyer reads a track's rights: licence in plain words, badges, Buy dialog, JSON-LD and the API object."""

import json
import re

import pytest

from marketplace.licensing.models import Licence
from tests.factories import ToolFactory, TrackFactory
from tests.helpers import client_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def track():
    return TrackFactory(
        title="Neon Rights", licence=Licence.objects.get(code="creator"), youtube_safe_attested=True,
        licence_attestation="made on a paid Suno Pro plan", tool=ToolFactory(name="Suno"), ai_model_version="v4.5",
        ai_credits={"composition": "ai", "lyrics": "human", "vocals": "ai", "instrumentation": "ai",
                    "production": "mixed"},
        human_contribution="Lyrics by the artist.",
    )


def test_the_track_page_says_what_a_buyer_may_do(client, track):
    page = client.get(track.get_absolute_url()).content.decode()
    assert "Creator — online video, monetised" in page
    assert "Monetised online video" in page and "Not for advertising" in page
    assert "made on a paid Suno Pro plan" in page and "YouTube-safe" in page
    assert "Human-assisted" in page and "Lyrics by the artist." in page and "v4.5" in page
    assert "Content credentials (C2PA): none found" in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["license"] == "http://testserver/licences/creator/"


def test_cards_carry_short_badges(client, track):
    page = client.get("/browse/").content.decode()
    assert 'badge--licence' in page and ">Creator</span>" in page and ">Human-assisted</span>" in page


def test_the_buy_dialog_shows_the_licence_before_continue(client, track):
    page = client.get(f"/tracks/{track.pk}/buy/", HTTP_HX_REQUEST="true").content.decode()
    assert page.index("Licence:") < page.index("Continue to purchase")
    assert "YouTube-safe" in page and "Credit required" in page


def test_the_licence_page_lists_uses_in_plain_words(client):
    page = client.get("/licences/commercial/").content.decode()
    assert "Advertising" in page and "Resale or redistribution" in page
    assert client.get("/licences/nope/").status_code == 404


def test_the_api_track_object_has_the_rights_fields(track):
    answer = client_with().get(f"/api/v1/tracks/{track.pk}").json()
    assert answer["licence"] == {
        "code": "creator", "name": "Creator — online video, monetised",
        "uses": {"personal": True, "online_monetised": True, "advertising": False, "client_work": False,
                 "sync": False, "broadcast": False, "resale": False},
        "attribution_required": True, "url": "http://testserver/licences/creator/",
    }
    assert answer["youtube_safe"] is True
    assert answer["ai_credits"] == {"composition": "ai", "lyrics": "human", "vocals": "ai", "instrumentation": "ai",
                                    "production": "mixed", "tool": "Suno", "model_version": "v4.5",
                                    "human_contribution": "Lyrics by the artist.", "summary": "human-assisted"}
    assert answer["content_credentials"] == "absent"
