"""The rows behind every count of a closed report, per scope and per target, and the drift that names them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import ProjectFunds
from reports.drift import _flatten, compare, drift
from reports.identities import rows_key
from reports.services import report_close, report_create
from tests.reports.conftest import MARCH

D = datetime.date
pytestmark = pytest.mark.django_db
# Figures that are sums over their rows, not counts of them.
SUMS = ("person_times", "average_days_to_resolve")


def closed(template):
    return report_close(
        report=report_create(template=template, period_kind="month", period_start=MARCH, by=None), by=None
    )


@pytest.fixture
def target(world):
    from targets.services import target_create

    data = {"year": 2025, "scope_kind": "chain", "chain": world["a"], "metric": "signed_projects", "value": 4}
    return target_create(data=data, by=None)


def test_every_count_of_every_scope_is_the_number_of_its_rows(world, template, target):
    version = closed(template)
    rows, checked = version.rows, 0
    for path, value in _flatten(version.figures).items():
        key = rows_key(path)
        if key is None or not isinstance(value, int) or path.endswith(SUMS) or key.startswith("targets."):
            continue
        assert len(rows.get(key, [])) == value, path
        checked += 1
    assert checked > 150  # the summary's, each chain's, cluster's and town's counts
    p1, p2 = world["p1"].pk, world["p2"].pk
    assert rows["chains.a.visits"] == sorted([world["v1"].pk, world["v2"].pk]) and rows["chains.b.visits"] == [
        world["v1"].pk
    ]
    assert rows["clusters.x.visits"] == sorted([world["v1"].pk, world["v2"].pk])  # V1 concerns A and B: once
    assert rows["chains.a.signed_projects"] == [p1] and rows["towns.钟埭街道.signed_projects"] == [p2]
    assert rows["chains.a.funds_records"] == list(ProjectFunds.objects.values_list("pk", flat=True))
    assert len(rows["towns.当湖街道.parcels_supplied"]) == 1
    # Chain A's target: signed 1 January – 31 March in chain A, P1 only.
    [row] = [row for row in version.figures["targets"] if row["id"] == target.pk]
    assert Decimal(row["actual"]) == len(rows[f"targets.{target.pk}"]) == 1
    assert rows[f"targets.{target.pk}"] == [p1]


def test_a_target_with_nothing_to_count_yet_has_no_rows(world, template):
    from targets.services import target_create

    data = {"year": 2025, "scope_kind": "chain", "chain": world["a"], "metric": "chain_output", "value": 100}
    target = target_create(data=data, by=None)  # no output figures recorded for any firm of chain A
    version = closed(template)
    assert version.rows[f"targets.{target.pk}"] == [] and version.rows["models"][f"targets.{target.pk}"]


def test_a_project_moved_to_another_chain_shows_in_both_chains_with_its_name(world, template):
    version = closed(template)
    world["p1"].chain = world["c"]  # corrected: P1 belongs to chain C (cluster Y)
    world["p1"].save()
    items = {item.path: item for item in drift(version)}
    assert (items["chains.a.signed_projects"].stored, items["chains.a.signed_projects"].live) == (1, 0)
    assert items["chains.a.signed_projects"].removed == [(world["p1"].pk, "P1")]
    assert items["chains.c.signed_projects"].added == [(world["p1"].pk, "P1")]
    assert items["clusters.y.signed_investment"].added == [(world["p1"].pk, "P1")]
    assert "summary.signed_projects" not in items  # the city's count is the same
    assert items["chains.a.funds_in_place"].removed == [(ProjectFunds.objects.get().pk, "")]  # a record, not P1


def test_a_targets_actual_that_drifts_names_the_projects_behind_it(world, template, target):
    version = closed(template)
    world["p2"].chain = world["a"]  # corrected: P2 is chain A's, so chain A's target counts it
    world["p2"].save()
    items = {item.path: item for item in drift(version)}
    assert items[f"targets.{target.pk}.actual"].added == [(world["p2"].pk, "P2")]


def test_the_drift_is_computed_once_per_data_version(world, template):
    version = closed(template)
    assert drift(version) == []
    with CaptureQueriesContext(connection) as cached:
        assert drift(version) == []
    assert len(cached) == 1  # the data version
    world["v2"].delete()
    assert [item.path for item in drift(version)][:1] == ["chains.a.person_times"]


def test_a_version_closed_before_scopes_rows_were_kept_lists_only_what_it_kept(world, template):
    version = closed(template)
    old_rows = {key: ids for key, ids in version.rows.items() if "." not in key and key not in ("format", "models")}
    world["p1"].chain = world["c"]
    world["p1"].save()
    from reports.drift import live

    figures, rows = live(version)
    items = {item.path: item for item in compare(version.figures, old_rows, figures, rows)}
    assert items["chains.a.signed_projects"].removed == []  # not kept: the figure is marked, no rows named
    assert not [path for path in items if path.startswith("rows.")]
