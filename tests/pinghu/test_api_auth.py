"""Who may call the API: the authentication and scope matrix, and the token command."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from pinghu.models import ApiToken
from pinghu.permissions import Role
from pinghu.services import api_token_issue, api_token_revoke
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db
LIST_URLS = [
    "/api/v1/clusters/",
    "/api/v1/chains/",
    "/api/v1/chain-nodes/",
    "/api/v1/leaders/",
    "/api/v1/enterprises/",
    "/api/v1/visits/",
    "/api/v1/projects/",
    "/api/v1/signing-events/",
    "/api/v1/stats/summary/",
    "/api/v1/stats/by-chain/",
    "/api/v1/stats/pipeline/",
    "/api/v1/stats/monthly/",
]


def project_body() -> dict:
    return {
        "name": "新项目",
        "chain": ChainFactory().code,
        "investor": EnterpriseFactory().pk,
        "total_investment": "10",
    }


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_is_refused_with_401(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_schema_and_docs_need_a_login_or_a_token(read_client):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/schema/").status_code == 401
    assert APIClient().get("/api/docs/").status_code == 401
    assert read_client.get("/api/schema/").status_code == 200
    docs = read_client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()  # served from the sidecar package, offline
    assert b"<script>" not in docs.content  # no inline script: the start-up code is a file
    assert read_client.get("/api/docs/", {"script": ""}).status_code == 200


@pytest.mark.parametrize("url", LIST_URLS)
def test_read_token_reads(read_client, url):
    assert read_client.get(url).status_code == 200


def test_read_only_token_can_never_write(read_client):
    from tests.factories import ProjectFactory

    response = read_client.post("/api/v1/projects/", project_body(), format="json")
    assert response.status_code == 403
    assert "只读" in response.json()["detail"]
    project = ProjectFactory()
    assert read_client.patch(f"/api/v1/projects/{project.pk}/", {"name": "x"}, format="json").status_code == 403
    transition = {"to_stage": "negotiating", "date": "2024-01-02"}
    assert read_client.post(f"/api/v1/projects/{project.pk}/transition/", transition).status_code == 403
    assert read_client.post("/api/v1/visits/", {}, format="json").status_code == 403
    project.refresh_from_db()
    assert project.name != "x" and project.stage == "lead"


def test_creating_leads_with_a_visit_needs_the_project_permission():
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_investmentvisit"))
    _token, key = api_token_issue(user=user, scope="write")
    chain = ChainFactory()
    body = {
        "date": "2024-03-02",
        "leaders": [LeaderFactory().pk],
        "host_unit": unit_named("经信局").pk,
        "enterprise": EnterpriseFactory().pk,
        "purpose": "走访",
    }
    assert bearer(key).post("/api/v1/visits/", body, format="json").status_code == 201
    lead = {"name": "线索", "chain": chain.code, "total_investment": "1"}
    response = bearer(key).post("/api/v1/visits/", body | {"new_projects": [lead]}, format="json")
    assert response.status_code == 403


def test_write_token_writes(write_client):
    assert write_client.post("/api/v1/projects/", project_body(), format="json").status_code == 201


def test_write_needs_model_permission(api_client):
    user = UserFactory(roles=[Role.API_CONSUMER])
    _token, key = api_token_issue(user=user, scope="write")
    assert bearer(key).get("/api/v1/projects/").status_code == 200
    assert bearer(key).post("/api/v1/projects/", project_body(), format="json").status_code == 403


def test_revoked_expired_and_unknown_tokens_get_401(superuser):
    token, key = api_token_issue(user=superuser, scope="write")
    assert bearer(key).get("/api/v1/projects/").status_code == 200
    api_token_revoke(token)
    assert bearer(key).get("/api/v1/projects/").status_code == 401
    token, key = api_token_issue(user=superuser, expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert bearer(key).get("/api/v1/projects/").status_code == 401
    assert bearer("ph_not-a-real-token").get("/api/v1/projects/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two words")
    assert client.get("/api/v1/projects/").status_code == 401


def test_token_of_inactive_user_gets_401():
    user = UserFactory(is_active=False)
    _token, key = api_token_issue(user=user)
    assert bearer(key).get("/api/v1/projects/").status_code == 401


def test_last_use_is_recorded(superuser):
    token, key = api_token_issue(user=superuser)
    assert token.last_used_at is None
    bearer(key).get("/api/v1/chains/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_is_stored(superuser):
    token, key = api_token_issue(user=superuser)
    assert key not in token.key_hash and len(token.key_hash) == 64
    assert token.prefix == key[:10]


def test_session_needs_csrf_to_write(superuser):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(superuser)
    assert client.get("/api/v1/projects/").status_code == 200
    response = client.post("/api/v1/projects/", project_body(), format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_issue_api_token_command(superuser):
    out, err = StringIO(), StringIO()
    call_command("issue_api_token", "root", "--read-only", "--expires-days", "30", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert key.startswith("ph_") and token.scope == "read"
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    assert "仅显示这一次" in err.getvalue()
    assert bearer(key).get("/api/v1/chains/").status_code == 200
    with pytest.raises(CommandError):
        call_command("issue_api_token", "nobody", stdout=StringIO(), stderr=StringIO())


def test_visit_write_with_write_token(write_client):
    body = {
        "date": "2024-03-02",
        "leaders": [LeaderFactory().pk],
        "host_unit": unit_named("经信局").pk,
        "enterprise": EnterpriseFactory().pk,
        "purpose": "走访",
    }
    response = write_client.post("/api/v1/visits/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["is_saturday"] is True and response.json()["recorded_by"] == "root"
