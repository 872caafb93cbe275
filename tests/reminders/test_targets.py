"""Targets far behind time progress, from the 25th to the month's end, once a month, to owners and bureau staff.

On 2024-06-28 the time progress of 2024 is 6/12 = 50%; a target of 10 signed projects with none signed
is at 0%, 50 points behind: far behind (more than 10 points).
"""

import datetime
from decimal import Decimal

import pytest

from notifications.models import Notification
from reminders.choices import RuleKind
from reminders.scan import run_scan
from targets.choices import Metric, ScopeKind
from targets.models import Target
from tests.factories import ChainFactory, ChainLeadershipFactory, LeaderFactory, ProjectFactory, UserFactory
from units.models import Unit

from .conftest import keys_of, set_rule

pytestmark = pytest.mark.django_db

MONTH_END = datetime.date(2024, 6, 28)


def target(**scope):
    return Target.objects.create(
        year_from=2024, year_to=2024, metric=Metric.SIGNED_PROJECTS, value=Decimal("10"), **scope
    )


def test_far_behind_targets_go_to_their_owners_and_bureau_staff_once_a_month(staff):
    chain = ChainFactory()
    chief = UserFactory(username="chief")
    ChainLeadershipFactory(chain=chain, leader=LeaderFactory(user=chief), start_date=datetime.date(2024, 1, 1))
    town = Unit.objects.create(name="当湖街道", kind="town")
    town_member = UserFactory(username="town")
    town.members.add(town_member)
    office = Unit.objects.create(name="平湖市商务局")
    office_member = UserFactory(username="office")
    office.members.add(office_member)
    city = target(scope_kind=ScopeKind.CITY)
    of_chain = target(scope_kind=ScopeKind.CHAIN, chain=chain)
    of_town = target(scope_kind=ScopeKind.TOWN, town="当湖街道")
    of_unit = target(scope_kind=ScopeKind.UNIT, unit=office)

    assert run_scan(datetime.date(2024, 6, 24))[RuleKind.TARGET_FAR_BEHIND]["found"] == 0  # before the 25th
    result = run_scan(MONTH_END)
    assert result[RuleKind.TARGET_FAR_BEHIND] == {"found": 4, "written": 7}
    assert keys_of(staff) == sorted(f"target:{row.pk}:far_behind:2024-06" for row in (city, of_chain, of_town, of_unit))
    assert keys_of(chief) == [f"target:{of_chain.pk}:far_behind:2024-06"]
    assert keys_of(town_member) == [f"target:{of_town.pk}:far_behind:2024-06"]
    assert keys_of(office_member) == [f"target:{of_unit.pk}:far_behind:2024-06"]
    row = Notification.objects.get(recipient=chief)
    assert row.link == f"/targets/{of_chain.pk}/"
    assert row.body == "完成0.0%，时序进度50.0%，落后50.00个百分点。"

    assert run_scan(datetime.date(2024, 6, 30))[RuleKind.TARGET_FAR_BEHIND]["written"] == 0
    run_scan(datetime.date(2024, 7, 31))
    assert keys_of(chief)[-1] == f"target:{of_chain.pk}:far_behind:2024-07"


def test_targets_merely_behind_or_ahead_are_not_reminded(staff):
    chain = ChainFactory()
    target(scope_kind=ScopeKind.CHAIN, chain=chain)
    # 5 of 10 signed: 50% against 50%, ahead (completion ≥ time progress).
    for day in range(5):
        ProjectFactory(chain=chain, stage="signed", signed_date=datetime.date(2024, 3, 1 + day))
    assert run_scan(MONTH_END)[RuleKind.TARGET_FAR_BEHIND]["found"] == 0


def test_the_disabled_rule_writes_nothing(staff):
    set_rule(RuleKind.TARGET_FAR_BEHIND, enabled=False)
    target(scope_kind=ScopeKind.CITY)
    assert RuleKind.TARGET_FAR_BEHIND not in run_scan(MONTH_END)
    assert keys_of(staff) == []
