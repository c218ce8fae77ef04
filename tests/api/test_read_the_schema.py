"""The OpenAPI document an agent developer reads: valid OpenAPI 3, every operation with examples, bounds and
enums as the API enforces them."""

import pytest
from openapi_spec_validator import validate

from tests.api.test_schema_conformance import our_schema
from tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    PlatformFactory()
    PlatformFactory(name="Udio", slug="udio", domains=["udio.com"])
    return our_schema()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_the_schema_is_valid_openapi(schema):
    validate(schema)  # raises on any violation of the OpenAPI 3 specification


def test_every_operation_has_an_example_request_and_response(schema):
    for method, path, operation in operations(schema):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            assert "example" in media or "examples" in media, (method, path, "request")
        bodies = [media for status, response in operation["responses"].items() if status.startswith("2")
                  for media in response.get("content", {}).values()]
        for media in bodies:
            assert "example" in media or "examples" in media, (method, path)


def test_every_request_example_is_one_its_own_schema_accepts(schema):
    # A tool that finds the documented example invalid draws one of its own (schemathesis did, for a blank
    # description: drf-spectacular's `oneOf` of "blank" and a pattern that admits blank too refused it).
    from openapi_schema_validator import OAS30Validator

    for method, path, operation in operations(schema):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            if "example" in media:
                root = {**media["schema"], "components": schema["components"]}
                errors = [error.message for error in OAS30Validator(root).iter_errors(media["example"])]
                assert not errors, (method, path, errors)


def test_bounds_and_enums_are_the_ones_enforced(schema):
    track_input = schema["components"]["schemas"]["TrackInputRequest"]["properties"]
    assert (track_input["bpm"]["minimum"], track_input["bpm"]["maximum"]) == (20, 300)
    assert {"Suno AI", "Udio", "suno-ai"} <= set(track_input["platform"]["enum"])
    tracks = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/tracks"]["get"]["parameters"]}
    assert tracks["duration"] == {"type": "string", "enum": ["short", "medium", "long"]}
    assert (tracks["per_page"]["minimum"], tracks["per_page"]["maximum"]) == (1, 100)
    assert "Suno AI" in tracks["platform"]["items"]["enum"]
    days = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/me/analytics"]["get"]["parameters"]}["days"]
    assert (days["minimum"], days["maximum"]) == (1, 365)


def test_the_postback_is_documented_fully(schema):
    postback = schema["paths"]["/api/v1/affiliate/postback"]["post"]
    assert {"200", "201", "202", "400", "403"} <= set(postback["responses"])
    assert postback["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Sale")
    signature = next(p for p in postback["parameters"] if p["name"] == "X-Signature")
    assert signature["in"] == "header" and signature["required"]
    assert "click_id" in schema["components"]["schemas"]["PostbackRequest"]["properties"]


def test_votes_and_reputation_answers_are_typed(schema):
    vote = schema["paths"]["/api/v1/votes"]["post"]["responses"]["200"]["content"]["application/json"]
    assert vote["schema"]["$ref"].endswith("/VoteAnswer")
    assert {"weight", "score", "vote_count"} <= set(schema["components"]["schemas"]["VoteAnswer"]["properties"])
    assert "events" in schema["components"]["schemas"]["Reputation"]["properties"]


def test_every_post_documents_idempotency_and_every_read_its_304(schema):
    for method, path, operation in operations(schema):
        if method == "post":
            assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"]), path
            assert "409" in operation["responses"], path
        if method == "get":
            assert "304" in operation["responses"], path
