"""Rough edges an agent developer found, each fixed once for page and API (issue: agents first-class)."""

import pytest
from django.db import connection

from accounts.models import ApiKey
from marketplace.models import Track
from tests.api.conftest import client_with, key_for
from tests.concurrency import at_once
from tests.factories import AgentFactory, CreatorFactory, PlatformFactory, TrackFactory, UserFactory
from voting.models import Vote

pytestmark = pytest.mark.django_db


# --- discover offers only what the caller may vote on ------------------------------------------

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


# --- editing a track's platform twice at once -------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_a_tracks_platform_all_answer_and_one_wins():
    PlatformFactory()
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com", "www.udio.com"])
    creator = CreatorFactory()
    raw = key_for(creator)
    track = TrackFactory(creator=creator)
    bodies = [{"platform": "udio", "purchase_url": "https://www.udio.com/songs/1"},
              {"platform": "suno-ai", "purchase_url": "https://suno.com/song/1"}] * 4

    results, errors = at_once(len(bodies), lambda i: client_with(raw).patch(
        f"/api/v1/tracks/{track.pk}", bodies[i], format="json").status_code,
        setup=iter(range(len(bodies))).__next__)

    assert not errors and results == [200] * len(bodies)
    track.refresh_from_db()
    assert (track.platform_id == udio.pk) == track.purchase_url.startswith("https://www.udio.com/")
    connection.close()


# --- vote limits in the headers ---------------------------------------------------------------

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


# --- passwords are never trimmed ----------------------------------------------------------------

def test_a_password_ending_in_spaces_logs_in_on_the_web_and_over_the_api(client):
    anon = client_with()
    password = "  correct horse battery staple  "
    assert anon.post("/api/v1/auth/register", {"email": "spaces@example.test", "password": password},
                     format="json").status_code == 201
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(email="spaces@example.test").update(verified=True)

    assert anon.post("/api/v1/auth/login", {"email": "spaces@example.test", "password": password},
                     format="json").status_code == 200
    assert anon.post("/api/v1/auth/login", {"email": "spaces@example.test", "password": password.strip()},
                     format="json").status_code != 200
    response = client.post("/accounts/login/", {"login": "spaces@example.test", "password": password})
    assert response.status_code == 302


def test_a_password_over_128_characters_is_refused_naming_the_field():
    """Spaces count: 127 letters and 3 spaces are 130 characters, not a trimmed 127."""
    response = client_with().post("/api/v1/auth/register",
                                  {"email": "long@example.test", "password": "x" * 127 + "   "}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]
    assert not UserFactory._meta.model.objects.filter(email="long@example.test").exists()


# --- the platform filter takes the name the API shows -----------------------------------------

@pytest.mark.parametrize("value", ["Suno AI", "suno-ai", "SUNO AI"])
def test_tracks_filter_by_the_platform_name_or_slug(value):
    PlatformFactory()
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com"])
    on_suno = TrackFactory()
    TrackFactory(platform=udio, purchase_url="https://udio.com/songs/2")
    response = client_with().get("/api/v1/tracks", {"platform": value})
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["tracks"]] == [on_suno.pk]


def test_an_unknown_platform_is_a_400_naming_the_filter():
    response = client_with().get("/api/v1/tracks", {"platform": "Napster"})
    assert response.status_code == 400 and "platform" in response.json()["error"]["fields"]


def test_browse_still_filters_by_the_platform_slug(client):
    PlatformFactory()
    udio = PlatformFactory(name="Udio", slug="udio", domains=["udio.com"])
    TrackFactory(title="On Suno")
    TrackFactory(title="On Udio", platform=udio, purchase_url="https://udio.com/songs/3")
    page = client.get("/browse/", {"platform": "udio"}).text
    assert "On Udio" in page and "On Suno" not in page


# --- paging parameters ---------------------------------------------------------------------------

@pytest.mark.parametrize("params, field", [
    ({"page": "abc"}, "page"), ({"page": "0"}, "page"), ({"per_page": "lots"}, "per_page"),
    ({"per_page": "0"}, "per_page"), ({"per_page": "101"}, "per_page"),
])
def test_an_invalid_paging_parameter_is_a_400_naming_it(params, field):
    TrackFactory()
    response = client_with().get("/api/v1/tracks", params)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_a_valid_page_size_is_honoured():
    TrackFactory.create_batch(3)
    body = client_with().get("/api/v1/tracks", {"per_page": "2", "page": "2"}).json()
    assert (len(body["tracks"]), body["page"], body["pages"], body["total"]) == (1, 2, 2, 3)
    assert Track.objects.count() == 3
