"""The projects app's triggers (``projects.triggers``): installed after every migrate, idempotently, on both databases.

On SQLite, Django alters a table by copying it, and the copy has none of the old table's
triggers: ``post_migrate`` puts them back. Schema changes run under ``transactional_db`` (SQLite's
schema editor refuses to work inside the test's transaction); each such test removes what it
added, and the flush that ends it runs ``post_migrate`` too, so later tests find the schema and the
triggers as they were. Whether the rollups follow every kind of write is ``test_rollups.py``.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder

from projects import triggers
from projects.choices import ProjectStage
from projects.models import InvestmentVisit, Project, ProjectStageChange
from projects.rollups import rebuild_rollups, rollup_differences
from projects.services import project_create, project_transition, visit_create, visit_update
from tests.dbtriggers import declared_triggers, definitions, installed_triggers
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, unit_named

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
sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="PostgreSQL alters a table in place, keeping its triggers"
)


def a_visit(leaders: int = 2) -> InvestmentVisit:
    return visit_create(
        visit=InvestmentVisit(
            date=D(2024, 3, 2), host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访"
        ),
        leaders=[LeaderFactory() for _ in range(leaders)],
        chains=[ChainFactory()],
        projects=[],
        by=None,
    )


def leader_counts() -> dict[int, int]:
    """Each visit's leader_count, next to the number of its leader rows."""
    return {
        visit.pk: (visit.leader_count, visit.leader_links.count())
        for visit in InvestmentVisit.objects.prefetch_related("leader_links")
    }


def assert_kept() -> None:
    assert rollup_differences() == IN_STEP
    assert all(kept == counted for kept, counted in leader_counts().values())


@pytest.mark.django_db
def test_the_migrations_installed_every_declared_trigger():
    assert declared_triggers(*triggers.TRIGGER_SETS) <= installed_triggers()


@pytest.mark.django_db
def test_installing_twice_in_a_row_changes_nothing():
    before = definitions()
    triggers.install(connection)
    triggers.install(connection)
    assert definitions() == before
    visit = a_visit(leaders=2)  # counted once, not once per install
    assert leader_counts()[visit.pk] == (2, 2)
    assert_kept()


@pytest.mark.django_db
def test_drop_removes_them_and_install_brings_them_back():
    triggers.drop(connection)
    assert not declared_triggers(*triggers.TRIGGER_SETS) & installed_triggers()
    triggers.install(connection)
    assert declared_triggers(*triggers.TRIGGER_SETS) <= installed_triggers()
    a_visit()
    assert_kept()


@pytest.mark.django_db
def test_after_migrate_a_set_is_installed_only_once_its_migration_is_applied():
    # As after ``migrate projects 0005``: 0006's reversal dropped the rollup triggers and emptied
    # the rollups; triggers put back over them would refill them partially.
    triggers.drop(connection)
    MigrationRecorder(connection).record_unapplied("projects", "0006_rollup_triggers")
    triggers.install_after_migrate(sender=None, using=connection.alias)
    assert declared_triggers(triggers.LEADER_COUNT) <= installed_triggers()
    assert not declared_triggers(triggers.ROLLUPS) & installed_triggers()
    MigrationRecorder(connection).record_applied("projects", "0006_rollup_triggers")
    triggers.install_after_migrate(sender=None, using=connection.alias)
    assert declared_triggers(triggers.ROLLUPS) <= installed_triggers()


@sqlite_only
def test_migrate_reinstalls_the_triggers_a_table_rebuild_dropped(transactional_db):
    from pinghu import dataversion
    from projects.models import FollowUp

    project = project_create(
        project=Project(
            name="P",
            chain=ChainFactory(),
            investor=EnterpriseFactory(),
            total_investment=Decimal("1"),
            first_contact_date=D(2024, 1, 5),
        ),
        by=None,
    )
    # A field with a default: SQLite's schema editor copies projects_followup (a table no other
    # table's trigger names) to add it, and the copy has none of its data-version triggers.
    field = models.IntegerField(default=0)
    field.set_attributes_from_name("rebuild_marker")
    with connection.schema_editor() as editor:
        editor.add_field(FollowUp, field)
    try:
        on_follow_ups = {
            item.name
            for item in triggers.DATA_VERSION.objects["sqlite"]
            if getattr(item, "table", None) == "projects_followup"
        }
        assert on_follow_ups and not on_follow_ups & installed_triggers()  # silently: the migration succeeded
    finally:
        with connection.schema_editor() as editor:
            editor.remove_field(FollowUp, field)
    call_command("migrate", verbosity=0)
    assert declared_triggers(*triggers.TRIGGER_SETS) <= installed_triggers()
    before = dataversion.current()
    FollowUp.objects.create(project=project, date=D(2024, 2, 1), note="回访")
    assert dataversion.current() != before


@sqlite_only
def test_a_table_other_triggers_name_is_rebuilt_once_they_are_dropped(transactional_db):
    visit = a_visit(leaders=2)
    field = models.IntegerField(default=0)
    field.set_attributes_from_name("rebuild_marker")
    # SQLite refuses to copy projects_investmentvisit while the leader-count triggers name it (and
    # Django's schema editor then leaves the database half altered), so a migration that alters it
    # drops the triggers first, alters, and leaves their return to post_migrate.
    triggers.drop(connection)
    with connection.schema_editor() as editor:
        editor.add_field(InvestmentVisit, field)
    with connection.schema_editor() as editor:
        editor.remove_field(InvestmentVisit, field)
    call_command("migrate", verbosity=0)
    assert declared_triggers(*triggers.TRIGGER_SETS) <= installed_triggers()
    visit.date = D(2024, 3, 9)
    visit_update(
        visit=visit, leaders=[*visit.leaders.all(), LeaderFactory()], chains=[], projects=[], new_enterprise=None
    )
    assert leader_counts()[visit.pk] == (3, 3)
    assert_kept()


@pytest.mark.django_db
def test_a_rebuild_keeps_the_rows_that_sum_to_zero_that_the_triggers_subtract_from():
    # The first and second stage change of a project on one day leave its first stage a zero row.
    project = project_create(
        project=Project(
            name="P",
            chain=ChainFactory(),
            investor=EnterpriseFactory(),
            total_investment=Decimal("10"),
            first_contact_date=D(2024, 1, 5),
        ),
        by=None,
    )
    project_transition(project, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 1, 5))
    rebuild_rollups()
    # Deleting the second change puts the project back into its first stage on that day: SQLite's
    # trigger adds that to the zero row, which a rebuild that left it out would have lost.
    ProjectStageChange.objects.filter(project=project, to_stage=ProjectStage.NEGOTIATING).delete()
    Project.objects.filter(pk=project.pk).update(stage=ProjectStage.LEAD)
    assert rollup_differences() == IN_STEP
