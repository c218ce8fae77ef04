"""A keyed read of a stored catalogue answer (trending, the charts, the track list) is answered before
sessions, auth and DRF run (aimusicstore.apihit), and it is the answer the whole stack would give:
the same body and headers, the key checked and counted once, refusals as before."""

import pytest

from accounts.models import ApiKey
from accounts.services import revoke_key
from aimusicstore.apihit import ApiReadHitMiddleware
from aimusicstore.conditional import etag_of
from tests.factories import TrackFactory
from tests.helpers import client_with, key_for

pytestmark = pytest.mark.django_db

READS = ["/api/v1/trending", "/api/v1/tracks?genre=electronic", "/api/v1/top/weekly", "/api/v1/tools"]
# What differs from one answer to the next whoever gives it: the request's id, and the count left.
PER_RESPONSE = ("X-Request-ID", "X-RateLimit-Remaining", "RateLimit")


@pytest.fixture
def early(monkeypatch):
    """The paths the early middleware answered, in order."""
    answered, hit = [], ApiReadHitMiddleware.hit

    def recording(self, request):
        response = hit(self, request)
        if response is not None:
            answered.append(request.get_full_path())
        return response

    monkeypatch.setattr(ApiReadHitMiddleware, "hit", recording)
    return answered


def test_a_stored_read_answered_early_is_what_the_stack_would_answer(early, monkeypatch, creator):
    TrackFactory.create_batch(3, genre="electronic")
    api = client_with(key_for(creator, tier="pro"))
    for path in READS:
        assert api.get(path).status_code == 200  # the first call checks the new key in and stores the answer
    answers = {path: api.get(path) for path in READS}
    assert early == READS
    monkeypatch.setattr(ApiReadHitMiddleware, "hit", lambda self, request: None)
    for path in READS:
        late = api.get(path)
        assert answers[path].status_code == late.status_code == 200, path
        assert answers[path].content == late.content, path
        assert answers[path]["ETag"] == etag_of(late.content), path  # hashed when stored, the same as on the way out
        same = {name: value for name, value in late.items() if name not in PER_RESPONSE}
        assert {name: answers[path].get(name) for name in same} == same, path
        assert set(answers[path].headers) == set(late.headers), path
        assert int(late["X-RateLimit-Remaining"]) == int(answers[path]["X-RateLimit-Remaining"]) - len(READS), path


def test_every_call_is_counted_once_whichever_way_it_is_answered(early, settings, creator):
    settings.API_RATE_LIMITS = {tier: {"read": "4/min", "write": "4/min", "vote": "4/min"}
                                for tier in ("anon", "starter", "pro", "enterprise")}
    api = client_with(key_for(creator))
    answers = [api.get("/api/v1/trending") for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert [a["X-RateLimit-Remaining"] for a in answers] == ["3", "2", "1", "0", "0"]
    assert len(early) == 3  # the first call wrote the key's last use and stored the answer; the 429 is the stack's
    assert answers[-1].json()["error"]["code"] == "rate_limited" and int(answers[-1]["Retry-After"]) >= 1


def test_a_key_revoked_or_a_scope_missing_is_refused_as_before(early, creator):
    raw = key_for(creator, scopes=[])
    keyless = client_with(raw)
    for _ in range(2):
        refused = keyless.get("/api/v1/trending")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "scope_missing"
    api = client_with(key_for(creator))
    for _ in range(3):
        assert api.get("/api/v1/trending").status_code == 200
    revoke_key(creator, ApiKey.objects.filter(user=creator, scopes__len__gt=0).get().pk)
    gone = api.get("/api/v1/trending")
    assert gone.status_code == 401 and gone.json()["error"]["code"] == "authentication_failed"
    assert early == ["/api/v1/trending"] * 2  # the good key's second and third calls


def test_an_answer_not_json_or_not_keyed_goes_through_the_stack(early, creator, anon):
    api = client_with(key_for(creator))
    for _ in range(3):
        api.get("/api/v1/trending")
    early.clear()
    assert api.get("/api/v1/trending", HTTP_ACCEPT="text/html").status_code == 406
    assert anon.get("/api/v1/trending").status_code == 200
    assert client_with().get("/api/v1/trending", HTTP_AUTHORIZATION="Token abc").status_code == 401
    assert early == []
