"""schemathesis drives every operation of our OpenAPI schema with generated requests, every check on.

The small version of `make schemathesis` (100 examples per operation, every phase, against `make
serve` with the real limits): the same checks (schemathesis' defaults, all of them) and the same
schemathesis.toml, at a few examples per operation, through the real WSGI app to PostgreSQL and
Redis with the limits lifted. Besides "no 5xx" and "every response as documented" (status, content
type, headers, body), that is: schema-valid requests are accepted and schema-invalid ones refused
(positive_data_acceptance, negative_data_rejection), a missing key is a 401 where one is needed and
not needed where the schema says so (ignored_auth, missing_required_header), undeclared methods are
405s with `Allow`. The stateful test follows the schema's links (create, then read, change, delete
what was made) for the checks that need a sequence (use_after_free, ensure_resource_availability).
"""

import json
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from accounts.models import ApiKey
from aimusicstore.schema import apply_store_lists
from marketplace.licensing.services import ensure_standard_licences
from marketplace.licensing.standard import STANDARD_LICENCES
from tests.factories import CreatorFactory, PlatformFactory, ToolFactory, TrackFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
UNLIMITED = {tier: {"read": "100000/min", "write": "100000/min", "vote": "100000/min"}
             for tier in ("anon", "starter", "pro", "enterprise")}
# The WSGI transport does not undo gzip (GZipMiddleware), so ask for bodies as they are.
IDENTITY = {"Accept-Encoding": "identity"}
PLATFORM = PlatformFactory.build()
# The staff key of each test (the `staff_key` fixture gives it this raw value): schemathesis sets it on the
# cases it generates, explicit examples included, which it builds while collecting, before any fixture ran.
STAFF_KEY = ApiKey.PREFIX + "schemathesis-conformance-staff-key"


def our_schema():
    """The document /api/v1/schema/ serves, from the same generator."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


class StaffKey:
    """The test's staff key, as an auth provider (so ignored_auth can try the operation without it)."""

    def get(self, case, context):
        return STAFF_KEY

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


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
    # No passwords (hashing one costs a second on a busy machine, for every operation's test).
    staff = UserFactory(is_staff=True, role="staff", password=None)
    other = CreatorFactory(password=None, payout_method=None)
    ensure_standard_licences()
    PlatformFactory()
    ToolFactory()
    TrackFactory.create_batch(3, creator=staff)
    TrackFactory.create_batch(2, creator=other)  # tracks the staff may vote on
    key, _ = ApiKey.issue(staff, "schemathesis")
    ApiKey.objects.filter(pk=key.pk).update(key_hash=ApiKey.hash(STAFF_KEY), prefix=STAFF_KEY[:len(ApiKey.PREFIX) + 6])
    return STAFF_KEY


def document_under_test():
    """The document /api/v1/schema/ serves for the data the tests make. Built while collecting, before there is
    a database, so the store's own lists (platforms, licences) come from that data: the Suno AI platform
    of PlatformFactory and the standard licences."""
    document = our_schema()
    apply_store_lists(document, [(PLATFORM.name, PLATFORM.slug)], [terms["code"] for terms in STANDARD_LICENCES])
    return document


schema = schemathesis.openapi.from_dict(document_under_test(),
                                        config=SchemathesisConfig.from_path(ROOT / "schemathesis.toml"))
schema.app = get_wsgi_application()
# Examples and fuzzing for each operation (the exhaustive boundary "coverage" phase takes minutes on 2 cores;
# the full run has it), stateful for the links.
schema.config.phases.update(phases=["examples", "fuzzing", "stateful"])
schema.auth()(StaffKey)


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_answers_as_its_schema_says(case, wsgi_app, staff_key):
    case.call_and_validate(headers=IDENTITY)  # every check (schemathesis.toml's allowances)


class Workflow(schema.as_state_machine()):
    def get_call_kwargs(self, case):
        return {"headers": IDENTITY}


def test_linked_operations_keep_their_promises(wsgi_app, staff_key):
    """Create → read → change → delete along the schema's links, every check after each step."""
    Workflow.run(settings=settings(max_examples=8, stateful_step_count=4, deadline=None,
                                   suppress_health_check=list(HealthCheck)))


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
