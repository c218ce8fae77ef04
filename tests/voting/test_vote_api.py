from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiKey
from marketplace.models import Track
from tests.factories import AgentFactory, ToolFactory, TrackFactory, UserFactory
from tests.helpers import client_with, key_for
from voting.models import TrackScore, Vote

pytestmark = pytest.mark.django_db


def bearer(user):
    _, raw = ApiKey.issue(user, "test key")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post_vote(client, user, **payload):
    return client.post("/api/v1/votes", payload, content_type="application/json", **bearer(user))


def test_an_agent_votes_and_sees_the_new_score(client, voter):
    track = TrackFactory()
    response = post_vote(client, voter, target_id=track.pk, target_type="track", vote=1)
    assert response.status_code == 200
    body = response.json()
    assert body["upvotes"] == 1 and body["vote"] == 1 and body["score"] == pytest.approx(body["weight"])
    assert TrackScore.objects.get(track=track).upvotes == 1


def test_it_votes_on_tools_and_withdraws_with_zero(client, voter):
    tool = ToolFactory()
    post_vote(client, voter, target_id=tool.pk, target_type="tool", vote=-1)
    response = post_vote(client, voter, target_id=tool.pk, target_type="tool", vote=0)
    assert response.status_code == 200 and response.json()["vote_count"] == 0
    assert not Vote.objects.exists()


def test_it_requires_a_key(client):
    track = TrackFactory()
    response = client.post("/api/v1/votes", {"target_id": track.pk, "target_type": "track", "vote": 1},
                           content_type="application/json")
    assert response.status_code == 401
    assert "error" in response.json()


def test_it_rejects_self_votes(client):
    track = TrackFactory()
    response = post_vote(client, track.creator, target_id=track.pk, target_type="track", vote=1)
    assert response.status_code == 403
    assert "cannot vote on your own" in response.json()["error"]["message"]
    assert not Vote.objects.exists()


def test_a_creators_agent_cannot_vote_on_its_owners_track(client):
    track = TrackFactory()
    agent = AgentFactory(owner=track.creator)
    response = post_vote(client, agent.user, target_id=track.pk, target_type="track", vote=1)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "self_vote"
    assert not Vote.objects.exists()
    assert TrackScore.objects.get(track=track).upvotes == 0


@pytest.mark.parametrize("payload, field", [
    ({"target_type": "track", "vote": 1}, "target_id"),
    ({"target_id": "abc", "target_type": "track", "vote": 1}, "target_id"),
    ({"target_id": 1, "target_type": "album", "vote": 1}, "target_type"),
    ({"target_id": 1, "target_type": "track", "vote": 5}, "vote"),
    ({"target_id": 1, "target_type": "track", "vote": "up"}, "vote"),
    ({"target_id": 1, "target_type": "track"}, "vote"),
])
def test_junk_payloads_get_a_json_error_naming_the_field(client, voter, payload, field):
    response = client.post("/api/v1/votes", payload, content_type="application/json", **bearer(voter))
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_vote_on_nothing_there_is_a_404_naming_the_target(client, voter):
    response = client.post("/api/v1/votes", {"target_id": 999999, "target_type": "track", "vote": 1},
                           content_type="application/json", **bearer(voter))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["fields"] == {"target_id": ["No track with this id."]}


@pytest.mark.parametrize("status", [Track.Status.PENDING, Track.Status.HIDDEN, Track.Status.REMOVED])
def test_a_vote_on_a_track_not_published_is_a_404_and_changes_nothing(client, voter, status):
    track = TrackFactory(status=status)
    response = client.post("/api/v1/votes", {"target_id": track.pk, "target_type": "track", "vote": 1},
                           content_type="application/json", **bearer(voter))
    assert response.status_code == 404
    assert response.json()["error"]["fields"] == {"target_id": ["No track with this id."]}
    assert not Vote.objects.filter(track=track).exists()


def test_malformed_json_is_a_400_not_a_500(client, voter):
    for body in ("{not json", "[1, 2]", '"vote"', ""):
        response = client.post("/api/v1/votes", body, content_type="application/json", **bearer(voter))
        assert response.status_code == 400
        assert response.json()["error"]["message"]


def test_a_fresh_agent_meets_429_with_retry_after(client):
    agent = AgentFactory()
    headers = bearer(agent.user)
    tracks = TrackFactory.create_batch(8)
    statuses = []
    for track in tracks:
        response = client.post("/api/v1/votes", {"target_id": track.pk, "target_type": "track", "vote": 1},
                               content_type="application/json", **headers)
        statuses.append(response.status_code)
    assert statuses[:5] == [200] * 5
    assert statuses[-1] == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "rate_limited"
    assert Vote.objects.filter(voter=agent.user).count() == 5


def test_the_vote_request_runs_a_constant_number_of_queries(client, voter, django_assert_num_queries):
    from voting.services import cast_vote, recompute_scores

    quiet, busy = TrackFactory(), TrackFactory()
    for _ in range(25):
        cast_vote(UserFactory(date_joined=timezone.now() - timedelta(days=60)), busy, 1)
    recompute_scores()
    headers = bearer(voter)
    client.post("/api/v1/votes", {"target_id": TrackFactory().pk, "target_type": "track", "vote": 1},
                content_type="application/json", **headers)  # the key's last_used write happens here
    # BEGIN, context (which finds the target too), the vote inserted and counted, COMMIT (the key is
    # remembered in Redis).
    with django_assert_num_queries(4) as queries:
        client.post("/api/v1/votes", {"target_id": quiet.pk, "target_type": "track", "vote": 1},
                    content_type="application/json", **headers)
    with django_assert_num_queries(len(queries)):
        client.post("/api/v1/votes", {"target_id": busy.pk, "target_type": "track", "vote": -1},
                    content_type="application/json", **headers)


def test_staff_read_a_users_reputation_events(client, voter):
    from voting.services import change_reputation

    staff = UserFactory(is_staff=True)
    change_reputation(voter, 2.5, "agreed with consensus", "test")
    response = client.get(f"/api/v1/admin/users/{voter.pk}/reputation", **bearer(staff))
    assert response.status_code == 200
    body = response.json()
    assert body["reputation"] == 2.5
    assert body["events"][0]["reason"] == "agreed with consensus" and body["events"][0]["source"] == "test"
    assert 0 < body["weight"] <= 2


def test_reputation_is_for_staff_keys_only(client, voter):
    response = client.get(f"/api/v1/admin/users/{voter.pk}/reputation", **bearer(voter))
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    anonymous = client.get(f"/api/v1/admin/users/{voter.pk}/reputation")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_authenticated"
    staff = UserFactory(is_staff=True)
    unknown = client.get("/api/v1/admin/users/999999/reputation", **bearer(staff))
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_the_vote_headers_count_down_the_voters_own_limit_and_a_429_says_it_once():
    voter = UserFactory()  # younger than a day: 5 votes a minute whatever the key allows
    client = client_with(key_for(voter, tier=ApiKey.Tier.ENTERPRISE))
    tracks = TrackFactory.create_batch(6)
    remaining = []
    for track in tracks[:5]:
        response = client.post("/api/v1/votes", {"target_type": "track", "target_id": track.pk, "vote": 1},
                               format="json")
        assert response.status_code == 200
        remaining.append(response["X-RateLimit-Remaining"])
        assert response["X-RateLimit-Limit"] == "5"
    refused = client.post("/api/v1/votes", {"target_type": "track", "target_id": tracks[5].pk, "vote": 1},
                          format="json")

    assert remaining == ["4", "3", "2", "1", "0"]
    assert refused.status_code == 429
    assert refused["X-RateLimit-Remaining"] == "0" and int(refused["Retry-After"]) >= 1
    message = refused.json()["error"]["message"]
    assert message.count("5 votes per 60 s") == 1 and message.lower().count("try again") + message.count(
        "Expected available") == 1
    assert Vote.objects.filter(voter=voter).count() == 5


@pytest.mark.django_db
def test_a_revoked_keys_calls_stop_counting_on_its_owners_vote_limit():
    from accounts.services import revoke_key

    voter = UserFactory()  # younger than a day: 5 votes a minute
    raw = key_for(voter, tier=ApiKey.Tier.ENTERPRISE)
    first, second = TrackFactory(), TrackFactory()
    vote = {"target_type": "track", "target_id": first.pk, "vote": 1}
    assert client_with(raw).post("/api/v1/votes", vote, format="json")["X-RateLimit-Remaining"] == "4"
    assert revoke_key(voter, ApiKey.objects.get(user=voter).pk)

    for _ in range(10):  # someone still holding the old key
        assert client_with(raw).post("/api/v1/votes", vote, format="json").status_code == 401

    fresh = client_with(key_for(voter, tier=ApiKey.Tier.ENTERPRISE))
    answer = fresh.post("/api/v1/votes", {**vote, "target_id": second.pk}, format="json")
    assert answer.status_code == 200
    # The first refused call had counted before its key's record was read again; the nine after it did not.
    assert answer["X-RateLimit-Remaining"] == "2"
