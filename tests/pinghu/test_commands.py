"""The demo administrator made by ``make run``."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

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
