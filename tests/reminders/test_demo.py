"""The demo's last step: the scan as of the demo's end date writes reminders to a demo bureau account."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from chains.demo import CHIEF_ACCOUNT_PREFIX
from notifications.models import Notification
from pinghu.permissions import Role
from projects.demo import delete_demo_data, generate_demo_data
from projects.demo_people import OFFICIAL_ACCOUNTS
from reminders.choices import RuleKind
from reminders.demo import DEMO_ACCOUNT

DEMO_OFFICIAL = OFFICIAL_ACCOUNTS[0]

pytestmark = pytest.mark.django_db
END = datetime.date(2026, 6, 30)


def test_the_demo_ends_with_reminders_in_the_demo_accounts_inboxes_and_replace_removes_them():
    call_command("seed_pinghu", stdout=StringIO())
    counts = generate_demo_data(projects=80, visits=60, seed=1, end_date=END)
    account = get_user_model().objects.get(username=DEMO_ACCOUNT)
    assert account.groups.filter(name=Role.BUREAU_STAFF).exists() and not account.has_usable_password()
    official = get_user_model().objects.get(username=DEMO_OFFICIAL)
    # Its follow-ups (tomorrow, today, overdue), and the stalled projects it is responsible for.
    assert Notification.objects.filter(recipient=official, kind=RuleKind.FOLLOW_UP_DUE).count() == 3
    assert Notification.objects.filter(recipient=official, kind=RuleKind.PROJECT_STALLED).exists()
    # The chain chiefs have logins, so the reminders of stalled projects reach them too.
    chiefs = get_user_model().objects.filter(username__startswith=CHIEF_ACCOUNT_PREFIX)
    assert chiefs.exists()
    assert Notification.objects.filter(recipient__in=chiefs, kind=RuleKind.PROJECT_STALLED).exists()
    # The scan's lines: the notifications' own demo lines aside, and the 交办 lines the demo's problems
    # wrote when they were handed to a unit (not the scan's).
    reminders = Notification.objects.filter(kind__in=RuleKind.values).exclude(kind=RuleKind.ISSUE_ASSIGNED)
    assert counts.extra["reminders"] == reminders.count() >= 3
    assert all(row.link.startswith("/") and row.key for row in reminders)
    delete_demo_data()
    assert not get_user_model().objects.filter(username__in=[DEMO_ACCOUNT, *OFFICIAL_ACCOUNTS]).exists()
    assert not chiefs.exists()
    assert not Notification.objects.exists()
