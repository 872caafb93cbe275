"""The demo's last step: the scan as of the demo's end date writes reminders to a demo bureau account."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from notifications.models import Notification
from pinghu.permissions import Role
from projects.demo import delete_demo_data, generate_demo_data
from reminders.choices import RuleKind
from reminders.demo import DEMO_ACCOUNT, DEMO_OFFICIAL

pytestmark = pytest.mark.django_db
END = datetime.date(2026, 6, 30)


def test_the_demo_ends_with_reminders_in_the_demo_accounts_inboxes_and_replace_removes_them():
    call_command("seed_pinghu", stdout=StringIO())
    counts = generate_demo_data(projects=80, visits=60, seed=1, end_date=END)
    account = get_user_model().objects.get(username=DEMO_ACCOUNT)
    assert account.groups.filter(name=Role.BUREAU_STAFF).exists() and not account.has_usable_password()
    official = get_user_model().objects.get(username=DEMO_OFFICIAL)
    assert set(Notification.objects.filter(recipient=official).values_list("kind", flat=True)) == {
        RuleKind.FOLLOW_UP_DUE
    }
    assert Notification.objects.filter(recipient=official).count() == 3  # tomorrow, today, overdue
    reminders = Notification.objects.filter(kind__in=RuleKind.values)  # the notifications' own demo lines aside
    assert counts.extra["reminders"] == reminders.count() >= 3
    assert all(row.link.startswith("/") and row.key for row in reminders)
    delete_demo_data()
    assert not get_user_model().objects.filter(username__in=[DEMO_ACCOUNT, DEMO_OFFICIAL]).exists()
    assert not Notification.objects.exists()
