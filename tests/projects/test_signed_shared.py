"""The period's signed projects per chain read once for the dashboard and the targets panel (issue 22).

``signed_groups.signed_groups_by_chain`` keeps its read under the data version of the computation running
(``pinghu.figure_cache.shared_read``); ``stats_by_scope.bands_by_kinds`` of the city and chains takes it
from there, with no query, and gives the figures of its own read.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import stats, stats_by_scope
from projects.choices import ProjectStage
from projects.periods import Period
from projects.signed_groups import signed_groups_by_chain
from tests.factories import ChainFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("under_version")]
D = datetime.date
YEAR = Period(D(2024, 1, 1), D(2024, 12, 31))


@pytest.fixture
def signed_projects():
    a, b = ChainFactory(), ChainFactory()
    for chain, total in ((a, "10000"), (a, "150000.55"), (b, "9999.99"), (b, "80000.10")):
        ProjectFactory(
            chain=chain, stage=ProjectStage.SIGNED, signed_date=D(2024, 5, 1), total_investment=Decimal(total)
        )
    ProjectFactory(chain=a, stage=ProjectStage.SIGNED, signed_date=D(2023, 12, 31))  # before the period
    return a, b


@pytest.mark.parametrize("period", [YEAR, Period(D(2022, 1, 1), D(2022, 12, 31))])  # the second has no signing
def test_the_targets_bands_of_the_city_and_chains_reuse_the_dashboard_s_read(under_version, signed_projects, period):
    kinds = ["city", "chain"]
    own = stats_by_scope.bands_by_kinds(period, kinds)

    def compute():
        dashboard = stats.signed_summary_and_by_chain(period)
        with CaptureQueriesContext(connection) as queries:
            found = stats_by_scope.bands_by_kinds(period, kinds), stats_by_scope.bands_by_kinds(period, ["city"])
        assert len(queries.captured_queries) == 0
        return dashboard, found

    dashboard, (both, city) = under_version(compute)
    assert both == own and city == {"city": own["city"]}
    if period == YEAR:
        assert own["city"][None]["signed_projects"] == dashboard[0]["signed_projects"] == 4


def test_nothing_is_kept_or_found_outside_a_computation_under_a_version(signed_projects):
    stats.signed_summary_and_by_chain(YEAR)
    assert signed_groups_by_chain(YEAR, if_read=True) is None
    with CaptureQueriesContext(connection) as queries:
        stats_by_scope.bands_by_kinds(YEAR, ["city"])
    assert len(queries.captured_queries) == 1  # its own read


def test_a_computation_under_a_newer_version_reads_again(under_version, signed_projects):
    a, _b = signed_projects
    under_version(lambda: stats.signed_summary_and_by_chain(YEAR))
    ProjectFactory(chain=a, stage=ProjectStage.SIGNED, signed_date=D(2024, 6, 1))  # moves the data version

    def compute():
        assert signed_groups_by_chain(YEAR, if_read=True) is None
        return stats_by_scope.bands_by_kinds(YEAR, ["city"])

    caches["default"].delete("pinghu:test:shared-reads")
    assert under_version(compute)["city"][None]["signed_projects"] == 5


def test_other_scope_kinds_read_their_own_rows(under_version, signed_projects):
    def compute():
        stats.signed_summary_and_by_chain(YEAR)
        with CaptureQueriesContext(connection) as queries:
            found = stats_by_scope.bands_by_kinds(YEAR, ["city", "town"])
        assert len(queries.captured_queries) == 1
        return found

    assert under_version(compute) == stats_by_scope.bands_by_kinds(YEAR, ["city", "town"])
