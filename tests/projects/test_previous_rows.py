"""What links and funds records keep of their project's other rows (projects.triggers.previous_rows), after every write.

After each kind of write, ``rollup_differences`` recomputes the kept columns from the rows and
compares, and the figures read from them (projects engaged, on Saturdays, per chain; projects with
money in, per chain and town) equal the same figures counted with a DISTINCT over the rows.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q

from projects import funds_stats, stats
from projects.models import InvestmentVisit, Project, ProjectFunds, VisitProject
from projects.periods import Period
from projects.rollups import rebuild_rollups, rollup_differences, rollups_deferred
from projects.services import project_create, visit_create, visit_update
from projects.stats_saturday import SATURDAY, engaged_by_chain, engaged_figures
from projects.triggers.previous_rows import PREVIOUS_ROWS
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, unit_named

pytestmark = pytest.mark.django_db
D = datetime.date
PERIODS = [
    Period(D(2024, 1, 1), D(2024, 12, 31)),
    Period(D(2024, 3, 2), D(2024, 3, 9)),
    Period(D(2024, 3, 3), D(2024, 6, 30)),
    Period(D(2024, 3, 9), D(2024, 3, 9)),
    Period(D(2023, 1, 1), D(2025, 12, 31)),
    Period(D(2024, 4, 15), D(2024, 5, 20)),
]


def _project(chain, name: str, town: str = "") -> Project:
    return project_create(
        project=Project(
            name=name, chain=chain, investor=EnterpriseFactory(), town=town, total_investment=Decimal("10")
        ),
        by=None,
    )


def _visit(date: datetime.date, projects: list[Project], chains) -> InvestmentVisit:
    visit = InvestmentVisit(date=date, host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访")
    return visit_create(visit=visit, leaders=[LeaderFactory()], chains=chains, projects=projects, by=None)


def _funds(project: Project, month: datetime.date, domestic: str, foreign: str = "0") -> ProjectFunds:
    return ProjectFunds.objects.create(
        project=project, month=month, domestic_funds=Decimal(domestic), actual_foreign_investment=Decimal(foreign)
    )


def assert_figures_counted_right() -> None:
    """The kept columns equal a recomputation, and every figure read from them equals a DISTINCT count."""
    assert {key: value for key, value in rollup_differences().items() if value} == {}
    for period in PERIODS:
        links = VisitProject.objects.filter(visit_date__range=(period.start, period.end))
        distinct = links.aggregate(
            projects_engaged=Count("project", distinct=True),
            saturday_projects_engaged=Count("project", distinct=True, filter=Q(visit_date__week_day=SATURDAY)),
        )
        assert engaged_figures(period) == distinct, period
        per_chain = dict(
            links.values("project__chain")
            .annotate(n=Count("project", distinct=True))
            .values_list("project__chain", "n")
        )
        assert {
            chain: row["projects_engaged"] for chain, row in engaged_by_chain(period).items() if row["projects_engaged"]
        } == per_chain
        records = ProjectFunds.objects.filter(month__range=(period.start.replace(day=1), period.end))
        money_in = Q(domestic_funds__gt=0) | Q(actual_foreign_investment__gt=0)
        with_money = records.aggregate(n=Count("project", distinct=True, filter=money_in))["n"]
        assert funds_stats.funds_summary(period)["projects_with_funds"] == with_money, period
        by_town = dict(
            records.values("project__town")
            .annotate(n=Count("project", distinct=True, filter=money_in))
            .values_list("project__town", "n")
        )
        assert {
            row["town"]: row["projects_with_funds"]
            for row in funds_stats.funds_by_town(period)
            if row["projects_with_funds"]
        } == {town: n for town, n in by_town.items() if n}


@pytest.fixture
def world():
    a, b = ChainFactory(code="a"), ChainFactory(code="b")
    p, q, r = _project(a, "P", "广陈镇"), _project(a, "Q"), _project(b, "R", "广陈镇")
    # Saturdays: 2024-03-02, 03-09, 04-20; weekdays: 03-04, 05-06.
    visits = [
        _visit(D(2024, 3, 2), [p, q], [a]),
        _visit(D(2024, 3, 4), [p], [a]),
        _visit(D(2024, 3, 9), [p, r], [a, b]),
        _visit(D(2024, 4, 20), [q], [a]),
        _visit(D(2024, 5, 6), [r, p], [b]),
    ]
    _funds(p, D(2024, 2, 1), "5")
    _funds(p, D(2024, 3, 1), "0")
    _funds(p, D(2024, 4, 1), "0", "2")
    _funds(q, D(2024, 3, 1), "1")
    _funds(r, D(2024, 5, 1), "0")
    assert_figures_counted_right()
    return {"a": a, "b": b, "p": p, "q": q, "r": r, "visits": visits}


def test_links_keep_their_previous_dates_and_chain(world):
    p = world["p"]
    links = VisitProject.objects.filter(project=p).order_by("visit_date")
    assert [(link.visit_date, link.previous_date, link.previous_saturday_date) for link in links] == [
        (D(2024, 3, 2), None, None),
        (D(2024, 3, 4), D(2024, 3, 2), None),
        (D(2024, 3, 9), D(2024, 3, 4), D(2024, 3, 2)),
        (D(2024, 5, 6), D(2024, 3, 9), None),
    ]
    assert {link.project_chain_id for link in links} == {world["a"].pk}
    assert stats.visit_summary(Period(D(2024, 3, 3), D(2024, 3, 9)))["projects_engaged"] == 2


def test_links_added_and_removed(world):
    visit = world["visits"][0]
    visit_update(
        visit=visit, leaders=list(visit.leaders.all()), chains=[world["a"]], projects=[world["r"]], new_enterprise=None
    )
    assert_figures_counted_right()
    VisitProject.objects.filter(project=world["p"], visit_date=D(2024, 3, 4)).delete()
    assert_figures_counted_right()
    VisitProject.objects.create(visit=world["visits"][3], project=world["p"])
    assert_figures_counted_right()
    world["visits"][2].delete()
    assert_figures_counted_right()


def test_a_visit_moved_to_another_day(world):
    first, _second, third, *_ = world["visits"]
    first.date = D(2024, 5, 11)  # a later Saturday: its projects' links reorder
    visit_update(
        visit=first,
        leaders=list(first.leaders.all()),
        chains=[world["a"]],
        projects=[world["p"], world["q"]],
        new_enterprise=None,
    )
    assert_figures_counted_right()
    InvestmentVisit.objects.filter(pk=third.pk).update(date=D(2024, 3, 5))  # no longer a Saturday
    assert_figures_counted_right()
    InvestmentVisit.objects.update(date=D(2024, 4, 20))  # every visit on one day: the links' ids order them
    assert_figures_counted_right()


def test_a_project_moved_to_another_chain_or_town(world):
    p = world["p"]
    p.chain, p.town = world["b"], "乍浦镇"
    p.save()
    assert set(VisitProject.objects.filter(project=p).values_list("project_chain", flat=True)) == {world["b"].pk}
    assert set(ProjectFunds.objects.filter(project=p).values_list("project_chain", "project_town")) == {
        (world["b"].pk, "乍浦镇")
    }
    assert_figures_counted_right()
    Project.objects.filter(pk=world["q"].pk).update(chain=world["b"], town="广陈镇")
    assert_figures_counted_right()
    world["r"].delete()
    assert_figures_counted_right()


def test_funds_records_written_and_deleted(world):
    p, q = world["p"], world["q"]
    ProjectFunds.objects.filter(project=p, month=D(2024, 2, 1)).update(domestic_funds=Decimal("0"))
    assert_figures_counted_right()
    record = ProjectFunds.objects.get(project=p, month=D(2024, 3, 1))
    record.domestic_funds = Decimal("3")
    record.save()
    assert_figures_counted_right()
    ProjectFunds.objects.filter(project=q).update(month=D(2024, 6, 1))
    assert_figures_counted_right()
    ProjectFunds.objects.filter(project=p, month=D(2024, 4, 1)).delete()
    _funds(q, D(2024, 1, 1), "4")
    assert_figures_counted_right()


def test_a_bulk_load_and_a_rebuild_set_the_columns(world):
    with rollups_deferred():
        visit = _visit(D(2024, 3, 16), [world["q"], world["r"]], [world["a"]])
        _funds(world["r"], D(2024, 2, 1), "9")
    assert visit.pk
    assert_figures_counted_right()
    # A direct write of the columns is repaired by the triggers at once: without them (a load with the
    # triggers off), rebuild_rollups repairs what rollup_differences (rebuild_rollups --check) reports.
    PREVIOUS_ROWS.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_visitproject SET previous_date = NULL, project_chain_id = NULL")
        cursor.execute("UPDATE projects_projectfunds SET previous_funded_month = NULL, project_town = 'x'")
    differences = rollup_differences()
    assert differences["projects_visitproject.previous_date"] > 0
    assert differences["projects_projectfunds.previous_funded_month"] > 0
    rebuild_rollups()
    PREVIOUS_ROWS.install(connection)
    assert_figures_counted_right()


@pytest.mark.django_db(transaction=True)
def test_two_transactions_linking_one_project_take_turns():
    """On PostgreSQL each transaction recomputes the rows it sees: the second waits for the first's commit."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    import threading
    import time

    from django.db import connections, transaction

    chain = ChainFactory(code="a")
    project = _project(chain, "P")
    later, earlier = _visit(D(2024, 3, 9), [], [chain]), _visit(D(2024, 3, 2), [], [chain])

    def link_the_earlier_visit():
        try:
            VisitProject.objects.create(visit=earlier, project=project)
        finally:
            connections.close_all()

    with transaction.atomic():
        VisitProject.objects.create(visit=later, project=project)
        other = threading.Thread(target=link_the_earlier_visit)
        other.start()
        time.sleep(0.5)  # the other transaction's insert runs (and, without the lock, its recomputation too)
    other.join()
    assert rollup_differences()["projects_visitproject.previous_date"] == 0
    assert engaged_figures(Period(D(2024, 3, 1), D(2024, 3, 31)))["projects_engaged"] == 1
