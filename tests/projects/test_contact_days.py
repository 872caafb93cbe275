"""The daily rollup of first contacts (``ProjectContactDay``, projects.triggers.contact_days), after every write.

After each kind of write to projects, ``rollup_differences`` recomputes the rollup from the projects and
compares, and ``conversion`` (read from the rollup) equals the same figures counted from the projects
themselves, as it counted them before the rollup, for the city, every chain and every cluster.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q

from pinghu.figures import ratio
from projects import stats
from projects.choices import ProjectStage
from projects.models import Project, ProjectContactDay
from projects.periods import Period
from projects.rollups import rebuild_rollups, rollup_differences, rollups_deferred
from projects.services import project_create, project_transition
from projects.triggers.contact_days import CONTACT_DAYS
from tests.factories import EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date
PERIODS = [
    Period(D(2024, 1, 1), D(2024, 12, 31)),
    Period(D(2024, 3, 1), D(2024, 3, 31)),
    Period(D(2024, 3, 5), D(2024, 3, 5)),  # one day
    Period(D(2024, 3, 6), D(2024, 6, 30)),
    Period(D(2023, 1, 1), D(2025, 12, 31)),
    Period(D(2026, 1, 1), D(2026, 1, 31)),  # no project
]


def _project(chain, name: str, contact: datetime.date) -> Project:
    return project_create(
        project=Project(
            name=name,
            chain=chain,
            investor=EnterpriseFactory(),
            total_investment=Decimal("10"),
            first_contact_date=contact,
        ),
        by=None,
    )


def _sign(project: Project, on: datetime.date) -> None:
    project_transition(project, ProjectStage.SIGNED, by=None, on_date=on)


def _counted(period: Period, **scope) -> dict:
    """``conversion`` as it was computed before the rollup: from the projects themselves."""
    result = (
        stats.projects_of(**scope)
        .filter(first_contact_date__range=(period.start, period.end))
        .aggregate(contacted_projects=Count("pk"), converted_projects=Count("pk", filter=Q(signed_date__isnull=False)))
    )
    result["conversion_rate"] = ratio(result["converted_projects"], result["contacted_projects"])
    return result


def assert_in_step(world: dict) -> None:
    """The rollup equals a recomputation, and the conversion of every period and scope the projects' own."""
    # This rollup's only: some writes below skip the stage history (a project written directly, its stage set).
    assert rollup_differences()["projects_projectcontactday"] == 0
    scopes = [{}, *({"chain": world[code]} for code in "abc"), *({"cluster": world[name]} for name in ("n", "s"))]
    for period in PERIODS:
        for scope in scopes:
            assert stats.conversion(period, **scope) == _counted(period, **scope), (period, scope)


@pytest.fixture
def world(three_chains):
    a, b, c, north, south = (three_chains[key] for key in ("a", "b", "c", "north", "south"))
    p, q = _project(a, "P", D(2024, 3, 5)), _project(a, "Q", D(2024, 3, 5))
    r, s = _project(b, "R", D(2024, 3, 5)), _project(c, "S", D(2024, 7, 1))
    _sign(p, D(2024, 4, 1))
    _sign(s, D(2025, 1, 2))
    ProjectFactory(chain=a, first_contact_date=None)  # in no period
    world = {"a": a, "b": b, "c": c, "n": north, "s": south, "p": p, "q": q, "r": r, "S": s}
    assert_in_step(world)
    return world


def test_conversion_of_a_small_hand_counted_set(world):
    year, march = PERIODS[0], PERIODS[1]
    assert stats.conversion(year) == {"contacted_projects": 4, "converted_projects": 2, "conversion_rate": 0.5}
    assert stats.conversion(march, chain=world["a"]) == {
        "contacted_projects": 2,
        "converted_projects": 1,
        "conversion_rate": 0.5,
    }
    assert stats.conversion(march, cluster=world["n"])["contacted_projects"] == 3
    assert stats.conversion(year, cluster=world["s"])["converted_projects"] == 1  # signed the next year
    assert stats.conversion(PERIODS[-1]) == {"contacted_projects": 0, "converted_projects": 0, "conversion_rate": None}
    day = ProjectContactDay.objects.get(date=D(2024, 3, 5), chain=world["a"])
    assert (day.contacted_projects, day.converted_projects) == (2, 1)


def test_projects_written_one_by_one(world):
    q = world["q"]
    _sign(q, D(2024, 3, 20))  # signed
    assert_in_step(world)
    q.refresh_from_db()
    q.signed_date = D(2024, 3, 25)  # another signed date: the same row
    q.save()
    assert_in_step(world)
    q.first_contact_date = D(2024, 3, 6)  # another day
    q.save()
    assert_in_step(world)
    q.chain = world["c"]  # another chain, in another cluster
    q.save()
    assert_in_step(world)
    q.signed_date, q.stage = None, ProjectStage.DROPPED  # unsigned
    q.save()
    assert_in_step(world)
    q.first_contact_date = None  # out of every period
    q.save()
    assert_in_step(world)
    q.first_contact_date = D(2024, 1, 2)  # and back in
    q.save()
    assert_in_step(world)
    q.delete()
    assert_in_step(world)
    world["p"].delete()  # a signed one
    assert_in_step(world)
    _project(world["b"], "T", D(2024, 3, 5))
    assert_in_step(world)


def test_projects_written_by_querysets_and_in_bulk(world):
    Project.objects.filter(chain=world["a"]).update(chain=world["c"])
    assert_in_step(world)
    Project.objects.filter(first_contact_date=D(2024, 3, 5)).update(first_contact_date=D(2024, 2, 29))
    assert_in_step(world)
    Project.objects.filter(signed_date__isnull=False).update(signed_date=None, stage=ProjectStage.DROPPED)
    assert_in_step(world)
    Project.objects.filter(first_contact_date__isnull=False).update(
        signed_date=D(2024, 12, 31), stage=ProjectStage.SIGNED
    )
    assert_in_step(world)
    Project.objects.bulk_create(
        [
            Project(
                name=f"B{n}",
                chain=world["b" if n % 2 else "c"],
                investor=world["p"].investor,
                total_investment=Decimal("1"),
                first_contact_date=D(2024, 3, 1 + n % 3),
                signed_date=D(2024, 5, 1) if n % 3 == 0 else None,
                stage=ProjectStage.SIGNED if n % 3 == 0 else ProjectStage.LEAD,
            )
            for n in range(7)
        ]
    )
    assert_in_step(world)
    Project.objects.filter(first_contact_date=D(2024, 3, 2)).update(first_contact_date=None)
    assert_in_step(world)
    Project.objects.filter(chain=world["b"]).delete()
    assert_in_step(world)
    Project.objects.all().delete()
    assert_in_step(world)
    assert not ProjectContactDay.objects.exclude(contacted_projects=0).exists()


def test_a_bulk_load_rebuilds_the_rollup_and_a_rebuild_repairs_it(world):
    with rollups_deferred():
        _project(world["b"], "T", D(2024, 3, 7))
        Project.objects.filter(chain=world["a"]).update(first_contact_date=D(2024, 3, 7))
        if connection.vendor == "postgresql":  # the statement triggers stood aside
            assert not ProjectContactDay.objects.filter(date=D(2024, 3, 7)).exists()
    assert_in_step(world)
    CONTACT_DAYS.drop(connection)
    world["r"].delete()
    Project.objects.filter(pk=world["S"].pk).update(signed_date=None, stage=ProjectStage.ON_HOLD)
    assert rollup_differences()["projects_projectcontactday"] > 0
    rebuild_rollups()
    CONTACT_DAYS.install(connection)
    assert_in_step(world)
    _sign(world["q"], D(2024, 5, 5))  # the triggers go on from the rebuilt rows
    assert_in_step(world)


def test_the_rollup_refuses_more_signed_than_contacted(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectContactDay.objects.filter(date=D(2024, 3, 5), chain=world["a"]).update(converted_projects=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectContactDay.objects.filter(date=D(2024, 3, 5), chain=world["a"]).update(converted_projects=-1)


def test_conversion_reads_the_rollup_in_one_query(world, django_assert_num_queries):
    for scope in ({}, {"chain": world["a"]}, {"cluster": world["n"]}):
        with django_assert_num_queries(1) as queries:
            stats.conversion(PERIODS[0], **scope)
        assert "projects_projectcontactday" in queries.captured_queries[0]["sql"]
        assert 'projects_project"' not in queries.captured_queries[0]["sql"]
