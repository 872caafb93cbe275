"""What a signed-in user or a token reads stays private: no shared caching, a schema only for roles,
tokens that end with the password."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from pinghu.models import ApiToken
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
NO_STORE = "private, no-store"


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


# ---------------------------------------------------------------- Cache-Control and Vary


@pytest.mark.parametrize("url", ["/api/v1/projects/", "/api/v1/projects/{pk}/", "/api/v1/stats/summary/"])
def test_token_responses_are_private_and_vary_on_authorization(read_client, url):
    response = read_client.get(url.format(pk=ProjectFactory().pk))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE
    assert "Authorization" in response["Vary"]


def test_a_detail_keeps_its_etag(read_client):
    project = ProjectFactory()
    response = read_client.get(f"/api/v1/projects/{project.pk}/")
    assert response["ETag"] and response["Cache-Control"] == NO_STORE


def test_refusals_to_a_token_vary_on_authorization_too():
    response = bearer("ph_unknown").get("/api/v1/projects/")
    assert response.status_code == 401 and "Authorization" in response["Vary"]


@pytest.mark.parametrize("url", ["/", "/projects/", "/visits/", "/admin/"])
def test_signed_in_pages_are_private(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_exports_are_private(admin_client, export):
    ProjectFactory()
    response = admin_client.get("/api/v1/projects/", {"format": export})
    assert response.status_code == 200 and response["Cache-Control"] == NO_STORE


def test_explicit_cache_headers_are_kept_and_anonymous_pages_untouched(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]  # never_cache, as the view set it
    assert "max-age=0" in client.get("/accounts/login/")["Cache-Control"]  # the login view's own never_cache
    assert "Cache-Control" not in client.get("/api/v1/projects/")  # a refusal to an anonymous caller


# ---------------------------------------------------------------- the schema and its documentation


def test_a_user_without_a_role_may_not_read_the_schema_or_the_docs():
    client = APIClient()
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/api/schema/").status_code == 403
    assert client.get("/api/docs/").status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.API_CONSUMER])
def test_a_user_with_a_role_or_a_token_reads_them(role):
    client = APIClient()
    client.force_login(UserFactory(roles=[role]))
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    _token, key = api_token_issue(user=UserFactory(roles=[role]), scope="read")
    assert bearer(key).get("/api/schema/").status_code == 200


# ---------------------------------------------------------------- tokens end with the password


def tokens_of(user) -> tuple[str, str]:
    return api_token_issue(user=user, scope="read")[1], api_token_issue(user=user, scope="write")[1]


def test_a_password_changed_in_the_admin_revokes_the_users_tokens(admin_client):
    user = UserFactory(username="wang", roles=[Role.API_CONSUMER])
    keys = tokens_of(user)
    other = api_token_issue(user=UserFactory(roles=[Role.API_CONSUMER]), scope="read")[1]
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "Another-secret-123", "password2": "Another-secret-123", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert [bearer(key).get("/api/v1/chains/").status_code for key in keys] == [401, 401]
    assert bearer(other).get("/api/v1/chains/").status_code == 200
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0


def test_changepassword_revokes_them(monkeypatch):
    user = UserFactory(username="zhao", roles=[Role.API_CONSUMER])
    keys = tokens_of(user)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Another-secret-123")
    call_command("changepassword", "zhao", stdout=StringIO())
    assert [bearer(key).get("/api/v1/chains/").status_code for key in keys] == [401, 401]


def test_the_site_password_page_and_an_unusable_password_revoke_them():
    user = UserFactory(username="sun", password="Old-secret-123", roles=[Role.OFFICIAL])
    key = tokens_of(user)[0]
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "Old-secret-123",
            "new_password1": "Another-secret-123",
            "new_password2": "Another-secret-123",
        },
    )
    assert response.status_code == 302
    assert bearer(key).get("/api/v1/chains/").status_code == 401
    key = tokens_of(user)[0]
    user.set_unusable_password()
    user.save()
    assert bearer(key).get("/api/v1/chains/").status_code == 401


def test_other_saves_and_a_hash_upgrade_at_login_keep_them(settings):
    user = UserFactory(username="qian", password="Old-secret-123", roles=[Role.OFFICIAL])
    key = tokens_of(user)[0]
    user.first_name = "钱"
    user.save()
    # A stronger hasher makes Django re-hash the same password when it is next checked.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert Client().post("/accounts/login/", {"username": "qian", "password": "Old-secret-123"}).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_")
    assert bearer(key).get("/api/v1/chains/").status_code == 200
