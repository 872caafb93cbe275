"""Production hardening: health check, login lockout, API throttling, deploy checks, headers, CSP, login walls."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from pinghu.api.throttling import TokenOrUserRateThrottle
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


# --- /healthz -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_anonymous_callers_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("pinghu.views.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


# --- login lockout (django-axes) ----------------------------------------------------------------


def _attempt(client, url, username, password):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_five_failed_logins_lock_the_user_name_at_that_address_for_an_hour(client, url):
    UserFactory(username="zhang", password="right-password", is_staff=True)
    UserFactory(username="li", password="right-password", is_staff=True)
    for _ in range(4):
        assert _attempt(client, url, "zhang", "wrong").status_code == 200  # the form again, with its error
    assert _attempt(client, url, "zhang", "wrong").status_code == 429  # the fifth failure locks
    locked = _attempt(client, url, "zhang", "right-password")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user name from the same address, and the same name from elsewhere, still log in.
    assert _attempt(client, url, "li", "right-password").status_code == 302
    other = Client().post(url, {"username": "zhang", "password": "right-password"}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_lock_lasts_an_hour(settings):
    from datetime import timedelta

    from axes.helpers import get_cool_off

    assert settings.AXES_FAILURE_LIMIT == 5
    assert get_cool_off() == timedelta(hours=1)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


# --- API throttling -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_token_has_its_own_request_budget(api_client, monkeypatch):
    monkeypatch.setattr(TokenOrUserRateThrottle, "rate", "3/hour", raising=False)
    monkeypatch.setattr(TokenOrUserRateThrottle, "num_requests", 3, raising=False)
    monkeypatch.setattr(TokenOrUserRateThrottle, "duration", 3600, raising=False)
    user = UserFactory(roles=[Role.API_CONSUMER])
    _first, first_key = api_token_issue(user=user, scope="read")
    _second, second_key = api_token_issue(user=user, scope="read")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {first_key}")
    assert [api_client.get("/api/v1/chains/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Retry-After" in api_client.get("/api/v1/chains/")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {second_key}")
    assert api_client.get("/api/v1/chains/").status_code == 200


# --- production settings ------------------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-enough-and-random-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "pinghu.example.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://pinghu.example.cn",
    "DJANGO_PROXY_COUNT": "1",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_production_settings_pass_the_deploy_check():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a server never has it.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= PRODUCTION_ENV
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(admin_client):
    response = admin_client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    # Inline style attributes only (ECharts' tooltips; tests/pinghu/test_csp.py): never inline scripts.
    assert [part.strip() for part in csp.split(";") if "unsafe-inline" in part] == ["style-src-attr 'unsafe-inline'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_cookie_is_http_only(client):
    UserFactory(username="wang", password="right-password")
    response = client.post("/accounts/login/", {"username": "wang", "password": "right-password"})
    assert response.cookies["sessionid"]["httponly"]


def test_templates_hold_no_inline_script_style_or_event_handler():
    offending = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        if inline_scripts or re.search(r"\son[a-z]+=|\sstyle=|<style", text):
            offending.append(str(template.relative_to(ROOT)))
    assert offending == []


# --- everything but the login page, /healthz and the static files needs a login ---------------

# Anonymous by design: logging in (site and admin), logging out, switching language on the
# login page, the health check.
OPEN = {"/accounts/login/", "/accounts/logout/", "/admin/login/", "/admin/logout/", "/i18n/setlang/", "/healthz"}
# The installable app's manifest (browsers fetch it without cookies) and service worker: code and icons, no data.
OPEN |= {"/manifest.webmanifest", "/sw.js"}


def _sample_paths(patterns, prefix=""):
    """One concrete path per URL pattern, with a sample value for every parameter."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _sample_paths(pattern.url_patterns, prefix + _sample(str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            yield prefix + _sample(str(pattern.pattern))


def _sample(route: str) -> str:
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)  # regex groups
    route = re.sub(r"<(?:int:)?(\w+)>", "1", route)  # path converters
    route = re.sub(r"<\w+:(\w+)>", "x", route)
    route = route.replace("^", "").replace("$", "").replace("\\", "").replace("\\Z", "")
    return route.replace("?", "")


@pytest.mark.django_db
def test_every_url_refuses_or_redirects_anonymous_callers():
    client = Client()
    paths = sorted({"/" + path for path in _sample_paths(get_resolver().url_patterns)})
    assert len(paths) > 50
    let_through = []
    for path in paths:
        if path in OPEN:
            continue
        response = client.get(path)
        location = response.get("Location", "")
        refused = response.status_code in (401, 403, 405)
        to_login = response.status_code == 302 and ("/accounts/login/" in location or "/admin/login/" in location)
        if not (refused or to_login):
            let_through.append((path, response.status_code, location))
    assert let_through == [], "\n".join(map(str, let_through))
