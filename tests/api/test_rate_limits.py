import pytest
from django.core.cache import cache

from marketplace.models import WaitlistEntry
from tests.helpers import client_with, key_for

SMALL = {
    "anon": {"read": "3/min", "write": "2/min", "vote": "2/min"},
    "starter": {"read": "4/min", "write": "2/min", "vote": "2/min"},
    "pro": {"read": "8/min", "write": "4/min", "vote": "4/min"},
    "enterprise": {"read": "16/min", "write": "8/min", "vote": "8/min"},
}


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.API_RATE_LIMITS = SMALL


def test_it_answers_429_with_retry_after_once_a_key_is_over_its_limit(api):
    answers = [api.get("/api/v1/me/tracks") for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    over = answers[-1]
    assert 1 <= int(over["Retry-After"]) <= 60
    assert over.json()["error"]["code"] == "rate_limited"
    assert over["X-RateLimit-Limit"] == "4" and over["X-RateLimit-Remaining"] == "0"


def test_it_counts_down_in_the_headers(api):
    first, second = api.get("/api/v1/tracks"), api.get("/api/v1/tracks")
    assert (first["X-RateLimit-Limit"], first["X-RateLimit-Remaining"]) == ("4", "3")
    assert second["X-RateLimit-Remaining"] == "2"
    assert int(second["X-RateLimit-Reset"]) >= int(first["X-RateLimit-Reset"])


def test_it_counts_reads_and_writes_separately(api):
    for _ in range(4):
        api.get("/api/v1/tracks")
    over = api.get("/api/v1/tracks")
    assert over.status_code == 429 and over.json()["error"]["code"] == "rate_limited"
    write = api.post("/api/v1/waitlist", {"email": "a@example.test"}, format="json")
    assert write.status_code == 201
    assert write["X-RateLimit-Limit"] == "2" and write["X-RateLimit-Remaining"] == "1"
    assert WaitlistEntry.objects.filter(email="a@example.test").exists()


def test_a_higher_tier_gets_more(creator):
    pro = client_with(key_for(creator, tier="pro"))
    answers = [pro.get("/api/v1/tracks") for _ in range(9)]
    assert [a.status_code for a in answers] == [200] * 8 + [429]
    assert answers[0]["X-RateLimit-Limit"] == "8"


def test_each_key_has_its_own_allowance(creator):
    one, two = client_with(key_for(creator)), client_with(key_for(creator))
    for _ in range(4):
        one.get("/api/v1/tracks")
    assert one.get("/api/v1/tracks").status_code == 429
    fresh = two.get("/api/v1/tracks")
    assert fresh.status_code == 200 and fresh.headers["X-RateLimit-Remaining"] == "3"


def test_it_limits_anonymous_reads_by_address(anon):
    assert [anon.get("/api/v1/tools").status_code for _ in range(4)] == [200, 200, 200, 429]
    other_address = anon.get("/api/v1/tools", REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200
    assert (other_address["X-RateLimit-Limit"], other_address["X-RateLimit-Remaining"]) == ("3", "2")


def test_api_limits_count_under_the_cache_key_prefix(db, settings):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "anon": {"read": "2/min", "write": "2/min",
                                                                     "vote": "2/min"}}
    anon = client_with()
    original = cache.key_prefix
    try:
        cache.key_prefix = "another-store"
        assert [anon.get("/api/v1/tools").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        cache.key_prefix = original
    assert anon.get("/api/v1/tools")["X-RateLimit-Remaining"] == "1"
