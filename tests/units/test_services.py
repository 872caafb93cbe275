"""Mapping a unit name still to map: every row naming it gets the unit, in one transaction, with history."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from chains.models import Leader
from pinghu.permissions import Role
from projects.models import InvestmentVisit, Project
from targets.models import Target
from tests.factories import EnterpriseFactory, InvestmentVisitFactory, LeaderFactory, ProjectFactory, UserFactory
from units.choices import UnitKind
from units.models import Unit
from units.selectors import unmapped_names
from units.services import unit_create, unit_create_from_name, unit_map_name, unit_update

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)


def unmapped(model, pk, **texts):
    """Make a row name its unit as text only, as the mapping migration leaves an unmatched name."""
    values = {field: None for field in texts} | {f"{field}_text": text for field, text in texts.items()}
    model.objects.filter(pk=pk).update(**values)


@pytest.fixture
def rows():
    """Two visits, a project, a leader and a unit target naming 招商一组; a visit naming 招商二组."""
    firm = EnterpriseFactory()
    first, second, other = (InvestmentVisitFactory(enterprise=firm) for _ in range(3))
    project = ProjectFactory()
    leader = LeaderFactory(name="王五")
    target = Target.objects.create(
        year_from=2025, year_to=2025, scope_kind="unit", unit=Unit.objects.create(name="占位"), metric="visits", value=1
    )
    for visit in (first, second):
        unmapped(InvestmentVisit, visit.pk, host_unit="招商一组")
    unmapped(InvestmentVisit, other.pk, host_unit="招商二组")
    unmapped(Project, project.pk, responsible_unit="招商一组")
    unmapped(Leader, leader.pk, unit="招商一组")
    unmapped(Target, target.pk, unit="招商一组")
    return {"visits": (first, second, other), "project": project, "leader": leader, "target": target}


def test_unmapped_names_are_listed_by_text_with_their_rows(rows):
    listed = {
        name.text: (name.total, sorted(str(label) for label, _n in name.occurrences)) for name in unmapped_names()
    }
    assert listed == {
        "招商一组": (5, ["目标 · 责任单位", "走访 · 主办单位", "项目 · 责任单位", "领导 · 单位"]),
        "招商二组": (1, ["走访 · 主办单位"]),
    }


def test_mapping_sets_the_unit_on_every_row_naming_it_and_writes_their_history(rows):
    bureau = UserFactory(roles=[Role.BUREAU_STAFF])
    unit = Unit.objects.create(name="平湖市投资促进中心")
    assert unit_map_name(text="招商一组", unit=unit, by=bureau) == 5
    first, second, other = (InvestmentVisit.objects.get(pk=visit.pk) for visit in rows["visits"])
    assert (first.host_unit, second.host_unit, first.host_unit_text) == (unit, unit, "")
    assert (other.host_unit, other.host_unit_text) == (None, "招商二组")  # another name: untouched
    assert Project.objects.get(pk=rows["project"].pk).responsible_unit == unit
    assert Leader.objects.get(pk=rows["leader"].pk).unit == unit
    assert (Target.objects.get(pk=rows["target"].pk).unit, Target.objects.get(pk=rows["target"].pk).unit_text) == (
        unit,
        "",
    )
    latest = first.history.first()
    assert (latest.host_unit_id, latest.history_user, latest.history_type) == (unit.pk, bureau, "~")
    assert "招商一组" in latest.history_change_reason
    assert [name.text for name in unmapped_names()] == ["招商二组"]


def test_creating_a_unit_from_a_name_maps_it_and_a_clash_leaves_everything_as_it_was(rows):
    unit, count = unit_create_from_name(text="招商二组", kind=UnitKind.DEPARTMENT, by=None)
    assert (unit.name, count) == ("招商二组", 1)
    assert InvestmentVisit.objects.get(pk=rows["visits"][2].pk).host_unit == unit
    # Two unit targets of the same year and metric cannot name the same unit: mapping refused, nothing changed.
    Target.objects.create(year_from=2025, year_to=2025, scope_kind="unit", unit=unit, metric="visits", value=2)
    with pytest.raises(ValidationError) as refused:
        unit_map_name(text="招商一组", unit=unit, by=None)
    assert "目标 · 责任单位" in refused.value.messages[0]
    assert InvestmentVisit.objects.filter(host_unit_text="招商一组").count() == 2  # the visits rolled back too


def test_only_bureau_staff_map_and_an_inactive_unit_takes_nothing(rows):
    official = UserFactory(roles=[Role.OFFICIAL])
    unit = Unit.objects.create(name="平湖市投资促进中心")
    with pytest.raises(ValidationError):
        unit_map_name(text="招商一组", unit=unit, by=official)
    unit.is_active = False
    unit.save()
    with pytest.raises(ValidationError):
        unit_map_name(text="招商一组", unit=unit, by=None)
    assert len(unmapped_names()) == 2


def test_a_unit_is_created_and_changed_with_its_members():
    member = UserFactory()
    unit = unit_create(data={"name": "平湖市 商务局", "kind": UnitKind.DEPARTMENT}, members=[member], by=None)
    assert (unit.key, list(unit.members.all())) == ("平湖市商务局", [member])
    with pytest.raises(ValidationError):
        unit_create(data={"name": "平湖市商务局"}, by=None)  # the same name as compared
    changed = unit_update(unit=unit, data={"name": "平湖市商务局"}, members=[], expected_version=None, by=None)
    assert (changed.name, changed.members.count()) == ("平湖市商务局", 0)
