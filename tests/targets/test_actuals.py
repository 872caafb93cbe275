"""Each metric's actual by hand, per scope kind, at the year's end and at the end of June (as it stood then)."""

import datetime
from decimal import Decimal

import pytest

from targets.selectors import target_progress
from tests.targets.conftest import target

D = datetime.date
YEAR_END = D(2025, 12, 31)
END_OF_JUNE = D(2025, 6, 30)


def actual_of(made, as_of):
    (row,) = [row for row in target_progress(2025, as_of) if row.target.pk == made.pk]
    return row.actual


@pytest.mark.parametrize(
    ("metric", "year_end", "june"),
    [
        ("signed_projects", "3", "2"),
        ("signed_investment", "165000", "15000"),
        ("signed_cny_100m", "2", "1"),
        ("signed_cny_1bn", "1", "0"),
        ("signed_usd_100m", "1", "0"),
        ("funds_in_place", "1000", "700"),
        ("foreign_paid_in", "50", "0"),
        ("projects_started", "2", "2"),
        ("projects_in_production", "1", "0"),
        ("saturday_person_times", "5", "3"),
        ("visits", "3", "2"),
        ("chain_output", "25000", "25000"),
    ],
)
def test_city_actual_of_every_metric(world, metric, year_end, june):
    made = target(metric, "10")
    assert actual_of(made, YEAR_END) == Decimal(year_end)
    assert actual_of(made, END_OF_JUNE) == Decimal(june)


@pytest.mark.parametrize(
    ("metric", "scope_kind", "scope", "expected"),
    [
        ("signed_projects", "chain", "a", "2"),
        ("signed_investment", "cluster", "x", "162000"),
        ("signed_projects", "town", "当湖街道", "1"),
        ("projects_started", "town", "当湖街道", "2"),
        ("signed_projects", "unit", "平湖市商务局", "2"),
        ("funds_in_place", "chain", "a", "600"),
        ("funds_in_place", "unit", "平湖市经信局", "400"),
        ("visits", "chain", "a", "2"),
        ("visits", "cluster", "x", "2"),
        ("saturday_person_times", "cluster", "x", "3"),
        ("saturday_person_times", "unit", "平湖市 商务局", "5"),
        ("chain_output", "chain", "a", "25000"),
        ("chain_output", "cluster", "x", "25000"),
        ("chain_output", "chain", "c", "0"),
    ],
)
def test_scoped_actuals(world, metric, scope_kind, scope, expected):
    references = {"chain": {"chain": world.get(scope)}, "cluster": {"cluster": world.get(scope)}}
    made = target(metric, "10", scope_kind=scope_kind, **references.get(scope_kind, {scope_kind: scope}))
    assert actual_of(made, YEAR_END) == Decimal(expected)


def test_multi_year_chain_output_takes_the_latest_year_with_figures(world):
    chain_c = target("chain_output", "10000", scope_kind="chain", chain=world["c"], year_from=2024, year_to=2025)
    city = target("chain_output", "2500000", year_from=2023, year_to=2025)
    assert actual_of(chain_c, YEAR_END) == Decimal("5000")
    assert actual_of(city, YEAR_END) == Decimal("25000")
    # As of 2024 the span stops at 2024: E1 20,000 (E2 in C too: the city counts 25,000).
    (row,) = [row for row in target_progress(2024, D(2024, 12, 31)) if row.target.pk == city.pk]
    assert row.actual == Decimal("25000")
