"""The dashboard and chain figures are cached, yet every kind of write shows on the next view.

The cache key holds the data version, which database triggers move with every write to the tables
of the chains and projects apps (``pinghu.dataversion``): each test views, writes by one path
(service, admin, import, restore, ``QuerySet.update()``, raw SQL, deletion of an older row) and
views again.
"""

import datetime
import time
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

import aftercare.triggers
import chains.triggers
import projects.triggers
import targets.triggers
from chains.models import Chain, ChainLeadership, Enterprise, EnterpriseChainRole, Leader
from pinghu import dataversion
from pinghu.imports import run_import
from pinghu.permissions import Role
from projects.imports import VisitResource
from projects.models import InvestmentVisit, Project
from projects.restore import project_restore, visit_restore
from projects.services import (
    project_create,
    project_delete,
    project_transition,
    visit_create,
    visit_delete,
    visit_update,
)
from tests.factories import (
    ChainFactory,
    ChainLeadershipFactory,
    ClusterFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    LeaderFactory,
    SigningEventFactory,
    UserFactory,
    unit_named,
)
from tests.importfiles import xlsx_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
PERIOD = {"period": "custom", "start": "2024-01-01", "end": "2024-06-30"}


@pytest.fixture
def world(client):
    cluster = ClusterFactory(code="equipment", name="高端装备")
    nev = ChainFactory(code="nev", name="新能源汽车", cluster=cluster)
    cnc = ChainFactory(code="cnc", name="高档数控机床", cluster=cluster)
    zhang, li = LeaderFactory(name="张三"), LeaderFactory(name="李四")
    ChainLeadershipFactory(chain=nev, leader=zhang, role="chief", start_date=D(2023, 1, 1))
    lead_firm = EnterpriseFactory(name="平湖乙制造有限公司")
    EnterpriseChainRoleFactory(enterprise=lead_firm, chain=nev, is_lead=True)
    project = project_create(
        project=Project(
            name="电池项目",
            chain=nev,
            investor=EnterpriseFactory(name="嘉兴甲科技有限公司"),
            total_investment=Decimal("500.00"),
            first_contact_date=D(2024, 1, 5),
        ),
        by=None,
    )
    project = project_transition(
        project, "signed", by=None, on_date=D(2024, 3, 1), stage_dates={"negotiating": D(2024, 2, 1)}
    )
    visits = [
        visit_create(
            visit=InvestmentVisit(date=day, host_unit=unit_named("经信局"), enterprise=lead_firm, purpose="走访"),
            leaders=[zhang, li],
            chains=[nev],
            projects=[project],
            by=None,
        )
        for day in (D(2024, 3, 2), D(2024, 3, 9))
    ]
    user = UserFactory(username="bureau", roles=[Role.BUREAU_STAFF], is_staff=True)
    client.force_login(user)
    return {"nev": nev, "cnc": cnc, "zhang": zhang, "li": li, "project": project, "visits": visits, "user": user}


def seen(client, url="/") -> dict:
    """What the dashboard shows of the chain nev and the city."""
    context = client.get(url, PERIOD).context
    if url != "/":
        return {"visits": context["summary"]["visits"], "signed": context["summary"]["signed_projects"]}
    row = next(row for group in context["clusters"] for row in group["rows"] if row["chain"].code == "nev")
    return {
        "visits": context["summary"]["visits"],
        "person_times": context["summary"]["person_times"],
        "nev_visits": row["visits"]["visits"],
        "signed": context["summary"]["signed_projects"],
        "investment": context["summary"]["signed_investment"],
        "major": context["summary"]["major_projects"],
        "stages": {stage: count for stage, count, _link in row["stages"] if count},
        "leads": row["leads"],
        "chiefs": [item.leader.name for item in row["chiefs"]],
        "name": row["chain"].name,
    }


def changed(before: dict, after: dict) -> dict:
    return {key: after[key] for key in after if after[key] != before[key]}


def test_a_repeated_view_is_answered_from_the_cache(client, world):
    seen(client)
    with CaptureQueriesContext(connection) as again:
        seen(client)
    # Session, user, the role's permission read, the user's roles (whether "/" starts with an official's own
    # part, projects.phone.has_official_home) and the data version: no figure is computed.
    assert len(again.captured_queries) <= 6


def test_a_new_visit_shows(client, world):
    before = seen(client)
    visit_create(
        visit=InvestmentVisit(
            date=D(2024, 4, 1), host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访"
        ),
        leaders=[world["li"]],
        chains=[world["nev"], world["cnc"]],
        projects=[],
        by=None,
    )
    assert changed(before, seen(client)) == {"visits": 3, "person_times": 5, "nev_visits": 3}


def test_an_edited_visit_shows(client, world):
    before = seen(client)
    visit = world["visits"][1]
    visit.date = D(2024, 7, 1)  # out of the period
    visit_update(visit=visit, leaders=[world["zhang"]], chains=[world["nev"]], projects=[])
    assert changed(before, seen(client)) == {"visits": 1, "person_times": 2, "nev_visits": 1}


def test_deleting_the_older_of_two_visits_shows(client, world):
    # The reported case: neither the newest change nor the highest id moves when an older row goes.
    before = seen(client)
    visit_delete(world["visits"][0])
    assert changed(before, seen(client)) == {"visits": 1, "person_times": 2, "nev_visits": 1}
    assert seen(client, "/chains/nev/")["visits"] == 1


def test_a_restored_visit_shows(client, world):
    old = world["visits"][0]
    pk = old.pk
    visit_delete(old)
    before = seen(client)
    visit_restore(InvestmentVisit.history.filter(id=pk, history_type="-").latest("history_date"))
    assert changed(before, seen(client)) == {"visits": 2, "person_times": 4, "nev_visits": 2}


def test_a_restored_project_shows(client, world):
    pk = world["project"].pk
    project_delete(world["project"])
    before = seen(client)
    project_restore(Project.history.filter(id=pk).latest("history_date"))
    after = changed(before, seen(client))
    assert after["signed"] == 1 and after["stages"] == {"signed": 1}


def test_an_import_shows(client, world, import_uploads):
    resource = VisitResource()
    names = [resource.get_field_name(field) for field in resource.get_import_fields()]
    headers = [str(field.column_name) for field in resource.get_import_fields()]
    row = {
        "date": "2024-04-02",
        "enterprise": "平湖乙制造有限公司",
        "leaders": "张三",
        "chains": "nev",
        "host_unit": unit_named("经信局").name,
        "purpose": "洽谈扩产",
    }
    data = xlsx_bytes([headers, [row.get(name) for name in names]])
    before = seen(client)
    report = run_import(resource, data, "v.xlsx", user=world["user"], dry_run=False)
    assert report.ok, report.problems
    assert changed(before, seen(client)) == {"visits": 3, "person_times": 5, "nev_visits": 3}


def test_admin_bulk_actions_show(client, world, admin_client):
    before = seen(client)
    project = world["project"]
    changelist = "/admin/projects/project/"
    selection = {"action": "change_stage", "_selected_action": [project.pk]}
    shown = admin_client.post(changelist, selection).context["projects"][0].version
    response = admin_client.post(
        changelist,
        selection | {f"version-{project.pk}": shown, "apply": "1", "to_stage": "registered", "date": "2024-06-01"},
    )
    assert response.status_code == 302
    assert changed(before, seen(client)) == {"stages": {"registered": 1}}

    before = seen(client)
    visits = {"action": "delete_selected", "_selected_action": [world["visits"][0].pk], "post": "yes"}
    assert admin_client.post("/admin/projects/investmentvisit/", visits).status_code == 302
    assert changed(before, seen(client)) == {"visits": 1, "person_times": 2, "nev_visits": 1}


def test_a_stage_change_shows(client, world):
    before = seen(client)
    project_transition(world["project"], "registered", by=None, on_date=D(2024, 5, 1))
    assert changed(before, seen(client)) == {"stages": {"registered": 1}}


def test_writes_that_touch_no_timestamp_show(client, world):
    before = seen(client)
    Project.objects.filter(pk=world["project"].pk).update(total_investment=Decimal("750.00"))
    assert changed(before, seen(client)) == {"investment": Decimal("750.00")}
    before = seen(client)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_investmentvisit SET date = %s WHERE id = %s", [D(2023, 1, 1), world["visits"][0].pk]
        )
    assert changed(before, seen(client)) == {"visits": 1, "person_times": 2, "nev_visits": 1}


def test_enterprise_chain_and_leader_changes_show(client, world):
    before = seen(client)
    Enterprise.objects.filter(name="嘉兴甲科技有限公司").update(fortune500=True)  # its project becomes major
    EnterpriseChainRole.objects.update(is_lead=False)
    Leader.objects.filter(pk=world["zhang"].pk).update(name="张三丰")
    Chain.objects.filter(pk=world["nev"].pk).update(name="新能源汽车及零部件")
    assert changed(before, seen(client)) == {
        "major": 1,
        "leads": 0,
        "chiefs": ["张三丰"],
        "name": "新能源汽车及零部件",
    }
    before = seen(client)
    ChainLeadership.objects.update(end_date=D(2024, 1, 1))
    assert changed(before, seen(client)) == {"chiefs": []}


def test_every_table_of_the_chains_projects_aftercare_and_targets_apps_moves_the_version():
    """A new model (or link table) is covered by being declared here; forgetting it fails this test."""
    sets = (
        chains.triggers.DATA_VERSION,
        projects.triggers.DATA_VERSION,
        aftercare.triggers.DATA_VERSION,
        targets.triggers.DATA_VERSION,
    )
    declared = {
        trigger.table
        for trigger_set in sets
        for trigger in trigger_set.objects["postgresql"]
        if hasattr(trigger, "table")
    }
    tables = {
        model._meta.db_table
        for label in ("chains", "projects", "aftercare", "targets")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model.__name__.startswith("Historical")
    }
    assert declared | set(chains.triggers.WITHOUT_DATA_VERSION) == tables
    assert not declared & set(chains.triggers.WITHOUT_DATA_VERSION)


def test_the_version_moves_with_each_write_and_only_then(world):
    first = dataversion.current()
    assert first == dataversion.current()
    LeaderFactory()
    second = dataversion.current()
    assert second != first
    InvestmentVisit.objects.filter(pk=world["visits"][0].pk).delete()
    third = dataversion.current()
    assert third not in (first, second)
    SigningEventFactory()  # a conference: its projects' figures are read with it
    assert dataversion.current() not in (first, second, third)


@pytest.mark.django_db(transaction=True)
def test_writers_never_wait_for_each_other_on_the_version():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    import psycopg2

    LeaderFactory()  # a committed slot
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )
    try:
        with other.cursor() as cursor:  # another transaction holds every slot there is
            cursor.execute("SELECT slot FROM pinghu_dataversion FOR UPDATE")
            before = dataversion.current()
            with connection.cursor() as ours:
                ours.execute("SET lock_timeout = '2s'")
            started = time.monotonic()
            LeaderFactory()  # takes a slot of its own instead of waiting
            assert time.monotonic() - started < 1
            assert dataversion.current() != before
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as ours:
            ours.execute("SET lock_timeout = 0")
