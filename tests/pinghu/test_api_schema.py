"""The OpenAPI contract: valid, complete, and honoured by the API under generated requests (schemathesis).

Two runs over every operation: one checks bodies and statuses with the default rate limits; one with a
rate limit low enough that most requests are throttled, so every 429 is checked against the schema too.
"""

from io import StringIO

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from pinghu.services import api_token_issue
from pinghu.wsgi import application
from tests.factories import InvestmentVisitFactory, LeaderFactory, ProjectFactory, SigningEventFactory, UserFactory


def test_schema_is_valid_without_warnings():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert all(op.get("summary") for op in operations), [
        op["operationId"] for op in operations if not op.get("summary")
    ]
    assert "bearerAuth" in schema["components"]["securitySchemes"]


def test_every_resource_is_documented():
    out = StringIO()
    call_command("spectacular", stdout=out)
    paths = yaml.safe_load(out.getvalue())["paths"]
    for resource in [
        "clusters",
        "chains",
        "chain-nodes",
        "leaders",
        "enterprises",
        "visits",
        "projects",
        "signing-events",
    ]:
        assert f"/api/v1/{resource}/" in paths and f"/api/v1/{resource}/{{id}}/" in paths
    for stat in ["summary", "by-chain", "pipeline", "monthly"]:
        assert f"/api/v1/stats/{stat}/" in paths
    assert "/api/v1/projects/{id}/transition/" in paths
    project_filters = {p["name"] for p in paths["/api/v1/projects/"]["get"]["parameters"]}
    assert {
        "chain",
        "stage",
        "signed_from",
        "min_investment",
        "updated_since",
        "search",
        "ordering",
        "cursor",
    } <= project_filters


def _generated_schema() -> dict:
    """The schema as /api/schema/ serves it (generated here: the endpoint needs a login)."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_generated_schema())
schema.app = application


@pytest.fixture
def keep_test_connection():
    """Calls go straight to the WSGI app, not through Django's test client, so do what the client does:
    keep Django from closing the test transaction's connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(db, keep_test_connection):
    user = UserFactory(username="schemathesis", is_staff=True, is_superuser=True)
    _token, key = api_token_issue(user=user, scope="write")
    project = ProjectFactory()
    InvestmentVisitFactory(leaders=[LeaderFactory()], chains=[project.chain], projects=[project])
    SigningEventFactory()
    return {"Authorization": f"Bearer {key}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors_and_responses_match_the_schema(case, token_header):
    case.call_and_validate(
        headers=token_header, checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
    )


# The same operations, generated without the coverage phase's hundreds of boundary cases per operation:
# once throttled every request is refused the same way, so a few examples each are enough.
throttled_schema = schemathesis.openapi.from_dict(_generated_schema())
throttled_schema.app = application
throttled_schema.config.phases.coverage.enabled = False


@pytest.fixture
def low_rate_limits(settings):
    """Two requests an hour per token: from the third example on, every operation answers 429."""
    settings.PINGHU_API_RATE = settings.PINGHU_API_READ_RATE = "2/hour"


@throttled_schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_with_the_throttle_on_every_status_answered_is_documented(case, token_header, low_rate_limits):
    case.call_and_validate(headers=token_header, checks=[not_a_server_error, status_code_conformance])
