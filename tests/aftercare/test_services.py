"""Enterprise services: the problem life cycle, its database rules, cadres, and the statistics on hand-computed data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from aftercare import stats as issue_stats
from aftercare.models import CadreAssignment, EnterpriseIssue, IssueStep, SalonEvent
from aftercare.services import cadre_assign, issue_advance, issue_allowed_moves, issue_create
from chains.models import EnterpriseChainRole
from pinghu.figures import ratio
from projects.stats import Period
from tests.factories import (
    ChainFactory,
    EnterpriseFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    UserFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
D = datetime.date


MARCH_FIRST = D(2023, 3, 1)


def new_issue(enterprise=None, *, received_on=MARCH_FIRST, channel="hotline", **fields) -> EnterpriseIssue:
    return issue_create(
        issue=EnterpriseIssue(
            enterprise=enterprise or EnterpriseFactory(),
            channel=channel,
            category=fields.pop("category", "land"),
            description=fields.pop("description", "用地指标不足"),
            received_on=received_on,
            **fields,
        ),
        by=None,
    )


def forced(issue: EnterpriseIssue, **values) -> None:
    """Write values straight to the row (bypassing the service), for the database's own checks."""
    with transaction.atomic():
        EnterpriseIssue.objects.filter(pk=issue.pk).update(**values)


# ---------------------------------------------------------------- life cycle


def test_a_problem_moves_forward_through_the_service_and_each_step_is_recorded():
    user = UserFactory()
    issue = new_issue()
    assert issue.status == "received" and issue_allowed_moves(issue) == ["assigned", "resolved", "rejected"]
    issue = issue_advance(
        issue, "assigned", on=D(2023, 3, 2), by=user, unit=unit_named("自然资源局"), due_date=D(2023, 3, 31)
    )
    issue = issue_advance(issue, "resolved", on=D(2023, 3, 20), by=user, note="调剂指标 20 亩")
    issue = issue_advance(issue, "closed", on=D(2023, 3, 25), by=user, satisfaction=5)
    issue.refresh_from_db()
    assert (issue.assigned_unit.name, issue.resolution_note, issue.satisfaction) == ("自然资源局", "调剂指标 20 亩", 5)
    assert (issue.assigned_on, issue.resolved_on, issue.closed_on) == (D(2023, 3, 2), D(2023, 3, 20), D(2023, 3, 25))
    steps = list(issue.steps.values_list("from_status", "to_status", "on"))
    assert steps == [
        ("", "received", D(2023, 3, 1)),
        ("received", "assigned", D(2023, 3, 2)),
        ("assigned", "resolved", D(2023, 3, 20)),
        ("resolved", "closed", D(2023, 3, 25)),
    ]
    assert issue_allowed_moves(issue) == []


@pytest.mark.parametrize(
    ("moves", "target", "kwargs", "field", "message"),
    [
        ([], "closed", {}, "to_status", "不能变为"),
        ([("resolved", {"note": "已办结"})], "assigned", {"unit": "x"}, "to_status", "不能变为"),
        ([], "assigned", {}, "unit", "交办单位"),
        ([], "resolved", {}, "note", "如何解决"),
        ([], "rejected", {}, "note", "理由"),
        ([], "assigned", {"unit": "x", "on": D(2023, 2, 1)}, "on", "之前"),
        (
            [],
            "assigned",
            {"unit": "x", "on": timezone.localdate() + datetime.timedelta(days=2)},
            "on",
            "将来",
        ),
    ],
)
def test_refused_moves_say_which_field_and_why(moves, target, kwargs, field, message):
    issue = new_issue()
    for status, extra in moves:
        issue = issue_advance(issue, status, on=D(2023, 3, 5), by=None, **extra)
    kwargs = {"on": D(2023, 3, 10), **kwargs}
    if "unit" in kwargs:
        kwargs["unit"] = unit_named(kwargs["unit"])
    with pytest.raises(ValidationError) as refused:
        issue_advance(issue, target, by=None, **kwargs)
    assert field in refused.value.message_dict and message in " ".join(refused.value.message_dict[field])
    assert issue.steps.count() == 1 + len(moves)  # nothing written


def test_a_rejection_keeps_its_reason():
    issue = issue_advance(new_issue(), "rejected", on=D(2023, 3, 3), by=None, note="不属于政府职责")
    assert (issue.status, issue.rejection_reason, issue.rejected_on) == ("rejected", "不属于政府职责", D(2023, 3, 3))


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"status": "assigned"}, "projects_issue_assigned_needs_unit"),
        ({"assigned_on": D(2023, 3, 2)}, "projects_issue_assigned_date_status"),
        ({"status": "resolved"}, "projects_issue_resolved_date_status"),
        ({"resolved_on": D(2023, 3, 2)}, "projects_issue_resolved_date_status"),
        ({"status": "rejected", "rejected_on": D(2023, 3, 2)}, "projects_issue_rejected_date_reason"),
        ({"status": "resolved", "resolved_on": D(2023, 2, 1)}, "projects_issue_dates_in_order"),
        ({"due_date": D(2023, 2, 1)}, "projects_issue_due_after_received"),
        ({"satisfaction": 4}, "projects_issue_satisfaction"),
        ({"channel": "salon", "visit_id": None, "category": "nonsense"}, "projects_issue_choices_valid"),
    ],
)
def test_the_database_refuses_inconsistent_problems(values, constraint):
    issue = new_issue()
    with pytest.raises(IntegrityError, match=constraint):
        forced(issue, **values)


def test_the_source_must_match_the_channel():
    salon = SalonEvent.objects.create(date=D(2023, 3, 1), host=LeaderFactory())
    visit = InvestmentVisitFactory(date=D(2023, 3, 1))
    with pytest.raises(ValidationError) as refused:
        new_issue(salon=salon, channel="hotline")
    assert "亲清夜沙龙" in " ".join(refused.value.message_dict["salon"])  # named on its field
    with pytest.raises(ValidationError) as refused:
        new_issue(visit=visit, channel="salon")
    assert "visit" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        new_issue(received_on=timezone.localdate() + datetime.timedelta(days=2))
    assert "received_on" in refused.value.message_dict
    assert new_issue(salon=salon, channel="salon").salon == salon
    assert new_issue(visit=visit, channel="investment_visit").visit == visit


# ---------------------------------------------------------------- cadres


def test_a_firm_has_at_most_one_current_cadre_and_reassigning_ends_the_last():
    firm, first, second = EnterpriseFactory(), UserFactory(), LeaderFactory()
    cadre_assign(enterprise=firm, cadre_user=first, start_date=D(2023, 1, 1))
    cadre_assign(enterprise=firm, cadre_leader=second, start_date=D(2023, 6, 1))
    current = CadreAssignment.objects.current().get(enterprise=firm)
    assert current.cadre == second
    assert CadreAssignment.objects.get(cadre_user=first).end_date == D(2023, 5, 31)
    with pytest.raises(IntegrityError), transaction.atomic():
        CadreAssignment.objects.create(enterprise=firm, cadre_user=first, start_date=D(2023, 7, 1))
    with pytest.raises(ValidationError, match="晚于|after"):
        cadre_assign(enterprise=firm, cadre_user=first, start_date=D(2023, 6, 1))


def test_a_cadre_is_an_account_or_a_leader_not_both():
    with pytest.raises(IntegrityError, match="projects_cadre_user_or_leader"), transaction.atomic():
        CadreAssignment.objects.create(enterprise=EnterpriseFactory(), start_date=D(2023, 1, 1))
    with pytest.raises(ValidationError):
        cadre_assign(
            enterprise=EnterpriseFactory(),
            start_date=D(2023, 1, 1),
            cadre_user=UserFactory(),
            cadre_leader=LeaderFactory(),
        )


# ---------------------------------------------------------------- statistics on a hand-computed set


@pytest.fixture
def data():
    """Six problems of 2023 Q1 and one of April, in two chains.

    | # | firm | chain | channel | received | status   | resolved | due        |
    |---|------|-------|---------|----------|----------|----------|------------|
    | 1 | A    | nev   | salon   | 01-10    | closed   | 01-20    |            |
    | 2 | A    | nev   | salon   | 01-10    | resolved | 02-09    |            |
    | 3 | B    | nev+pv| hotline | 02-01    | assigned |          | 02-28 (overdue) |
    | 4 | B    | nev+pv| hotline | 02-15    | received |          | 2099 (not overdue) |
    | 5 | C    | —     | code    | 03-01    | rejected |          |            |
    | 6 | C    | —     | code    | 03-05    | resolved | 03-05    |            |
    | 7 | A    | nev   | hotline | 04-02    | received | (outside Q1)          |
    Q1: collected 6, resolved 3 (#1, #2, #6), rate 0.5, overdue 1 (#3),
    days to resolve (10 + 30 + 0) / 3 = 13.3.
    """
    nev, pv = ChainFactory(code="nev"), ChainFactory(code="pv")
    a, b, c = EnterpriseFactory(name="甲"), EnterpriseFactory(name="乙"), EnterpriseFactory(name="丙")
    EnterpriseChainRole.objects.create(enterprise=a, chain=nev, is_lead=True)
    EnterpriseChainRole.objects.create(enterprise=b, chain=nev)
    EnterpriseChainRole.objects.create(enterprise=b, chain=pv)
    salon = SalonEvent.objects.create(date=D(2023, 1, 10), host=LeaderFactory())
    salon.enterprises.set([a])
    SalonEvent.objects.create(date=D(2023, 3, 30), host=LeaderFactory())
    one = new_issue(a, received_on=D(2023, 1, 10), channel="salon", salon=salon)
    issue_advance(one, "resolved", on=D(2023, 1, 20), by=None, note="ok")
    issue_advance(one, "closed", on=D(2023, 1, 21), by=None, satisfaction=4)
    two = new_issue(a, received_on=D(2023, 1, 10), channel="salon", salon=salon, category="finance")
    issue_advance(two, "assigned", on=D(2023, 1, 11), by=None, unit=unit_named("金融办"))
    issue_advance(two, "resolved", on=D(2023, 2, 9), by=None, note="ok")
    three = new_issue(b, received_on=D(2023, 2, 1))
    issue_advance(three, "assigned", on=D(2023, 2, 2), by=None, unit=unit_named("自然资源局"), due_date=D(2023, 2, 28))
    new_issue(b, received_on=D(2023, 2, 15), due_date=D(2099, 1, 1))
    five = new_issue(c, received_on=D(2023, 3, 1), channel="enterprise_code")
    issue_advance(five, "rejected", on=D(2023, 3, 2), by=None, note="重复")
    six = new_issue(c, received_on=D(2023, 3, 5), channel="enterprise_code")
    issue_advance(six, "resolved", on=D(2023, 3, 5), by=None, note="当场解决")
    new_issue(a, received_on=D(2023, 4, 2))
    cadre_assign(enterprise=c, cadre_user=UserFactory(), start_date=D(2023, 1, 1))
    return {"nev": nev, "pv": pv, "a": a, "b": b, "c": c}


Q1 = Period(D(2023, 1, 1), D(2023, 3, 31))
TODAY = D(2023, 4, 10)


def test_summary(data):
    assert issue_stats.issue_summary(Q1, today=TODAY) == {
        "collected": 6,
        "resolved": 3,
        "resolution_rate": Decimal("0.5000"),
        "overdue": 1,
        "average_days_to_resolve": Decimal("13.3"),
        "salons": 2,
        "firms_with_cadre": 1,
    }


def test_summary_of_one_chain(data):
    row = issue_stats.issue_summary(Q1, chain=data["nev"], today=TODAY)
    # nev: #1, #2 (A) and #3, #4 (B): 4 collected, 2 resolved, 1 overdue, (10 + 30) / 2 = 20 days.
    assert (row["collected"], row["resolved"], row["overdue"], row["average_days_to_resolve"]) == (
        4,
        2,
        1,
        Decimal("20.0"),
    )


def test_breakdowns(data):
    by_channel = {row["key"]: row for row in issue_stats.issues_by(Q1, "channel", today=TODAY)}
    assert {key: (row["collected"], row["resolved"]) for key, row in by_channel.items()} == {
        "salon": (2, 2),
        "hotline": (2, 0),
        "enterprise_code": (2, 1),
    }
    assert by_channel["enterprise_code"]["resolution_rate"] == Decimal("0.5000")
    by_chain = {
        row["key"]: (row["collected"], row["overdue"]) for row in issue_stats.issues_by(Q1, "chain", today=TODAY)
    }
    assert by_chain == {"nev": (4, 1), "pv": (2, 1)}  # B's problems count in both of its chains
    by_unit = {row["key"]: row["collected"] for row in issue_stats.issues_by(Q1, "unit", today=TODAY)}
    assert by_unit == {"": 4, "金融办": 1, "自然资源局": 1}
    by_month = [(row["key"], row["collected"]) for row in issue_stats.issues_by(Q1, "month", today=TODAY)]
    assert by_month == [(D(2023, 1, 1), 2), (D(2023, 2, 1), 2), (D(2023, 3, 1), 2)]


def test_not_visited_lists_followed_firms_without_recent_contact(data):
    # Last contacts: A 04-02 (problem #7), B 02-15 (problem #4), C 03-05 (problem #6, cadre-followed).
    InvestmentVisitFactory(enterprise=data["b"], date=D(2023, 3, 20))  # B visited later: 03-20
    EnterpriseFactory(name="无关企业")  # neither a chain role nor a cadre: not followed
    listed = issue_stats.not_visited(30, today=TODAY)
    assert [(firm.name, firm.last_contact) for firm in listed] == [("丙", D(2023, 3, 5))]
    listed = issue_stats.not_visited(10, today=TODAY)
    assert [firm.name for firm in listed] == ["丙", "乙"]
    never = EnterpriseFactory(name="从未联系")
    cadre_assign(enterprise=never, cadre_user=UserFactory(), start_date=D(2023, 1, 1))
    assert issue_stats.not_visited(30, today=TODAY)[0].name == "从未联系"


def test_reference_figures_of_the_article_are_a_definition_check():
    # 2023: 25 salons, 114 problems collected, 105 resolved → a resolution rate of 92.11%.
    assert ratio(105, 114) == Decimal("0.9211")


def test_each_step_is_in_the_history():
    issue = issue_advance(new_issue(), "assigned", on=D(2023, 3, 2), by=None, unit=unit_named("经信局"))
    assert list(issue.history.order_by("history_date").values_list("status", flat=True)) == ["received", "assigned"]
    assert IssueStep.history.count() == 2
