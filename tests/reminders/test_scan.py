"""The scan as a whole: idempotent (twice = once), a number of queries that does not grow with the rows,
the command and the task."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.choices import IssueStatus
from notifications.models import Notification
from projects.choices import ProjectStage
from projects.models import ProjectStageChange
from reminders.checks import CHECKS
from reminders.choices import RuleKind
from reminders.models import ReminderRule
from reminders.scan import run_scan
from reminders.tasks import daily_reminders
from targets.choices import Metric, ScopeKind
from targets.models import Target
from tests.factories import (
    CadreAssignmentFactory,
    ChainFactory,
    ChainLeadershipFactory,
    EnterpriseIssueFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The 28th: the target rule runs too.
TODAY = datetime.date(2024, 6, 28)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def world(n: int, unit, start: int = 0) -> None:
    """``n`` rows for every rule, each with its own people."""
    for i in range(start, start + n):
        official = UserFactory(username=f"official{i}")
        chief = UserFactory(username=f"chief{i}")
        chain = ChainFactory()
        ChainLeadershipFactory(chain=chain, leader=LeaderFactory(user=chief), start_date=days(-400))
        project = ProjectFactory(chain=chain, responsible_official=official)
        FollowUpFactory(project=project, author=official, date=days(-5), due_date=days(1))
        InvestmentVisitFactory(date=days(-5), follow_up_date=TODAY, recorded_by=official)
        EnterpriseIssueFactory(
            status=IssueStatus.ASSIGNED,
            received_on=days(-20),
            assigned_on=days(-20),
            assigned_unit=unit.name,
            due_date=days(-1),
        )
        stalled = ProjectFactory(chain=chain, responsible_official=official, stage=ProjectStage.NEGOTIATING)
        ProjectStageChange.objects.create(project=stalled, to_stage=ProjectStage.NEGOTIATING, at=days(-120))
        CadreAssignmentFactory(cadre_user=official, cadre_leader=None, start_date=days(-200))
        Target.objects.create(
            year_from=2024,
            year_to=2024,
            metric=Metric.SIGNED_INVESTMENT,
            scope_kind=ScopeKind.CHAIN,
            chain=chain,
            value=Decimal("100000"),
        )


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def evaluation_queries() -> dict[str, int]:
    return {
        rule.kind: count_queries(lambda rule=rule: CHECKS[rule.kind](rule, TODAY))
        for rule in ReminderRule.objects.filter(kind__in=list(CHECKS))
    }


def test_every_rule_finds_its_row_and_a_second_scan_writes_nothing(unit, staff):
    world(1, unit)
    first = run_scan(TODAY)
    assert {kind: counts["found"] for kind, counts in first.items()} == {
        RuleKind.FOLLOW_UP_DUE: 2,
        RuleKind.ISSUE_DUE: 1,
        RuleKind.PROJECT_STALLED: 1,
        RuleKind.FIRM_NOT_CONTACTED: 1,
        RuleKind.TARGET_FAR_BEHIND: 1,
    }
    written = Notification.objects.count()
    assert written == sum(counts["written"] for counts in first.values()) == 2 + 2 + 2 + 1 + 2
    second = run_scan(TODAY)
    assert all(counts["written"] == 0 for counts in second.values())
    assert Notification.objects.count() == written


def test_the_queries_do_not_grow_with_the_rows(unit, staff):
    world(1, unit)
    with_one = evaluation_queries()
    run_scan(TODAY)
    rescan_one = count_queries(lambda: run_scan(TODAY))

    world(3, unit, start=1)
    with_four = evaluation_queries()
    assert run_scan(TODAY)[RuleKind.FOLLOW_UP_DUE]["found"] == 8
    rescan_four = count_queries(lambda: run_scan(TODAY))

    assert with_four == with_one, (with_one, with_four)
    assert rescan_four == rescan_one
    # The rows, then the accounts they name (and units, bureau staff, chiefs, as the rule needs).
    assert with_one == {
        RuleKind.FOLLOW_UP_DUE: 3,  # follow-ups, visits, active accounts
        RuleKind.ISSUE_DUE: 4,  # problems, units, their active members, bureau staff
        RuleKind.PROJECT_STALLED: 3,  # projects, chiefs, active accounts
        RuleKind.FIRM_NOT_CONTACTED: 2,  # assignments, active accounts
        RuleKind.TARGET_FAR_BEHIND: 4,  # targets, their actuals, bureau staff, chiefs
    }
    # A scan with nothing new: the rules, each rule's queries and one for the keys already written.
    assert rescan_one == 1 + sum(with_one.values()) + len(with_one)


def test_the_command_prints_the_counts_per_rule(unit, staff):
    world(1, unit)
    out = io.StringIO()
    call_command("run_reminders", "--today", "2024-06-28", stdout=out)
    text = out.getvalue()
    assert "截至2024-06-28的督办提醒" in text
    assert "走访和项目跟进的到期日：发现2条，新写入2条站内消息" in text
    out = io.StringIO()
    call_command("run_reminders", "--today", "2024-06-28", stdout=out)
    assert "新写入0条" in out.getvalue() and "新写入2条" not in out.getvalue()


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("run_reminders", "--today", "28.06.2024")


def test_the_task_runs_the_scan_as_of_the_day_it_is_given(unit, staff):
    world(1, unit)
    result = daily_reminders.call("2024-06-28")
    assert result[RuleKind.ISSUE_DUE] == {"found": 1, "written": 2}
    assert daily_reminders.call("2024-06-28")[RuleKind.ISSUE_DUE]["written"] == 0


def test_the_command_can_queue_the_scan_for_the_workers():
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("run_reminders", "--today", "2024-06-28", "--enqueue", stdout=out)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "reminders.tasks.daily_reminders"
    assert queued.args_kwargs["args"] == ["2024-06-28"]
    assert str(queued.id) in out.getvalue()
    assert not Notification.objects.exists()  # nothing runs until a worker takes it
