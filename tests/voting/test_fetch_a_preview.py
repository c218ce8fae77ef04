"""Issue 18: an agent's fetch of a preview through the API is its listening proof."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from tests.factories import TrackFactory
from voting.models import Listen, Vote

pytestmark = pytest.mark.django_db


def test_fetching_the_preview_through_the_api_gives_the_vote_its_full_weight(api, creator):
    User.objects.filter(pk=creator.pk).update(date_joined=timezone.now() - timedelta(days=90))
    heard, unheard = TrackFactory(), TrackFactory()
    body = api.get(f"/api/v1/tracks/{heard.pk}/preview").json()
    assert body["listened"] is True and body["audio_url"].startswith("http")
    assert Listen.objects.get(user=creator, track=heard).source == "api"
    for track in (heard, unheard):
        assert api.post("/api/v1/votes", {"target_id": track.pk, "target_type": "track", "vote": 1},
                        format="json").status_code == 200
    full, discounted = (Vote.objects.get(track=t) for t in (heard, unheard))
    assert full.listened and not discounted.listened
    assert discounted.weight == pytest.approx(full.weight / 4)


def test_an_unknown_track_is_a_404(api):
    response = api.get("/api/v1/tracks/987654/preview")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
