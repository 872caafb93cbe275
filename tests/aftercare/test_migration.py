"""The move of the service of established firms from ``projects`` to ``aftercare`` keeps every row.

A database at the last migration before the move (projects 0010), with rows in every moved table,
their history, and a group holding their permissions, is migrated forward to today's head.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pinghu.permissions import Role

BEFORE = [("aftercare", None), ("projects", "0010_enterprise_services")]  # every other app stays at head
MOVED_MODELS = ["salonevent", "enterpriseissue", "issuestep", "cadreassignment", "landrenewal"]


def _migrate(targets):
    """Migrate to ``targets``; the historical models as of there (an app migrated to zero has none)."""
    executor = MigrationExecutor(connection)
    named = {app for app, _name in targets}
    targets = [*targets, *((app, name) for app, name in executor.loader.graph.leaf_nodes() if app not in named)]
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def _head():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def at_the_old_layout(transactional_db):
    """The database as projects 0010 left it; afterwards back at head, whatever happened."""
    old_apps = _migrate(BEFORE)
    yield old_apps
    _migrate(_head())


def _seed(apps) -> dict:
    """One row in each moved table, history rows, and a group holding their permissions."""
    get = apps.get_model
    cluster = get("chains", "Cluster").objects.create(code="c", name="装备", sort_order=1)
    chain = get("chains", "Chain").objects.create(
        cluster=cluster, code="nev", name="新能源汽车", kind="key", sort_order=1
    )
    firm = get("chains", "Enterprise").objects.create(name="演示甲有限公司")
    leader = get("chains", "Leader").objects.create(name="演示市长", title="市长")
    user = get("auth", "User").objects.create(username="cadre")
    day = datetime.date(2026, 3, 2)
    salon = get("projects", "SalonEvent").objects.create(date=day, host=leader, place="经开区")
    salon.enterprises.add(firm)
    issue = get("projects", "EnterpriseIssue").objects.create(
        enterprise=firm, channel="salon", salon=salon, category="land", description="用地指标", received_on=day
    )
    step = get("projects", "IssueStep").objects.create(issue=issue, to_status="received", on=day, by=user)
    cadre = get("projects", "CadreAssignment").objects.create(cadre_user=user, enterprise=firm, start_date=day)
    project = get("projects", "Project").objects.create(
        name="演示项目",
        chain=chain,
        stage="lead",
        first_contact_date=day,
        source="visit",
        total_investment=100,
        investor=firm,
    )
    renewal = get("projects", "LandRenewal").objects.create(enterprise=firm, project=project, land_area="12.50")
    history = get("projects", "HistoricalEnterpriseIssue")
    history.objects.create(
        id=issue.pk,
        enterprise_id=firm.pk,
        channel="salon",
        salon_id=salon.pk,
        category="land",
        description="用地指标",
        received_on=day,
        status="received",
        created_at=issue.created_at,
        updated_at=issue.updated_at,
        history_date=issue.created_at,
        history_type="+",
        history_user_id=user.pk,
    )
    get("projects", "HistoricalSalonEvent_enterprises").objects.create(
        history=get("projects", "HistoricalSalonEvent").objects.create(
            id=salon.pk,
            date=day,
            host_id=leader.pk,
            place="经开区",
            created_at=salon.created_at,
            updated_at=salon.updated_at,
            history_date=salon.created_at,
            history_type="+",
        ),
        id=salon.enterprises.through.objects.get().pk,
        salonevent_id=salon.pk,
        enterprise_id=firm.pk,
    )
    ContentType = get("contenttypes", "ContentType")
    Permission = get("auth", "Permission")
    group = get("auth", "Group").objects.create(name="诉求专班")
    for model in MOVED_MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="projects", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=f"change_{model}", defaults={"name": f"Can change {model}"}
        )
        group.permissions.add(permission)
    return {
        "salon": salon.pk,
        "issue": issue.pk,
        "step": step.pk,
        "cadre": cadre.pk,
        "renewal": renewal.pk,
        "firm": firm.pk,
        "permissions": set(group.permissions.values_list("pk", flat=True)),
    }


def test_moving_to_aftercare_keeps_every_row_its_history_and_its_permissions(at_the_old_layout):
    from django.contrib.contenttypes.models import ContentType

    # Undone (the fixture migrated back), the move left the tables and content types as they were.
    tables = set(connection.introspection.table_names())
    assert {"projects_enterpriseissue", "projects_historicalsalonevent_enterprises"} <= tables
    assert not {name for name in tables if name.startswith("aftercare_")}
    assert ContentType.objects.filter(app_label="projects", model="enterpriseissue").exists()
    assert not ContentType.objects.filter(app_label="aftercare").exists()
    seeded = _seed(at_the_old_layout)

    _migrate(_head())

    from django.contrib.auth.models import Group

    from aftercare.models import CadreAssignment, EnterpriseIssue, IssueStep, LandRenewal, SalonEvent

    salon = SalonEvent.objects.get(pk=seeded["salon"])
    assert list(salon.enterprises.values_list("pk", flat=True)) == [seeded["firm"]]
    issue = EnterpriseIssue.objects.get(pk=seeded["issue"])
    assert (issue.salon_id, issue.description, issue.status) == (salon.pk, "用地指标", "received")
    assert IssueStep.objects.get(pk=seeded["step"]).issue_id == issue.pk
    assert CadreAssignment.objects.current().get(pk=seeded["cadre"]).enterprise_id == seeded["firm"]
    assert str(LandRenewal.objects.get(pk=seeded["renewal"]).land_area) == "12.50"
    # The history came along: the problem's first version, and the salon's firms as they were.
    assert [(h.history_type, h.description) for h in issue.history.all()] == [("+", "用地指标")]
    assert [row.enterprise_id for row in salon.history.get().enterprises.all()] == [seeded["firm"]]
    # The same permission rows, now labelled aftercare; the group still holds them.
    group = Group.objects.get(name="诉求专班")
    assert set(group.permissions.values_list("pk", flat=True)) == seeded["permissions"]
    assert sorted(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("aftercare", f"change_{model}") for model in sorted(MOVED_MODELS)
    ]
    # The role groups' permissions on the moved models did not fall away either.
    bureau = Group.objects.get(name=Role.BUREAU_STAFF)
    assert bureau.permissions.filter(content_type__app_label="aftercare", codename="change_enterpriseissue").exists()
    assert not bureau.permissions.filter(content_type__app_label="projects", codename__endswith="enterpriseissue")
