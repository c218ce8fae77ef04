"""schemathesis drives every operation of our OpenAPI schema with generated requests.

It fails on any 5xx and on any response that the schema does not describe (status code,
content type, headers, body). Requests go through the real WSGI app to PostgreSQL and Redis.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiKey
from tests.factories import PlatformFactory, ToolFactory, TrackFactory, UserFactory

UNLIMITED = {tier: {"read": "100000/min", "write": "100000/min", "vote": "100000/min"}
             for tier in ("anon", "starter", "pro", "enterprise")}


# What "no server error and no response that violates the schema" means, check by check.
# (Schema-valid requests that break a business rule, e.g. a duplicate agent name, are rightly
# refused with a documented 400, so schemathesis' positive-data heuristic is not among them.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def our_schema():
    """The document /api/v1/schema/ serves, from the same generator."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
# Generated examples only: the exhaustive boundary ("coverage") phase takes minutes on 2 cores.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture
def wsgi_app(db, settings):
    settings.API_RATE_LIMITS = UNLIMITED
    # As Django's test client does: the test's transaction must outlive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_key(db):
    staff = UserFactory(is_staff=True, role="staff")
    PlatformFactory()
    ToolFactory()
    TrackFactory.create_batch(3, creator=staff)
    TrackFactory.create_batch(2)
    return ApiKey.issue(staff, "schemathesis")[1]


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_answers_as_its_schema_says(case, wsgi_app, staff_key):
    # The WSGI transport does not undo gzip (GZipMiddleware), so ask for the body as it is.
    case.call_and_validate(headers={"Authorization": f"Bearer {staff_key}", "Accept-Encoding": "identity"},
                           checks=CHECKS)


def test_the_served_schema_is_the_one_tested(anon):
    served = anon.get("/api/v1/schema/?format=json")
    assert served.status_code == 200
    assert served.json()["paths"].keys() == our_schema()["paths"].keys()


CONTRACT_OPERATIONS = {
    ("get", "/api/v1/trending"), ("get", "/api/v1/top/{period}"), ("get", "/api/v1/tracks"),
    ("post", "/api/v1/tracks"), ("get", "/api/v1/tracks/{id}"), ("put", "/api/v1/tracks/{id}"),
    ("patch", "/api/v1/tracks/{id}"), ("delete", "/api/v1/tracks/{id}"), ("get", "/api/v1/tools"),
    ("get", "/api/v1/tools/{id}"), ("get", "/api/v1/waitlist/count"), ("post", "/api/v1/waitlist"),
    ("post", "/api/v1/auth/register"), ("post", "/api/v1/auth/login"), ("get", "/api/v1/me/tracks"),
    ("get", "/api/v1/me/analytics"), ("post", "/api/v1/agents/register"), ("get", "/api/v1/agents/me"),
    ("get", "/api/v1/discovery/discover"), ("get", "/api/v1/discovery/stats"),
    ("post", "/api/v1/tracks/{id}/purchase-click"), ("get", "/api/v1/admin/tracks"),
    ("delete", "/api/v1/admin/tracks/{id}"),
}


def test_the_schema_describes_every_contract_endpoint_with_its_errors():
    paths = our_schema()["paths"]
    documented = {(method, path) for path, operations in paths.items() for method in operations}
    assert CONTRACT_OPERATIONS <= documented
    for method, path in CONTRACT_OPERATIONS:
        responses = paths[path][method]["responses"]
        assert {"400", "401", "403", "404", "429"} <= set(responses), (method, path)
        assert responses["429"]["headers"]["Retry-After"]["required"]
