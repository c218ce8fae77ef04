"""One rule for query parameters (aimusicstore.params): a parameter sent is meant, so a value the schema does
not allow is a 400 naming it, never ignored; the schema states what is enforced, taken from the same source."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from marketplace.discovery.filters import TrackFilter
from tests.factories import TrackFactory
from tests.helpers import client_with

pytestmark = pytest.mark.django_db


def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


def query_parameters(document, method, path):
    return {p["name"]: p["schema"] for p in document["paths"][path][method].get("parameters", []) if p["in"] == "query"}


@pytest.mark.parametrize("path, query, field", [
    ("/api/v1/tracks", "bpm_min=", "bpm_min"),
    ("/api/v1/tracks", "price_max=", "price_max"),
    ("/api/v1/tracks", "sort=", "sort"),
    ("/api/v1/tracks", "duration=", "duration"),
    ("/api/v1/tracks", "genre=", "genre"),
    ("/api/v1/tracks", "bpm_min=0.5", "bpm_min"),  # a whole number, as the schema says: not rounded, not ignored
    ("/api/v1/tracks", "bpm_min=2000", "bpm_min"),
    ("/api/v1/tracks", "price_min=-1", "price_min"),
    ("/api/v1/discovery/discover", "bpm_max=", "bpm_max"),
    ("/api/v1/discovery/discover", "limit=", "limit"),
    ("/api/v1/me/tracks", "bpm_min=fast", "bpm_min"),
    ("/api/v1/me/notifications", "unread=", "unread"),
    ("/api/v1/me/notifications", "unread=null", "unread"),
    ("/api/v1/me/analytics", "days=", "days"),
    ("/api/v1/me/analytics", "days=1.5", "days"),
    ("/api/v1/tracks/{track}/reviews", "sort=", "sort"),
    ("/api/v1/tracks/{track}/reviews", "sort=loudest", "sort"),
])
def test_a_value_the_schema_does_not_allow_is_a_400_naming_the_parameter(api, path, query, field):
    track = TrackFactory()
    response = api.get(f"{path.format(track=track.pk)}?{query}")
    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == [field]


@pytest.mark.parametrize("path, query", [
    ("/api/v1/tracks", "q="),  # free text: empty matches everything
    ("/api/v1/tracks", "cursor="),  # starts paging by cursor
    ("/api/v1/tracks", "bpm_min=90&bpm_max=140&price_max=2.5&genre=electronic&sort=top"),
    ("/api/v1/me/notifications", "unread=true"),
    ("/api/v1/me/notifications", "unread=false"),
    ("/api/v1/tracks/{track}/reviews", "sort=newest"),
])
def test_what_the_schema_allows_is_answered(api, path, query):
    track = TrackFactory()
    response = api.get(f"{path.format(track=track.pk)}?{query}")
    assert response.status_code == 200, response.content


def test_the_filters_bounds_are_the_schemas():
    document = schema()
    parameters = query_parameters(document, "get", "/api/v1/tracks")
    for name in ("bpm_min", "bpm_max", "price_min", "price_max"):
        extra = TrackFilter.base_filters[name].extra
        assert (parameters[name]["minimum"], parameters[name]["maximum"]) == (extra["min_value"], extra["max_value"])
    assert parameters["bpm_min"]["type"] == "integer" and parameters["price_min"]["type"] == "number"
    assert parameters["q"]["maxLength"] == TrackFilter.base_filters["q"].extra["max_length"]
    assert parameters["duration"] == {"type": "string", "enum": ["short", "medium", "long"]}
    assert query_parameters(document, "get", "/api/v1/me/notifications")["unread"]["type"] == "boolean"
    assert query_parameters(document, "get", "/api/v1/me/analytics")["days"]["maximum"] == 365


def test_the_schema_says_which_operations_need_no_key_as_the_api_decides_it(anon):
    document = schema()
    open_ops = {(method, path) for path, operations in document["paths"].items()
                for method, operation in operations.items() if {} in operation.get("security", [])}
    assert {("get", "/api/v1/trending"), ("get", "/api/v1/tools"), ("get", "/api/v1/waitlist/count"),
            ("post", "/api/v1/waitlist"), ("get", "/api/v1/tracks")} <= open_ops
    assert not {("post", "/api/v1/votes"), ("get", "/api/v1/me/tracks"), ("post", "/api/v1/tracks")} & open_ops
    assert anon.get("/api/v1/trending").status_code == 200
    assert anon.get("/api/v1/me/tracks").status_code == 401


def test_a_key_is_needed_before_an_idempotency_key_is_looked_up(anon):
    """A keyless POST to an endpoint that needs a key is a 401, even with an Idempotency-Key that a keyless
    sign-up to the waitlist from the same address used a moment ago (no 409, no replay)."""
    headers = {"HTTP_IDEMPOTENCY_KEY": "same-key"}
    assert anon.post("/api/v1/waitlist", {"email": "a@example.test"}, format="json", **headers).status_code == 201
    first = anon.post("/api/v1/votes", {"target_id": 1, "target_type": "track", "vote": 1}, format="json", **headers)
    again = anon.post("/api/v1/votes", {"target_id": 2, "target_type": "track", "vote": 1}, format="json", **headers)
    assert first.status_code == again.status_code == 401 and "Idempotent-Replayed" not in again
    assert client_with("ams_not-a-key").post("/api/v1/votes", {"vote": 1}, format="json", **headers).status_code == 401


def test_refusals_before_the_api_reads_a_request_are_documented():
    """414 (request line over the web server's limit) on every operation, 413 (body over the bound) on every
    operation with a body: a fuzzer's 10 KB query gets the first, and the schema says so."""
    for path, operations in schema()["paths"].items():
        for method, operation in operations.items():
            assert "414" in operation["responses"], (method, path)
            if "requestBody" in operation:
                assert operation["responses"]["413"]["content"]["application/json"], (method, path)
