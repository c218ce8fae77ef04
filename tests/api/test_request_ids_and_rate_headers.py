"""Every API answer carries X-Request-Id (also in the error body) and the IETF RateLimit headers."""

import pytest

from tests.factories import TrackFactory, UserFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db

LIMITS = {tier: {"read": "7/min", "write": "3/min", "vote": "9/min"} for tier in ("anon", "starter", "pro",
                                                                                   "enterprise")}


def test_every_answer_has_a_request_id_and_an_error_quotes_it(anon):
    ok = anon.get("/api/v1/tools")
    assert len(ok["X-Request-Id"]) >= 8
    missing = anon.get("/api/v1/tracks/999999")
    assert missing.status_code == 404 and missing.json()["error"]["request_id"] == missing["X-Request-Id"]
    nowhere = anon.get("/api/v1/no-such-endpoint")
    assert nowhere.json()["error"]["request_id"] == nowhere["X-Request-Id"]


def test_a_request_id_the_caller_sends_is_kept(anon):
    response = anon.get("/api/v1/tracks/999999", HTTP_X_REQUEST_ID="agent-run-42-step-7")
    assert response["X-Request-Id"] == "agent-run-42-step-7"
    assert response.json()["error"]["request_id"] == "agent-run-42-step-7"


def test_answers_carry_the_ietf_ratelimit_headers(settings, creator):
    settings.API_RATE_LIMITS = LIMITS
    TrackFactory()
    api = client_with(key_for(creator))
    response = api.get("/api/v1/tracks")
    assert response["RateLimit-Policy"] == '"read";q=7;w=60'
    policy, remaining, reset = response["RateLimit"].split(";")
    assert policy == '"read"' and remaining == "r=6" and 0 <= int(reset[2:]) <= 60


def test_on_votes_they_describe_the_voters_own_limit_when_it_is_tighter(settings):
    settings.API_RATE_LIMITS = LIMITS
    fresh = UserFactory()  # a new account: 5 votes a minute, tighter than the key's 9
    track = TrackFactory()
    response = client_with(key_for(fresh)).post("/api/v1/votes", {"target_id": track.pk, "target_type": "track",
                                                                   "vote": 1}, format="json")
    assert response.status_code == 200
    assert response["RateLimit-Policy"] == '"voter";q=5;w=60' and response["RateLimit"].startswith('"voter";r=4;')
    assert response["X-RateLimit-Limit"] == "5" and response["X-RateLimit-Remaining"] == "4"
