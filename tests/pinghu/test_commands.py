"""The platform's commands: the demo administrator made by ``make run``, API tokens."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from pinghu.models import ApiToken

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = StringIO()
    call_command("create_demo_admin", stdout=out, **options)
    return out.getvalue()


def test_password_is_generated_and_printed_once(settings):
    settings.DEBUG = True
    first = run()
    password = first.split("密码：")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    second = run()
    assert password not in second and "已存在" in second
    assert get_user_model().objects.count() == 1


def test_two_runs_generate_different_passwords(settings):
    settings.DEBUG = True
    one = run(username="a").split("密码：")[1].split()[0]
    two = run(username="b").split("密码：")[1].split()[0]
    assert one != two and len(one) >= 12


def test_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        run()
    assert not get_user_model().objects.exists()


# --- issue_api_token ----------------------------------------------------------------------------


def issue(*args) -> tuple[str, ApiToken]:
    out, err = StringIO(), StringIO()
    call_command("issue_api_token", "root", *args, stdout=out, stderr=err)
    key = out.getvalue().strip()
    return key, ApiToken.objects.get(prefix=key[:10])


def test_issue_api_token_is_read_only_unless_write_is_asked(superuser):
    key, token = issue()
    assert token.scope == "read" and not token.can_write
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.post("/api/v1/visits/", {}, format="json").status_code == 403
    _key, token = issue("--write", "--expires-days", "30")
    assert token.scope == "write"
    assert token.expires_at.date() == (token.created_at + datetime.timedelta(days=30)).date()
    assert issue("--read-only")[1].scope == "read"
