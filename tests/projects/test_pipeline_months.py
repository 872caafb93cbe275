"""The monthly rollup of the pipeline's daily deltas (``PipelineMonth``, projects.triggers.pipeline_months).

After each kind of write to stage changes and projects, ``rollup_differences`` recomputes the daily and
monthly rows from the stage history and compares, and the pipeline read from the month and day rows
(``stats.pipeline``, ``stats.pipeline_and_by_chain``) equals, to the Decimal's last digit, the pipeline
summed from the daily rows alone (as it was read before the month rows), for days before all history,
at a month's first and last day, mid-month, today and in the future, for the city, a chain and a cluster.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from projects import stats
from projects.choices import ProjectStage
from projects.models import PipelineDelta, PipelineMonth, Project, ProjectStageChange
from projects.periods import Period
from projects.rollups import rebuild_rollups, rollup_differences, rollups_deferred
from projects.services import project_create, project_transition
from projects.triggers.pipeline_months import PIPELINE_MONTHS
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = [
    D(2023, 12, 31),  # before all history
    D(2024, 1, 1),
    D(2024, 1, 5),  # the first stage changes' day
    D(2024, 1, 31),  # a month's last day
    D(2024, 2, 1),  # a month's first day
    D(2024, 2, 15),  # mid-month
    D(2024, 2, 29),
    D(2024, 3, 1),
    D(2024, 3, 20),
    D(2024, 4, 30),
    D(2025, 6, 15),  # after all history
    D(2099, 12, 31),
]


def _project(chain, name: str, investment: str, contact: datetime.date) -> Project:
    return project_create(
        project=Project(
            name=name,
            chain=chain,
            investor=EnterpriseFactory(),
            total_investment=Decimal(investment),
            first_contact_date=contact,
        ),
        by=None,
    )


def _daily_rows(as_of: datetime.date, *keys: str, chain=None, cluster=None):
    """The pipeline summed from the daily rows alone, as the readers did before the month rows."""
    deltas = PipelineDelta.objects.filter(date__lte=as_of)
    if chain is not None:
        deltas = deltas.filter(chain=chain)
    if cluster is not None:
        deltas = deltas.filter(chain__cluster=cluster)
    return (
        deltas.values(*keys, stage_then=F("stage"))
        .annotate(
            projects=Sum("projects"), investment=Coalesce(Sum("investment"), stats.ZERO, output_field=stats.MONEY)
        )
        .order_by()
    )


def _from_days_by_chain(as_of: datetime.date) -> tuple[list[dict], dict]:
    city, by_chain = {}, {}
    for row in _daily_rows(as_of, "chain"):
        total = city.setdefault(
            row["stage_then"], {"stage_then": row["stage_then"], "projects": 0, "investment": stats.ZERO}
        )
        total["projects"] += row["projects"]
        total["investment"] += row["investment"]
        if row["projects"] > 0:
            by_chain.setdefault(row["chain"], {})[row["stage_then"]] = row["projects"]
    return stats._pipeline_rows(city.values()), by_chain


def assert_in_step(world) -> None:
    """The rollups equal a recomputation, and the pipeline read from the months equals the days' own."""
    assert {key: value for key, value in rollup_differences().items() if value} == {}
    for as_of in AS_OF:
        period = Period(as_of.replace(month=1, day=1), as_of)
        for scope in ({}, {"chain": world["a"]}, {"chain": world["c"]}, {"cluster": world["north"]}):
            expected = stats._pipeline_rows(_daily_rows(as_of, **scope))
            # repr: the same Decimals, exponent included (0 and 0.00 print differently)
            assert repr(stats.pipeline(period, **scope)) == repr(expected), (as_of, scope)
        city, by_chain = stats.pipeline_and_by_chain(period)
        expected_city, expected_by_chain = _from_days_by_chain(as_of)
        assert (repr(city), by_chain) == (repr(expected_city), expected_by_chain), as_of  # (chains in any order)


@pytest.fixture
def world(three_chains):
    a, b, c, north, south = (three_chains[key] for key in ("a", "b", "c", "north", "south"))
    p = _project(a, "P", "100.50", D(2024, 1, 5))
    q = _project(a, "Q", "7.25", D(2024, 1, 5))
    r = _project(c, "R", "0.10", D(2024, 2, 20))
    project_transition(p, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 1, 31))
    project_transition(q, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 2, 1))
    project_transition(p, ProjectStage.ON_HOLD, by=None, on_date=D(2024, 2, 15))
    world = {"north": north, "south": south, "a": a, "b": b, "c": c, "p": p, "q": q, "r": r}
    assert_in_step(world)
    return world


def test_a_month_row_sums_its_days(world):
    a = world["a"]
    january = PipelineMonth.objects.get(month=D(2024, 1, 1), chain=a, stage=ProjectStage.LEAD)
    assert (january.projects, january.investment) == (1, Decimal("7.25"))  # P came and left, Q stayed
    february = {row.stage: row.projects for row in PipelineMonth.objects.filter(month=D(2024, 2, 1), chain=a)}
    assert february == {"lead": -1, "negotiating": 0, "on_hold": 1}
    # the rows that sum to zero are kept, as the daily rows are
    assert PipelineMonth.objects.filter(projects=0).exists()
    assert PipelineMonth.objects.count() == len(
        {
            (day.replace(day=1), chain, stage)
            for day, chain, stage in PipelineDelta.objects.values_list("date", "chain", "stage")
        }
    )


def test_stage_changes_across_a_month_boundary(world):
    p, q = world["p"], world["q"]
    project_transition(p, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 3, 1))
    assert_in_step(world)
    # a change moved to another month, and to another day of its month, by queryset updates
    ProjectStageChange.objects.filter(project=q, to_stage=ProjectStage.NEGOTIATING).update(at=D(2024, 1, 31))
    assert_in_step(world)
    ProjectStageChange.objects.filter(project=q, to_stage=ProjectStage.NEGOTIATING).update(at=D(2024, 1, 20))
    assert_in_step(world)
    ProjectStageChange.objects.filter(project=p, to_stage=ProjectStage.ON_HOLD).update(at=D(2024, 4, 30))
    assert_in_step(world)


def test_a_project_moved_to_another_chain_or_amount(world):
    p = world["p"]
    p.refresh_from_db()
    p.chain, p.total_investment = world["c"], Decimal("3.33")  # another cluster too
    p.save()
    assert_in_step(world)
    Project.objects.filter(chain=world["a"]).update(chain=world["b"], total_investment=Decimal("0"))
    assert_in_step(world)


def test_deletions(world):
    ProjectStageChange.objects.filter(project=world["p"], to_stage=ProjectStage.ON_HOLD).delete()
    Project.objects.filter(pk=world["p"].pk).update(stage=ProjectStage.NEGOTIATING)
    assert_in_step(world)
    world["q"].delete()
    assert_in_step(world)
    Project.objects.all().delete()
    assert_in_step(world)
    assert not PipelineMonth.objects.exclude(projects=0).exists()


def test_stage_changes_in_bulk_insert_and_update_daily_rows_in_one_statement(world):
    """One statement that both adds to existing daily rows and creates new ones (PostgreSQL: an upsert firing
    the INSERT and the UPDATE statement triggers; SQLite: each row's INSERT or UPDATE trigger)."""
    p, q, r = world["p"], world["q"], world["r"]
    ProjectStageChange.objects.bulk_create(
        [
            ProjectStageChange(project=r, from_stage="lead", to_stage="negotiating", at=D(2024, 2, 15)),  # a day there
            ProjectStageChange(project=q, from_stage="negotiating", to_stage="on_hold", at=D(2024, 3, 5)),  # a new day
            ProjectStageChange(project=p, from_stage="on_hold", to_stage="negotiating", at=D(2024, 3, 5)),
        ]
    )
    Project.objects.filter(pk__in=[r.pk, p.pk]).update(stage="negotiating")
    Project.objects.filter(pk=q.pk).update(stage="on_hold")
    assert_in_step(world)


def test_a_bulk_load_and_a_rebuild(world):
    with rollups_deferred():
        project_transition(world["q"], ProjectStage.ON_HOLD, by=None, on_date=D(2024, 5, 2))
        if connection.vendor == "postgresql":  # the statement triggers stood aside
            assert not PipelineMonth.objects.filter(month=D(2024, 5, 1)).exists()
    assert_in_step(world)
    PIPELINE_MONTHS.drop(connection)
    project_transition(world["q"], ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 6, 3))
    assert rollup_differences()["projects_pipelinemonth"] > 0
    rebuild_rollups()
    PIPELINE_MONTHS.install(connection)
    assert_in_step(world)
    project_transition(world["q"], ProjectStage.SIGNED, by=None, on_date=D(2024, 6, 4))  # on from the rebuilt rows
    assert_in_step(world)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_pipelinemonth SET projects = projects + 1")
    assert rollup_differences()["projects_pipelinemonth"] > 0
    rebuild_rollups()
    assert_in_step(world)


def test_the_pipeline_reads_months_and_days_in_one_query(world, django_assert_num_queries):
    period = Period(D(2024, 1, 1), D(2024, 3, 20))
    with django_assert_num_queries(1) as queries:
        stats.pipeline(period, cluster=world["north"])
    sql = queries.captured_queries[0]["sql"]
    assert "projects_pipelinemonth" in sql and "projects_pipelinedelta" in sql and "UNION ALL" in sql
    with django_assert_num_queries(1):
        stats.pipeline_and_by_chain(period)


def test_a_month_row_is_keyed_on_the_first_day(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PipelineMonth.objects.create(
            month=D(2024, 7, 2), chain=world["a"], stage="lead", projects=0, investment=Decimal("0")
        )
