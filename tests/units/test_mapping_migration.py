"""The migrations that make units records map the texts: exact name, normalised name, the reference list;
the rest stays as text, listed for the bureau, and nothing else is created. Unapplied, the texts come back.

A database at the migrations before (chains 0011, projects 0020, aftercare 0002, targets 0001) with units
named as text is migrated to head and back.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("targets", "0001_targets_and_weights"),
    ("aftercare", "0002_land_renewal_parcel"),
    ("projects", "0020_started_production_indexes"),
    ("chains", "0011_leader_top_official"),
]
DAY = datetime.date(2025, 3, 3)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    named = {app for app, _name in targets}
    targets = [*targets, *((app, name) for app, name in executor.loader.graph.leaf_nodes() if app not in named)]
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def _head():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_apps(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    _migrate(_head())


def _seed(apps) -> dict:
    get = apps.get_model
    get("units", "Unit").objects.create(name="平湖市商务局", key="平湖市商务局", kind="department")
    cluster = get("chains", "Cluster").objects.create(code="c", name="装备", sort_order=1)
    chain = get("chains", "Chain").objects.create(cluster=cluster, code="nev", name="新能源", kind="key", sort_order=1)
    firm = get("chains", "Enterprise").objects.create(name="演示甲有限公司")
    leader = get("chains", "Leader").objects.create(name="张三", title="局长", unit="平湖市经信局")
    visit = get("projects", "InvestmentVisit")
    exact = visit.objects.create(date=DAY, host_unit="平湖市商务局", enterprise=firm, purpose="走访")
    spaced = visit.objects.create(date=DAY, host_unit="平湖市 商务局", enterprise=firm, purpose="走访")
    unknown = visit.objects.create(date=DAY, host_unit="招商一组", enterprise=firm, purpose="走访")
    project = get("projects", "Project")
    town = project.objects.create(
        name="甲", chain=chain, investor=firm, stage="lead", total_investment=1, responsible_unit="当湖街道"
    )
    nobody = project.objects.create(name="乙", chain=chain, investor=firm, stage="lead", total_investment=1)
    issue = get("aftercare", "EnterpriseIssue").objects.create(
        enterprise=firm,
        channel="hotline",
        category="land",
        description="用地",
        received_on=DAY,
        status="assigned",
        assigned_on=DAY,
        assigned_unit="某某办公室",
    )
    target = get("targets", "Target")
    short = target.objects.create(
        year_from=2025, year_to=2025, scope_kind="unit", unit="商务局", metric="visits", value=10
    )
    lost = target.objects.create(
        year_from=2025, year_to=2025, scope_kind="unit", unit="不存在的单位", metric="visits", value=10
    )
    return {
        "leader": leader.pk,
        "exact": exact.pk,
        "spaced": spaced.pk,
        "unknown": unknown.pk,
        "town": town.pk,
        "nobody": nobody.pk,
        "issue": issue.pk,
        "short": short.pk,
        "lost": lost.pk,
    }


def test_texts_become_units_by_exact_normalised_and_reference_names_and_the_rest_is_listed(old_apps):
    seeded = _seed(old_apps)

    _migrate(_head())

    from aftercare.models import EnterpriseIssue
    from chains.models import Leader
    from projects.models import InvestmentVisit, Project
    from targets.models import Target
    from units.models import Unit
    from units.selectors import unmapped_names

    commerce = Unit.objects.get(name="平湖市商务局")
    visits = InvestmentVisit.objects.in_bulk()
    assert visits[seeded["exact"]].host_unit == commerce  # exact
    assert visits[seeded["spaced"]].host_unit == commerce  # normalised
    assert (visits[seeded["spaced"]].host_unit_text, visits[seeded["unknown"]].host_unit_id) == ("", None)
    assert visits[seeded["unknown"]].host_unit_text == "招商一组"
    leader = Leader.objects.get(pk=seeded["leader"])
    assert (leader.unit.name, leader.unit.kind) == ("平湖市经济和信息化局", "department")  # the reference list
    projects = Project.objects.in_bulk()
    assert (projects[seeded["town"]].responsible_unit.name, projects[seeded["town"]].responsible_unit.kind) == (
        "当湖街道",
        "town",
    )
    assert (projects[seeded["nobody"]].responsible_unit, projects[seeded["nobody"]].responsible_unit_text) == (None, "")
    issue = EnterpriseIssue.objects.get(pk=seeded["issue"])
    assert (issue.assigned_unit, issue.assigned_unit_text) == (None, "某某办公室")
    targets = Target.objects.in_bulk()
    assert targets[seeded["short"]].unit == commerce  # 商务局 → 平湖市商务局 (the city's name dropped)
    assert (targets[seeded["lost"]].unit, targets[seeded["lost"]].unit_text) == (None, "不存在的单位")
    # Only the units the texts named from the reference list were created: no junk from unmatched texts.
    assert set(Unit.objects.values_list("name", flat=True)) == {"平湖市商务局", "平湖市经济和信息化局", "当湖街道"}
    listed = {name.text: [(str(label), rows) for label, rows in name.occurrences] for name in unmapped_names()}
    assert listed == {
        "招商一组": [("走访 · 主办单位", 1)],
        "某某办公室": [("企业诉求 · 承办单位", 1)],
        "不存在的单位": [("目标 · 责任单位", 1)],
    }

    # Unapplied, every row names its unit as text again.
    apps = _migrate(BEFORE)
    visit = apps.get_model("projects", "InvestmentVisit")
    assert dict(visit.objects.values_list("pk", "host_unit")) == {
        seeded["exact"]: "平湖市商务局",
        seeded["spaced"]: "平湖市商务局",
        seeded["unknown"]: "招商一组",
    }
    assert apps.get_model("chains", "Leader").objects.get().unit == "平湖市经济和信息化局"
    assert apps.get_model("aftercare", "EnterpriseIssue").objects.get().assigned_unit == "某某办公室"
    assert dict(apps.get_model("targets", "Target").objects.values_list("pk", "unit")) == {
        seeded["short"]: "平湖市商务局",
        seeded["lost"]: "不存在的单位",
    }
