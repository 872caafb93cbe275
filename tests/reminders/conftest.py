"""Fixtures of the reminder tests: a fixed "today", the rules (made by the migration), people and a unit."""

import datetime

import pytest

from notifications.models import Notification
from pinghu.permissions import Role
from reminders.models import ReminderRule
from tests.factories import UserFactory
from units.models import Unit

TODAY = datetime.date(2024, 6, 14)


def days(n: int) -> datetime.date:
    """``TODAY`` plus ``n`` days (minus for the past)."""
    return TODAY + datetime.timedelta(days=n)


def keys_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def set_rule(kind: str, **values) -> ReminderRule:
    rule = ReminderRule.objects.get(kind=kind)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    return rule


@pytest.fixture
def official(db):
    return UserFactory(username="official", roles=[Role.OFFICIAL])


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", roles=[Role.BUREAU_STAFF])


@pytest.fixture
def unit(db):
    """平湖市商务局 with an active member and an inactive one."""
    unit = Unit.objects.create(name="平湖市商务局")
    unit.members.add(UserFactory(username="member"), UserFactory(username="gone", is_active=False))
    return unit
