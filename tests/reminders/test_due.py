"""Due dates as of a fixed today (2024-06-14): follow-ups, visits' follow-up dates and problems.

Defaults: follow-ups the day before, on the day and when overdue (again every 7 days); problems 2 days
ahead and when overdue, to the unit's members and bureau staff.
"""

import pytest

from aftercare.choices import IssueStatus
from notifications.models import Notification
from projects.choices import ProjectStage
from reminders.choices import RuleKind
from reminders.scan import run_scan
from tests.factories import (
    EnterpriseFactory,
    EnterpriseIssueFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    ProjectFactory,
    UserFactory,
)

from .conftest import TODAY, days, keys_of, set_rule

pytestmark = pytest.mark.django_db


def follow_up(author, due, **project):
    """A follow-up of its own project (a later follow-up of the same project would settle it)."""
    return FollowUpFactory(project=ProjectFactory(**project), author=author, date=days(-30), due_date=due)


def test_follow_ups_due_tomorrow_today_and_overdue_are_reminded_to_their_author(official):
    tomorrow, today, late = follow_up(official, days(1)), follow_up(official, TODAY), follow_up(official, days(-1))
    follow_up(official, days(2))  # not yet: one day ahead only
    follow_up(official, None)
    result = run_scan(TODAY)
    assert result[RuleKind.FOLLOW_UP_DUE] == {"found": 3, "written": 3}
    assert keys_of(official) == sorted(
        [
            f"follow_up:{tomorrow.pk}:soon:2024-06-15",
            f"follow_up:{today.pk}:today:2024-06-14",
            f"follow_up:{late.pk}:overdue:2024-06-13:0",
        ]
    )
    row = Notification.objects.get(key=f"follow_up:{tomorrow.pk}:soon:2024-06-15")
    assert row.title == f"项目「{tomorrow.project.name}」的跟进明天到期"
    assert row.link == f"/projects/{tomorrow.project_id}/"
    assert row.target == tomorrow


def test_the_projects_responsible_official_is_reminded_too_each_once(official):
    other = UserFactory(username="responsible")
    row = follow_up(official, days(1), responsible_official=other)
    mine = follow_up(official, days(1), responsible_official=official)
    run_scan(TODAY)
    assert keys_of(other) == [f"follow_up:{row.pk}:soon:2024-06-15"]
    assert Notification.objects.filter(key=f"follow_up:{mine.pk}:soon:2024-06-15").count() == 1


def test_overdue_is_said_again_every_seven_days(official):
    row = follow_up(official, days(-1))
    for day in range(7):  # 1 to 7 days late: the first reminder only
        run_scan(days(day))
    assert keys_of(official) == [f"follow_up:{row.pk}:overdue:2024-06-13:0"]
    run_scan(days(7))  # 8 days late
    assert keys_of(official)[-1] == f"follow_up:{row.pk}:overdue:2024-06-13:1"


def test_overdue_once_when_the_rule_repeats_nothing(official):
    set_rule(RuleKind.FOLLOW_UP_DUE, overdue_every=None)
    row = follow_up(official, days(-1))
    run_scan(TODAY)
    run_scan(days(30))
    assert keys_of(official) == [f"follow_up:{row.pk}:overdue:2024-06-13:0"]


def test_a_later_follow_up_settles_it_and_closed_projects_are_not_chased(official):
    settled = follow_up(official, days(-3))
    FollowUpFactory(project=settled.project, author=official, date=days(-1))
    follow_up(official, days(-3), stage=ProjectStage.DROPPED)
    assert run_scan(TODAY)[RuleKind.FOLLOW_UP_DUE]["found"] == 0


def test_visit_follow_up_dates_go_to_who_recorded_the_visit(official):
    firm = EnterpriseFactory()
    due = InvestmentVisitFactory(enterprise=firm, date=days(-5), follow_up_date=days(1), recorded_by=official)
    settled = InvestmentVisitFactory(date=days(-9), follow_up_date=days(-2), recorded_by=official)
    InvestmentVisitFactory(enterprise=settled.enterprise, date=days(-1))
    run_scan(TODAY)
    assert keys_of(official) == [f"visit:{due.pk}:soon:2024-06-15"]
    row = Notification.objects.get(recipient=official)
    assert row.link == f"/visits/{due.pk}/edit/"
    assert firm.name in row.title


def test_inactive_authors_and_disabled_rules_get_nothing(official):
    gone = UserFactory(username="left", is_active=False)
    follow_up(gone, days(1))
    assert run_scan(TODAY)[RuleKind.FOLLOW_UP_DUE] == {"found": 1, "written": 0}
    set_rule(RuleKind.FOLLOW_UP_DUE, enabled=False)
    follow_up(official, days(1))
    assert RuleKind.FOLLOW_UP_DUE not in run_scan(TODAY)
    assert not Notification.objects.exists()


def assigned_issue(due, unit_text="平湖市 商务局", **fields):
    return EnterpriseIssueFactory(
        status=IssueStatus.ASSIGNED,
        assigned_on=days(-10),
        assigned_unit=unit_text,
        received_on=days(-10),
        due_date=due,
        **fields,
    )


def test_problems_due_in_two_days_or_overdue_go_to_the_unit_and_bureau_staff(unit, staff):
    member = unit.members.get(username="member")
    soon, late = assigned_issue(days(2)), assigned_issue(days(-1))
    assigned_issue(days(3))  # not yet
    assigned_issue(TODAY)  # the rule does not remind on the day itself
    result = run_scan(TODAY)
    assert result[RuleKind.ISSUE_DUE] == {"found": 2, "written": 4}
    expected = sorted([f"issue:{soon.pk}:soon:2024-06-16", f"issue:{late.pk}:overdue:2024-06-13:0"])
    assert keys_of(member) == keys_of(staff) == expected
    assert not Notification.objects.filter(recipient__username="gone").exists()
    row = Notification.objects.get(recipient=member, key=f"issue:{soon.pk}:soon:2024-06-16")
    assert row.link == f"/issues/{soon.pk}/"
    assert row.title == f"{soon.enterprise.name}的诉求2天后到期"


def test_problems_not_handed_on_go_to_bureau_staff_and_closed_ones_to_no_one(unit, staff):
    waiting = EnterpriseIssueFactory(received_on=days(-10), due_date=days(-1))
    EnterpriseIssueFactory(
        status=IssueStatus.RESOLVED,
        received_on=days(-10),
        resolved_on=days(-2),
        resolution_note="已解决",
        due_date=days(-1),
    )
    run_scan(TODAY)
    assert keys_of(staff) == [f"issue:{waiting.pk}:overdue:2024-06-13:0"]
    assert keys_of(unit.members.get(username="member")) == []


def test_a_unit_no_record_matches_reaches_bureau_staff_only(staff):
    issue = assigned_issue(days(1), unit_text="不存在的单位")
    run_scan(TODAY)
    assert keys_of(staff) == [f"issue:{issue.pk}:soon:2024-06-15"]
    assert Notification.objects.count() == 1
