"""The immediate message when a problem is handed to a unit (交办), on the ``issue.status_changed`` event.

The services announce the event (``pinghu.events.emit``); here it is emitted by hand, as they will.
"""

import datetime

import pytest

from aftercare.choices import IssueStatus
from notifications.models import Notification
from pinghu.events import ISSUE_STATUS_CHANGED, PROJECT_UPDATED, emit
from reminders.choices import RuleKind
from tests.factories import EnterpriseIssueFactory, ProjectFactory

from .conftest import set_rule

pytestmark = pytest.mark.django_db


def assigned(unit_text="平湖市商务局 "):
    return EnterpriseIssueFactory(
        status=IssueStatus.ASSIGNED,
        received_on=datetime.date(2024, 6, 1),
        assigned_on=datetime.date(2024, 6, 3),
        assigned_unit=unit_text,
        due_date=datetime.date(2024, 6, 20),
    )


def handed_on(issue):
    return emit(ISSUE_STATUS_CHANGED, issue, **{"from": IssueStatus.RECEIVED, "to": IssueStatus.ASSIGNED})


def test_the_units_active_members_are_told_at_once_and_once(unit, staff):
    issue = assigned()
    handed_on(issue)
    handed_on(issue)  # the same change announced again (a retried delivery)
    rows = list(Notification.objects.all())
    assert [row.recipient.username for row in rows] == ["member"]
    row = rows[0]
    assert row.kind == RuleKind.ISSUE_ASSIGNED
    assert row.title == f"{issue.enterprise.name}的诉求已交办给平湖市商务局"
    assert row.body == "用地指标不足（2024-06-20到期）"
    assert row.link == f"/issues/{issue.pk}/"
    assert row.target == issue


def test_other_moves_events_and_unknown_units_tell_no_one(unit):
    issue = assigned()
    emit(ISSUE_STATUS_CHANGED, issue, **{"from": IssueStatus.ASSIGNED, "to": IssueStatus.RESOLVED})
    emit(PROJECT_UPDATED, ProjectFactory())
    handed_on(assigned(unit_text="没有这个单位"))
    assert not Notification.objects.exists()


def test_nothing_when_the_rule_is_disabled(unit):
    set_rule(RuleKind.ISSUE_ASSIGNED, enabled=False)
    handed_on(assigned())
    assert not Notification.objects.exists()
