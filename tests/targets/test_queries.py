"""The actuals of every target of a year in a number of queries that grows with neither targets nor rows."""

import datetime
from decimal import Decimal

import pytest

from targets.selectors import monthly_trend, rankings, rows_behind, target_progress
from tests.factories import ChainFactory, ProjectFactory
from tests.targets.conftest import target

D = datetime.date
AS_OF = D(2025, 12, 31)


def every_kind_of_target(world, n: int):
    """``n`` chains' worth of targets: one per metric the chain supports, plus towns, units, clusters and the city."""
    metrics = ["signed_projects", "signed_cny_1bn", "funds_in_place", "projects_started", "visits", "chain_output"]
    chains = [world["a"], world["b"], world["c"], *[ChainFactory(cluster=world["x"]) for _ in range(n)]]
    for chain in chains:
        for metric in metrics:
            target(metric, "10", scope_kind="chain", chain=chain)
    for metric in metrics:
        target(metric, "10")
        target(metric, "10", scope_kind="cluster", cluster=world["x"])
    for town in ("当湖街道", "钟埭街道", "新埭镇")[: 1 + n % 3]:
        target("signed_investment", "10", scope_kind="town", town=town)
    target("saturday_person_times", "10", scope_kind="unit", unit="平湖市商务局")
    target("signed_projects", "10", scope_kind="unit", unit=f"单位{n}")


@pytest.mark.parametrize("n", [1, 4])
def test_target_progress_queries_do_not_grow(world, django_assert_num_queries, n):
    every_kind_of_target(world, n)
    for i in range(n * 20):
        ProjectFactory(chain=world["a"], stage="signed", signed_date=D(2025, 1 + i % 12, 1), town="当湖街道")
    # The targets; bands (the signed figures), funds and milestones (two) each once for every scope kind (one
    # grouped read of the finest grain); visits once per kind (city, cluster, chain, unit) and chain output once
    # per kind (city, cluster, chain) = 1 + 1 + 1 + 2 + 4 + 3 = 12 (22 when every source was read per kind).
    with django_assert_num_queries(12):
        rows = target_progress(2025, AS_OF)
    assert len(rows) == 6 * (3 + n) + 12 + 1 + n % 3 + 2
    assert [row.actual for row in rows if row.target.scope_kind == "city" and row.metric == "signed_projects"] == [
        Decimal(3 + n * 20)
    ]


def test_rankings_queries(world, django_assert_num_queries):
    for town in ("当湖街道", "钟埭街道", "新埭镇"):
        target("signed_projects", "2", scope_kind="town", town=town)
        target("funds_in_place", "2", scope_kind="town", town=town)
    with django_assert_num_queries(4):  # targets, bands (the signed figures), funds, weights
        rankings(2025, AS_OF)


def test_trend_and_rows_behind(world, django_assert_num_queries):
    made = target("saturday_person_times", "10", scope_kind="unit", unit="平湖市商务局")
    with django_assert_num_queries(1):  # the visits by month (of the unit record: no names to look up)
        points = monthly_trend(made, 2025, as_of=AS_OF)
    assert [p.actual for p in points][2:7] == [Decimal("3")] * 4 + [Decimal("5")]
    assert sorted(v.date for v in rows_behind(made, AS_OF)) == [D(2025, 3, 1), D(2025, 7, 5)]
    band = target("signed_usd_100m", "1")
    assert [p.name for p in rows_behind(band, AS_OF)] == ["P2"]
    started = target("projects_started", "1", scope_kind="town", town="当湖街道")
    assert sorted(p.name for p in rows_behind(started, D(2025, 4, 30))) == ["P3"]
    output = target("chain_output", "1", scope_kind="cluster", cluster=world["x"])
    assert [m.industrial_output for m in rows_behind(output, AS_OF)] == [Decimal("25000")]
    funds = target("funds_in_place", "1", scope_kind="chain", chain=world["a"])
    assert sorted(r.domestic_funds for r in rows_behind(funds, D(2025, 6, 30))) == [Decimal("100"), Decimal("200")]
