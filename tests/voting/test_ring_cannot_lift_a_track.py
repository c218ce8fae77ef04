"""Issue 18: fresh, verified accounts that each really play the preview and vote on the website
cannot lift a low track of the demo store into the trending top 10."""

import io
import time

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import UserFactory
from voting import detection, rankings
from voting.models import Listen, TrackScore, Vote
from voting.services import recompute_scores

pytestmark = pytest.mark.django_db

RING = 12


def test_fresh_verified_listeners_voting_on_the_web_cannot_lift_a_low_track_into_trending(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    recompute_scores()
    trending = [t.pk for t in rankings.trending_tracks(64)]
    low = trending[-1]  # the demo store's lowest trending track
    before = TrackScore.objects.get(track_id=low)

    ring = []
    for _ in range(RING):  # verified email, signed up a moment ago
        client = Client()
        client.force_login(UserFactory())
        ring.append(client)
    play = f"/listen/tracks/{low}/play/"
    for client in ring:  # the player's first report after 5 s of listening
        assert client.post(play, {"seconds": "5"}).json() == {"counted": True, "listened": False}
    time.sleep(5.2)  # the listening proof costs real time: the server's clock bounds the claim
    for client in ring:
        assert client.post(play, {"seconds": "10"}).json()["listened"] is True
        voted = client.post(f"/votes/track/{low}/", {"value": "1"}, HTTP_HX_REQUEST="true")
        assert voted.status_code == 200 and b"vote-buttons__error" not in voted.content

    votes = Vote.objects.filter(track_id=low, value=1, voter__in=[c.session["_auth_user_id"] for c in ring])
    assert votes.count() == RING and all(v.listened for v in votes)  # stored, and shown to each voter
    assert Listen.objects.filter(track_id=low, seconds__gte=10).count() == RING
    after = TrackScore.objects.get(track_id=low)
    assert after.trending_at_epoch == pytest.approx(before.trending_at_epoch)  # weight 0 until trust is earned
    assert after.upvotes == before.upvotes  # and out of the public count

    detection.detect_abuse()
    recompute_scores()
    assert low not in [t.pk for t in rankings.trending_tracks(10)]
    assert Vote.objects.filter(track_id=low, status=Vote.Status.SUSPECTED).count() == RING  # flagged for review


def test_a_claimed_listen_is_bounded_by_the_servers_clock(client):
    from tests.factories import TrackFactory

    track = TrackFactory()
    client.force_login(UserFactory())
    play = f"/listen/tracks/{track.pk}/play/"
    assert client.post(play, {"seconds": "30"}).json()["listened"] is False  # a first report counts ≤ 5 s
    assert client.post(play, {"seconds": "30"}).json()["listened"] is False  # no time has passed
    assert client.post(play, {"seconds": "nonsense"}).json() == {"counted": False}
