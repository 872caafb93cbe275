"""The trigger-kept rollups (VisitDay, VisitDayChain, PipelineDelta, VisitProject.visit_date) after every kind of write.

After each write, ``rollup_differences`` recomputes every rollup from the source rows and
compares: any trigger missing or wrong (on either database) leaves a difference.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from projects import stats
from projects.choices import ProjectStage
from projects.models import InvestmentVisit, PipelineDelta, Project, VisitDay, VisitLeader, VisitProject
from projects.rollups import rebuild_rollups, rollup_differences, rollups_deferred
from projects.services import project_create, project_transition, visit_create, visit_update
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, unit_named

pytestmark = pytest.mark.django_db
D = datetime.date
IN_STEP = {
    "projects_visitday": 0,
    "projects_visitdaychain": 0,
    "projects_visitdayleader": 0,
    "projects_pipelinedelta": 0,
    "projects_pipelinemonth": 0,
    "projects_projectfundsmonth": 0,
    "projects_projectcontactday": 0,
    "projects_project.stage": 0,
    "projects_visitproject.visit_date": 0,
    "projects_visitproject.previous_date": 0,
    "projects_projectfunds.previous_funded_month": 0,
}


@pytest.fixture
def world():
    a, b = ChainFactory(code="a"), ChainFactory(code="b")
    leaders = [LeaderFactory() for _ in range(3)]
    project = project_create(
        project=Project(
            name="P",
            chain=a,
            investor=EnterpriseFactory(),
            total_investment=Decimal("100.50"),
            first_contact_date=D(2024, 1, 5),
        ),
        by=None,
    )
    visit = visit_create(
        visit=InvestmentVisit(
            date=D(2024, 3, 2), host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访"
        ),
        leaders=leaders[:2],
        chains=[a, b],
        projects=[project],
        by=None,
    )
    assert rollup_differences() == IN_STEP
    return {"a": a, "b": b, "leaders": leaders, "project": project, "visit": visit}


def test_a_visit_is_counted_per_day_and_chain(world):
    day = VisitDay.objects.get(date=D(2024, 3, 2))
    assert (day.visit_count, day.leader_count, day.is_saturday) == (1, 2, True)
    assert VisitProject.objects.get().visit_date == D(2024, 3, 2)
    VisitProject.objects.update(visit_date=D(2000, 1, 1))  # the database keeps the visit's own date
    assert VisitProject.objects.get().visit_date == D(2024, 3, 2)


def test_editing_a_visit_moves_its_counts(world):
    visit = world["visit"]
    visit.date = D(2024, 3, 4)
    visit_update(visit=visit, leaders=world["leaders"], chains=[world["b"]], projects=[], new_enterprise=None)
    assert rollup_differences() == IN_STEP
    assert VisitDay.objects.get(date=D(2024, 3, 2)).visit_count == 0
    assert VisitDay.objects.get(date=D(2024, 3, 4)).leader_count == 3


def test_bulk_and_queryset_writes_are_counted(world):
    InvestmentVisit.objects.filter(pk=world["visit"].pk).update(date=D(2024, 2, 1))
    VisitLeader.objects.filter(visit=world["visit"]).delete()
    world["visit"].chains.remove(world["a"])
    other = InvestmentVisit.objects.create(
        date=D(2024, 2, 1), host_unit=unit_named("x"), enterprise=EnterpriseFactory(), purpose="p"
    )
    other.chains.add(world["a"], world["b"])
    VisitLeader.objects.bulk_create([VisitLeader(visit=other, leader=leader) for leader in world["leaders"]])
    assert rollup_differences() == IN_STEP
    assert VisitProject.objects.get().visit_date == D(2024, 2, 1)


def test_deleting_visits_and_chains(world):
    world["visit"].delete()
    assert rollup_differences() == IN_STEP
    assert VisitDay.objects.get(date=D(2024, 3, 2)).visit_count == 0


def test_stage_changes_and_project_edits_move_the_pipeline(world):
    project = world["project"]
    project_transition(project, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 2, 1))
    project_transition(project, ProjectStage.ON_HOLD, by=None, on_date=D(2024, 2, 10))
    project_transition(project, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 2, 10))
    assert rollup_differences() == IN_STEP
    project.refresh_from_db()
    project.chain, project.total_investment = world["b"], Decimal("0")
    project.save()
    assert rollup_differences() == IN_STEP
    Project.objects.filter(pk=project.pk).update(total_investment=Decimal("7.25"))
    assert rollup_differences() == IN_STEP
    past = stats.Period(D(2024, 1, 1), D(2024, 2, 5))
    rows = {row["stage"]: row for row in stats.pipeline(past, chain=world["b"]) if row["projects"]}
    assert list(rows) == ["negotiating"] and rows["negotiating"]["investment"] == Decimal("7.25")
    assert not any(row["projects"] for row in stats.pipeline(past, chain=world["a"]))
    project.delete()
    assert rollup_differences() == IN_STEP
    assert not PipelineDelta.objects.exclude(projects=0).exists()


def test_rebuild_repairs_what_check_reports(world):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM projects_visitdaychain")
        cursor.execute("UPDATE projects_visitday SET leader_count = 9")
    assert rollup_differences()["projects_visitdaychain"] == 2
    assert rollup_differences()["projects_visitday"] == 2
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--check", stdout=open("/dev/null", "w"))
    call_command("rebuild_rollups", stdout=open("/dev/null", "w"))
    assert rollup_differences() == IN_STEP
    rebuild_rollups()  # idempotent
    assert rollup_differences() == IN_STEP


def test_rollups_cannot_go_negative(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VisitDay.objects.filter(date=D(2024, 3, 2)).update(visit_count=-1)


def test_a_bulk_load_rebuilds_the_rollups_before_it_commits(world):
    with rollups_deferred():
        visit = InvestmentVisit.objects.create(
            date=D(2024, 5, 6), host_unit=unit_named("x"), enterprise=EnterpriseFactory(), purpose="p"
        )
        visit.chains.add(world["a"])
        if connection.vendor == "postgresql":  # the statement triggers stood aside
            assert not VisitDay.objects.filter(date=D(2024, 5, 6)).exists()
    assert rollup_differences() == IN_STEP
    assert VisitDay.objects.get(date=D(2024, 5, 6)).visit_count == 1
    visit.chains.remove(world["a"])  # the setting ended with the transaction: triggers work again
    assert rollup_differences() == IN_STEP


def test_each_leader_s_visits_per_day_follow_every_write(world):
    """VisitDayLeader: leader rows added, re-pointed and deleted, a visit moved to another day."""
    from projects.models import VisitDayLeader

    visit, leaders = world["visit"], world["leaders"]
    first, second, third = leaders

    def per_day():
        return {(row.date, row.leader_id): row.visit_count for row in VisitDayLeader.objects.exclude(visit_count=0)}

    assert per_day() == {(D(2024, 3, 2), first.pk): 1, (D(2024, 3, 2), second.pk): 1}
    VisitLeader.objects.filter(visit=visit, leader=second).update(leader=third)
    InvestmentVisit.objects.filter(pk=visit.pk).update(date=D(2024, 3, 9))
    assert rollup_differences() == IN_STEP
    assert per_day() == {(D(2024, 3, 9), first.pk): 1, (D(2024, 3, 9), third.pk): 1}
    visit.delete()
    assert rollup_differences() == IN_STEP
    assert per_day() == {}
