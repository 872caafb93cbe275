"""The API's contract beyond its resources: documented error statuses, rate limits and Retry-After,
bodies nested too deep, JSON 404 everywhere under /api/, write answers matching the schema."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from pinghu.api.parsers import MAX_DEPTH, depth_of
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from tests.factories import (
    EnterpriseFactory,
    EnterpriseIssueFactory,
    LeaderFactory,
    ProjectFactory,
    SalonEventFactory,
    UserFactory,
)

# ---------------------------------------------------------------- every status in the schema


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("spectacular", stdout=out)
    return yaml.safe_load(out.getvalue())


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def test_every_operation_documents_the_errors_it_can_answer(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        assert {"400", "401", "403", "404", "429"} <= codes, (method, path, codes)
        if method in ("POST", "PUT", "PATCH"):
            assert "415" in codes, (method, path)
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        if "If-Match" in headers:
            assert "412" in codes, (method, path)
            assert ("428" in codes) == headers["If-Match"].get("required", False), (method, path)
        if "Idempotency-Key" in headers:
            assert "422" in codes, (method, path)


def test_conditional_writes_document_412_and_428(schema):
    for path in ("/api/v1/projects/{id}/", "/api/v1/visits/{id}/", "/api/v1/salon-events/{id}/"):
        assert {"412", "428"} <= set(schema["paths"][path]["patch"]["responses"])
    assert "412" in schema["paths"]["/api/v1/projects/{id}/transition/"]["post"]["responses"]


def test_every_error_has_the_error_shape_and_429_says_when_to_retry(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["detail"]["type"] == "string"
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code >= "400":
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (
                    method,
                    path,
                    code,
                )
        assert "Retry-After" in operation["responses"]["429"]["headers"]


# ---------------------------------------------------------------- rate limits


@pytest.mark.django_db
def test_read_only_tokens_get_the_higher_limit_and_write_tokens_the_default(settings, api_client):
    settings.PINGHU_API_RATE, settings.PINGHU_API_READ_RATE = "2/hour", "4/hour"
    user = UserFactory(username="bi", roles=[Role.API_CONSUMER])
    _read, read_key = api_token_issue(user=user, scope="read")
    _write, write_key = api_token_issue(user=UserFactory(roles=[Role.ADMIN]), scope="write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {read_key}")
    assert [api_client.get("/api/v1/clusters/").status_code for _ in range(5)] == [200] * 4 + [429]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {write_key}")
    assert [api_client.get("/api/v1/clusters/").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_the_defaults_are_2000_and_20000_an_hour():
    from django.conf import settings

    assert settings.PINGHU_API_RATE == "2000/hour" and settings.PINGHU_API_READ_RATE == "20000/hour"


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["read", "write"])
def test_every_429_carries_retry_after_in_whole_seconds(settings, api_client, scope):
    settings.PINGHU_API_RATE = settings.PINGHU_API_READ_RATE = "1/minute"
    _token, key = api_token_issue(user=UserFactory(roles=[Role.ADMIN]), scope=scope)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    api_client.get("/api/v1/projects/")
    for url in ("/api/v1/projects/", "/api/v1/stats/summary/", "/api/schema/"):
        response = api_client.get(url)
        if url == "/api/schema/":
            continue  # the schema itself is not throttled
        assert response.status_code == 429, url
        assert 1 <= int(response["Retry-After"]) <= 60
        assert "detail" in response.json()


@pytest.mark.django_db
def test_a_session_is_limited_per_user_too(settings, client):
    settings.PINGHU_API_RATE = "1/hour"
    client.force_login(UserFactory(roles=[Role.BUREAU_STAFF]))
    assert client.get("/api/v1/chains/").status_code == 200
    response = client.get("/api/v1/chains/")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1


# ---------------------------------------------------------------- bodies nested too deep


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_depth_is_measured_without_recursion():
    assert depth_of(json.loads(nested(5))) == 5
    assert depth_of({"a": [1, {"b": []}], "c": 2}) == 4
    assert depth_of(7) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("levels", [1000, MAX_DEPTH + 1])
@pytest.mark.parametrize(
    "method, url",
    [
        ("post", "/api/v1/visits/"),
        ("post", "/api/v1/projects/"),
        ("patch", "/api/v1/projects/{project}/"),
        ("post", "/api/v1/projects/{project}/transition/"),
        ("post", "/api/v1/salon-events/"),
        ("post", "/api/v1/enterprise-issues/{issue}/advance/"),
        ("post", "/api/v1/enterprise-metrics/"),
        ("post", "/api/v1/cadre-assignments/"),
    ],
)
def test_deeply_nested_json_is_a_400_on_every_write(write_client, method, url, levels):
    url = url.format(project=ProjectFactory().pk, issue=EnterpriseIssueFactory().pk)
    body = nested(levels) if levels > MAX_DEPTH + 1 else json.dumps({"notes": json.loads(nested(MAX_DEPTH))})
    response = getattr(write_client, method)(url, body, content_type="application/json", HTTP_IF_MATCH="*")
    assert response.status_code == 400, response.content
    assert str(MAX_DEPTH) in response.json()["detail"]


@pytest.mark.django_db
def test_deeply_nested_json_message_is_translated(write_client):
    response = write_client.post(
        "/api/v1/visits/", nested(1000), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == {"detail": f"The JSON body is nested more than {MAX_DEPTH} levels deep."}


# ---------------------------------------------------------------- JSON 404 under /api/


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects/abc/",
        "/api/v1/visits/1x/",
        "/api/v1/projects/abc/transition/",
        "/api/v1/no-such-resource/",
        "/api/v2/projects/",
        "/api/",
        "/api/v1/projects/999999/",
    ],
)
def test_every_api_path_answers_404_as_json(read_client, url):
    response = read_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。"}


@pytest.mark.django_db
def test_api_404_follows_the_request_language_and_pages_keep_their_page(read_client, admin_client):
    assert read_client.get("/api/v1/projects/abc/", HTTP_ACCEPT_LANGUAGE="en").json() == {"detail": "Not found."}
    page = admin_client.get("/projects/abc/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_api_404_is_json_under_debug_too_and_a_missing_slash_still_redirects(read_client, settings):
    # ``make run`` serves with DEBUG on, where Django answers its technical 404 page and never calls handler404.
    settings.DEBUG = True
    response = read_client.get("/api/v1/projects/abc/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
    assert read_client.get("/api/v1/no-such-list/").json() == {"detail": "未找到。"}
    redirect = read_client.get("/api/v1/projects")
    assert redirect.status_code == 301 and redirect["Location"] == "/api/v1/projects/"


# ---------------------------------------------------------------- write answers match the schema


@pytest.mark.django_db
def test_salon_create_and_update_answer_with_the_issue_count(write_client):
    body = {
        "date": "2023-06-01",
        "host": LeaderFactory().pk,
        "place": "经开区",
        "enterprises": [EnterpriseFactory().pk],
    }
    created = write_client.post("/api/v1/salon-events/", body, format="json")
    assert created.status_code == 201 and created.json()["issue_count"] == 0
    salon = SalonEventFactory()
    EnterpriseIssueFactory(salon=salon, channel="salon")
    EnterpriseIssueFactory(salon=salon, channel="salon")
    url = f"/api/v1/salon-events/{salon.pk}/"
    etag = write_client.get(url)["ETag"]
    updated = write_client.patch(url, {"place": "新仓镇"}, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200, updated.json()
    assert updated.json()["issue_count"] == 2 and updated.json()["place"] == "新仓镇"
    assert updated.json() == write_client.get(url).json()


@pytest.mark.django_db
def test_the_login_lockouts_429_says_when_to_retry_too(client):
    UserFactory(username="zhou", password="right-password")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "zhou", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"  # the lockout's cool-off, an hour
