"""The demo's last step: the scan as of the demo's end date writes reminders to a demo bureau account."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from notifications.models import Notification
from pinghu.permissions import Role
from projects.demo import delete_demo_data, generate_demo_data
from reminders.demo import DEMO_ACCOUNT

pytestmark = pytest.mark.django_db
END = datetime.date(2026, 6, 30)


def test_the_demo_ends_with_reminders_in_the_bureau_accounts_inbox_and_replace_removes_them():
    call_command("seed_pinghu", stdout=StringIO())
    counts = generate_demo_data(projects=80, visits=60, seed=1, end_date=END)
    account = get_user_model().objects.get(username=DEMO_ACCOUNT)
    assert account.groups.filter(name=Role.BUREAU_STAFF).exists() and not account.has_usable_password()
    inbox = Notification.objects.filter(recipient=account)
    assert counts.extra["reminders"] == inbox.count() > 0
    assert all(row.link.startswith("/") and row.key for row in inbox)
    delete_demo_data()
    assert not get_user_model().objects.filter(username=DEMO_ACCOUNT).exists()
    assert not Notification.objects.exists()
