"""The monthly rollup of the funds records (``ProjectFundsMonth``, projects.triggers.funds_months), after every write.

After each kind of write to funds records and projects, ``rollup_differences`` recomputes the rollup
from the records and compares, and every funds figure read from it (``funds_summary``, per chain,
cluster and town, the targets' ``funds_by``/``funds_by_kinds``) equals the same figure computed from the
records themselves, with a DISTINCT for the projects with money in.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum

from projects import funds_stats, stats_by_scope
from projects.models import Project, ProjectFunds, ProjectFundsMonth
from projects.periods import Period
from projects.rollups import rebuild_rollups, rollup_differences, rollups_deferred
from projects.services import project_create
from projects.triggers.funds_months import FUNDS_MONTHS
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
CENT = Decimal("0.01")
PERIODS = [
    Period(D(2024, 1, 1), D(2024, 12, 31)),
    Period(D(2024, 3, 1), D(2024, 3, 31)),
    Period(D(2024, 3, 15), D(2024, 6, 10)),  # from mid-March: March's records count
    Period(D(2024, 4, 1), D(2024, 6, 30)),
    Period(D(2023, 1, 1), D(2025, 12, 31)),
    Period(D(2026, 1, 1), D(2026, 1, 31)),  # no record
]
MONEY_IN = Q(domestic_funds__gt=0) | Q(actual_foreign_investment__gt=0)


def _project(chain, name: str, town: str = "") -> Project:
    return project_create(
        project=Project(
            name=name, chain=chain, investor=EnterpriseFactory(), town=town, total_investment=Decimal("10")
        ),
        by=None,
    )


def _funds(project: Project, month: datetime.date, domestic: str, foreign: str = "0") -> ProjectFunds:
    return ProjectFunds.objects.create(
        project=project, month=month, domestic_funds=Decimal(domestic), actual_foreign_investment=Decimal(foreign)
    )


def _from_records(records, key: str | None = None) -> dict:
    """The figures computed from the records themselves: sums, and a DISTINCT count of projects with money in."""
    figures = {
        "funds_in_place": Sum("domestic_funds"),
        "foreign_paid_in": Sum("actual_foreign_investment"),
        "projects_with_funds": Count("project", distinct=True, filter=MONEY_IN),
    }
    rows = [records.aggregate(**figures)] if key is None else records.values(key).annotate(**figures).order_by()
    result = {}
    for row in rows:
        if key is None and row["funds_in_place"] is None:
            continue
        group = row.pop(key) if key else None
        result[group] = {
            name: Decimal(str(value)).quantize(CENT) if name != "projects_with_funds" else value
            for name, value in row.items()
        }
    return result


def assert_in_step() -> None:
    """The rollup equals a recomputation, and every figure read from it equals the records' own."""
    assert {key: value for key, value in rollup_differences().items() if value} == {}
    for period in PERIODS:
        records = ProjectFunds.objects.filter(month__range=(period.start.replace(day=1), period.end))
        city = _from_records(records).get(None, funds_stats.EMPTY)
        assert funds_stats.funds_summary(period) == city, period
        assert funds_stats.funds_by_chain(period) == _from_records(records, "project__chain"), period
        assert funds_stats.funds_by_cluster(period) == _from_records(records, "project__chain__cluster"), period
        by_town = _from_records(records, "project__town")
        shown = {row.pop("town"): row for row in funds_stats.funds_by_town(period) if row.pop("label") is not None}
        assert {town: row for town, row in shown.items() if town in by_town or row != funds_stats.EMPTY} == by_town
        two = {"funds_in_place", "foreign_paid_in"}
        fields = {
            "city": None,
            "cluster": "project__chain__cluster",
            "chain": "project__chain",
            "town": "project__town",
        }
        by_kinds = stats_by_scope.funds_by_kinds(period, list(fields) + ["unit"])
        for kind, field in fields.items():
            expected = {
                group: {name: value for name, value in figures.items() if name in two}
                for group, figures in _from_records(records, field).items()
            } or ({None: stats_by_scope.NO_FUNDS} if field is None else {})
            assert stats_by_scope.funds_by(period, kind) == expected, (period, kind)
            assert by_kinds[kind] == expected, (period, kind)


@pytest.fixture
def world(three_chains):
    a, b, c = (three_chains[key] for key in ("a", "b", "c"))
    p, q, r = _project(a, "P", "广陈镇"), _project(a, "Q"), _project(b, "R", "广陈镇")
    _funds(p, D(2024, 2, 1), "5")
    _funds(p, D(2024, 3, 1), "0")
    _funds(p, D(2024, 4, 1), "0", "2.25")
    _funds(p, D(2024, 6, 1), "1.1")
    _funds(q, D(2024, 3, 1), "1")
    _funds(r, D(2024, 5, 1), "0")
    _funds(r, D(2024, 3, 1), "7.35", "0.1")
    assert_in_step()
    return {"a": a, "b": b, "c": c, "p": p, "q": q, "r": r}


def test_the_rollup_sums_the_records_per_month_chain_town_and_previous_month(world):
    p = world["p"]
    march = ProjectFundsMonth.objects.get(month=D(2024, 3, 1), project_chain=world["a"], project_town="广陈镇")
    assert (march.records, march.funded_records, march.domestic_funds) == (1, 0, Decimal("0"))
    june = ProjectFundsMonth.objects.get(month=D(2024, 6, 1), project_chain=world["a"])
    assert (june.previous_funded_month, june.funded_records, june.domestic_funds) == (D(2024, 4, 1), 1, Decimal("1.1"))
    assert funds_stats.funds_summary(Period(D(2024, 4, 15), D(2024, 6, 30)))["projects_with_funds"] == 1
    assert ProjectFundsMonth.objects.filter(month=D(2024, 2, 1), project_town=p.town).get().records == 1


def test_records_written_one_by_one(world):
    p, q = world["p"], world["q"]
    _funds(q, D(2024, 1, 1), "4")  # before q's other record: that one's previous month moves
    assert_in_step()
    record = ProjectFunds.objects.get(project=p, month=D(2024, 3, 1))
    record.domestic_funds = Decimal("3")  # money in now: p's later records change their previous month
    record.save()
    assert_in_step()
    record.month = D(2024, 7, 1)
    record.save()
    assert_in_step()
    record.delete()
    assert_in_step()


def test_records_written_by_querysets_and_in_bulk(world):
    p, q, r = world["p"], world["q"], world["r"]
    ProjectFunds.objects.filter(project=p, month=D(2024, 2, 1)).update(domestic_funds=Decimal("0"))
    assert_in_step()
    ProjectFunds.objects.filter(project=q).update(month=D(2024, 6, 1))
    assert_in_step()
    ProjectFunds.objects.filter(month=D(2024, 3, 1)).update(actual_foreign_investment=Decimal("0.5"))
    assert_in_step()
    ProjectFunds.objects.bulk_create(
        [
            ProjectFunds(
                project=project, month=D(2024, month, 1), domestic_funds=Decimal(month), actual_foreign_investment=0
            )
            for project in (q, r)
            for month in (8, 9)
        ]
    )
    assert_in_step()
    ProjectFunds.objects.filter(project=p, month__gte=D(2024, 4, 1)).delete()
    assert_in_step()
    ProjectFunds.objects.all().delete()
    assert_in_step()
    assert not ProjectFundsMonth.objects.filter(records__gt=0).exists()


def test_records_written_in_sql_with_their_copies(world):
    """A raw insert naming the kept columns (wrongly): the triggers move the record to its right key."""
    q = world["q"]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO projects_projectfunds (project_id, month, domestic_funds, actual_foreign_investment, "
            "source_note, created_at, updated_at, previous_funded_month, project_chain_id, project_town) "
            "VALUES (%s, %s, 2, 0, '', %s, %s, %s, %s, 'x')",
            [q.pk, D(2024, 5, 1), D(2024, 5, 1), D(2024, 5, 1), D(2020, 1, 1), world["b"].pk],
        )
    assert_in_step()


def test_a_project_moved_to_another_chain_or_town_or_deleted(world):
    p = world["p"]
    p.chain, p.town = world["c"], "乍浦镇"  # another cluster too
    p.save()
    assert_in_step()
    Project.objects.filter(pk=world["q"].pk).update(town="广陈镇")
    assert_in_step()
    Project.objects.filter(chain=world["c"]).update(chain=world["b"])
    assert_in_step()
    world["r"].delete()
    assert_in_step()


def test_a_bulk_load_rebuilds_the_rollup_and_a_rebuild_repairs_it(world):
    with rollups_deferred():
        _funds(world["r"], D(2024, 2, 1), "9")
        ProjectFunds.objects.filter(project=world["p"]).update(domestic_funds=Decimal("2"))
    assert_in_step()
    FUNDS_MONTHS.drop(connection)
    ProjectFunds.objects.filter(project=world["q"]).delete()
    _funds(world["q"], D(2024, 9, 1), "3")
    assert rollup_differences()["projects_projectfundsmonth"] > 0
    rebuild_rollups()
    FUNDS_MONTHS.install(connection)
    assert_in_step()
    _funds(world["q"], D(2024, 10, 1), "1")  # the triggers go on from the rebuilt rows
    assert_in_step()


def test_the_funds_figures_read_the_rollup_in_one_query(world, django_assert_num_queries):
    period = PERIODS[0]
    with django_assert_num_queries(1) as queries:
        funds_stats.funds_summary(period, cluster=world["a"].cluster)
    assert "projects_projectfundsmonth" in queries.captured_queries[0]["sql"]
    assert 'projects_projectfunds"' not in queries.captured_queries[0]["sql"]
    with django_assert_num_queries(1) as queries:
        stats_by_scope.funds_by_kinds(period, ["city", "cluster", "chain", "town"])
    assert "projects_projectfundsmonth" in queries.captured_queries[0]["sql"]
    with django_assert_num_queries(1) as queries:  # the unit is not copied: the records are read
        stats_by_scope.funds_by_kinds(period, ["chain", "unit"])
    assert "projects_projectfundsmonth" not in queries.captured_queries[0]["sql"]
