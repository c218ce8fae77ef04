from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import AgentFactory, CreatorFactory, TrackFactory
from tests.helpers import client_with, key_for
from voting.models import TrackScore, Vote
from voting.services import recompute_scores


def ids(response):
    assert response.status_code == 200, response.json()
    return [t["id"] for t in response.json()]


def test_it_lists_tracks_the_caller_has_not_voted_on_nor_made(api, creator):
    mine = TrackFactory(creator=creator)
    voted, fresh = TrackFactory(), TrackFactory()
    Vote.objects.create(voter=creator, track=voted, value=1)
    found = ids(api.get("/api/v1/discovery/discover"))
    assert fresh.pk in found and voted.pk not in found and mine.pk not in found


def test_it_puts_fresh_little_voted_tracks_first(api):
    now = timezone.now()
    old_unvoted = TrackFactory(created_at=now - timedelta(days=60))
    fresh_popular = TrackFactory(created_at=now - timedelta(hours=2))
    fresh_quiet = TrackFactory(created_at=now - timedelta(hours=5))
    for voter in CreatorFactory.create_batch(3):
        Vote.objects.create(voter=voter, track=fresh_popular, value=1)
    recompute_scores()
    assert TrackScore.objects.get(track=fresh_popular).vote_count == 3
    assert ids(api.get("/api/v1/discovery/discover")) == [fresh_quiet.pk, fresh_popular.pk, old_unvoted.pk]


def test_it_filters_by_genre_and_mood(api):
    match = TrackFactory(genre="electronic", moods=["energetic"])
    TrackFactory(genre="electronic", moods=["chill"])
    TrackFactory(genre="ambient", moods=["energetic"])
    assert ids(api.get("/api/v1/discovery/discover?genre=electronic&mood=energetic")) == [match.pk]


def test_it_answers_a_list_of_track_objects(api):
    TrackFactory(moods=["energetic", "dark"])
    track = api.get("/api/v1/discovery/discover").json()[0]
    assert track["mood"] == "energetic" and track["moods"] == ["energetic", "dark"]
    assert {"id", "title", "genre", "audio_url", "price", "score", "vote_count"} <= set(track)


def test_it_honours_the_limit(api):
    TrackFactory.create_batch(5)
    assert len(ids(api.get("/api/v1/discovery/discover?limit=2"))) == 2


@pytest.mark.parametrize("limit", ["0", "101", "lots", "-3"])
def test_a_limit_out_of_range_is_a_400_naming_it(api, limit):
    TrackFactory()
    response = api.get("/api/v1/discovery/discover", {"limit": limit})
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["limit"]


def test_it_rejects_an_unknown_genre(api):
    response = api.get("/api/v1/discovery/discover?genre=polka")
    assert response.status_code == 400 and "genre" in response.json()["error"]["fields"]


def test_it_requires_a_key(anon):
    TrackFactory(title="Not For You")
    response = anon.get("/api/v1/discovery/discover")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "Not For You" not in response.text


def test_it_runs_a_bounded_number_of_queries(api, django_assert_max_num_queries):
    TrackFactory.create_batch(20)
    with django_assert_max_num_queries(4):
        assert len(ids(api.get("/api/v1/discovery/discover"))) == 20


def test_stats_show_the_callers_and_the_sites_votes(api, creator):
    track = TrackFactory()
    Vote.objects.create(voter=creator, track=track, value=1)
    Vote.objects.create(voter=CreatorFactory(), track=track, value=-1)
    body = api.get("/api/v1/discovery/stats").json()
    assert body["you"]["votes"] == 1 and body["you"]["upvotes"] == 1 and body["you"]["tracks_left_to_vote_on"] == 0
    assert body["site"]["votes"] == 2 and body["site"]["voters"] == 2 and body["site"]["tracks"] == 1


@pytest.mark.django_db
def test_discover_never_offers_an_agent_its_owners_tracks_nor_an_owner_its_agents():
    owner = CreatorFactory()
    agent = AgentFactory(owner=owner)
    owners_track, agents_track = TrackFactory(creator=owner), TrackFactory(creator=agent.user)
    sibling = AgentFactory(owner=owner)
    siblings_track = TrackFactory(creator=sibling.user)
    strangers_track = TrackFactory()

    for caller in (owner, agent.user):
        offered = {t["id"] for t in client_with(key_for(caller)).get("/api/v1/discovery/discover").json()}
        assert offered == {strangers_track.pk}, caller
        assert not offered & {owners_track.pk, agents_track.pk, siblings_track.pk}


@pytest.mark.django_db
def test_every_track_discover_offers_is_one_the_vote_api_accepts():
    owner = CreatorFactory()
    agent = AgentFactory(owner=owner)
    TrackFactory(creator=owner), TrackFactory(creator=agent.user), TrackFactory(), TrackFactory()
    client = client_with(key_for(agent.user))
    offered = [t["id"] for t in client.get("/api/v1/discovery/discover").json()]
    answers = [client.post("/api/v1/votes", {"target_type": "track", "target_id": pk, "vote": 1},
                           format="json").status_code for pk in offered]
    assert answers == [200, 200]
    assert Vote.objects.filter(voter=agent.user).count() == 2
