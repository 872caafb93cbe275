"""The city's funds and visit figures read once for the dashboard and the targets panel of the same period (issue 22).

``funds_stats.funds_summary`` and ``stats_monthly.visit_months`` of the city keep their reads under the data
version of the computation running (``pinghu.figure_cache.shared_read``); the targets' ``funds_by_kinds`` and
``visits_by_kinds`` of the city take them from there, with no query, and give the figures of their own reads.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import funds_stats, stats_by_scope, stats_monthly
from projects.periods import Period
from projects.services import project_funds_create
from tests.factories import ChainFactory, InvestmentVisitFactory, LeaderFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("under_version")]
D = datetime.date
YEAR = Period(D(2024, 1, 1), D(2024, 12, 31))
EMPTY_YEAR = Period(D(2022, 1, 1), D(2022, 12, 31))


@pytest.fixture
def figures():
    chain = ChainFactory()
    project = ProjectFactory(chain=chain)
    for month, domestic, foreign in ((D(2024, 2, 1), "1200.50", "30"), (D(2024, 7, 1), "99.99", "0.01")):
        project_funds_create(
            project=project,
            month=month,
            domestic_funds=Decimal(domestic),
            actual_foreign_investment=Decimal(foreign),
            by=None,
        )
    leader = LeaderFactory()
    InvestmentVisitFactory(date=D(2024, 3, 2), leaders=[leader], chains=[chain])  # a Saturday
    InvestmentVisitFactory(date=D(2024, 3, 4), leaders=[leader], chains=[chain])
    InvestmentVisitFactory(date=D(2023, 12, 30), leaders=[leader], chains=[chain])  # before the period
    return chain


@pytest.mark.parametrize("period", [YEAR, EMPTY_YEAR])
def test_the_targets_city_funds_and_visits_reuse_the_dashboard_s_reads(under_version, figures, period):
    own = stats_by_scope.funds_by_kinds(period, ["city"]), stats_by_scope.visits_by_kinds(period, ["city"])

    def compute():
        funds_stats.funds_summary(period)
        stats_monthly.visit_months(period)
        with CaptureQueriesContext(connection) as queries:
            found = stats_by_scope.funds_by_kinds(period, ["city"]), stats_by_scope.visits_by_kinds(period, ["city"])
        assert len(queries.captured_queries) == 0
        return found

    assert under_version(compute) == own
    if period == YEAR:
        assert own[0]["city"][None] == {"funds_in_place": Decimal("1300.49"), "foreign_paid_in": Decimal("30.01")}
        assert own[1]["city"][None] == {"visits": 2, "saturday_person_times": 1}


def test_other_kinds_and_other_periods_read_their_own_rows(under_version, figures):
    def compute():
        funds_stats.funds_summary(YEAR)
        stats_monthly.visit_months(YEAR)
        with CaptureQueriesContext(connection) as queries:
            found = (
                stats_by_scope.funds_by_kinds(YEAR, ["city", "chain"]),
                stats_by_scope.visits_by_kinds(YEAR, ["city", "chain"]),
                stats_by_scope.funds_by_kinds(EMPTY_YEAR, ["city"]),
            )
        assert len(queries.captured_queries) == 3  # funds of both kinds, the chains' visits, the other year
        return found

    assert under_version(compute) == (
        stats_by_scope.funds_by_kinds(YEAR, ["city", "chain"]),
        stats_by_scope.visits_by_kinds(YEAR, ["city", "chain"]),
        stats_by_scope.funds_by_kinds(EMPTY_YEAR, ["city"]),
    )


def test_nothing_is_found_outside_a_computation_or_under_a_newer_version(under_version, figures):
    funds_stats.funds_summary(YEAR)
    stats_monthly.visit_months(YEAR)
    assert funds_stats.city_funds_found(YEAR) is None
    assert stats_monthly.city_visit_totals_found(YEAR) is None

    under_version(lambda: (funds_stats.funds_summary(YEAR), stats_monthly.visit_months(YEAR)))
    InvestmentVisitFactory(date=D(2024, 5, 4), chains=[figures])  # moves the data version
    caches["default"].delete("pinghu:test:shared-reads")

    def compute():
        assert funds_stats.city_funds_found(YEAR) is None
        return stats_by_scope.visits_by_kinds(YEAR, ["city"])

    assert under_version(compute)["city"][None]["visits"] == 3
