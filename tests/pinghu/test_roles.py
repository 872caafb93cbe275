"""The role × action matrix, in the API, the pages and the admin (pinghu.permissions is the one rule).

The world: chain A is led by the chain leader's ``Leader``; chain B by nobody here. The official
entered one project, is responsible for another and recorded one visit; everything else belongs to
somebody else. Each test asks every role the same question and compares with the role table.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from chains.models import Chain
from pinghu.concurrency import etag_of, version_of
from pinghu.permissions import Role, may
from pinghu.services import api_token_issue
from projects.models import InvestmentVisit, Project
from projects.services import project_create
from tests.factories import (
    ChainFactory,
    ChainLeadershipFactory,
    EnterpriseFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    UserFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db

ROLES = ["official", "chain_leader", "bureau", "api_consumer", "admin", "nobody"]
GROUP = {
    "official": Role.OFFICIAL,
    "chain_leader": Role.CHAIN_LEADER,
    "bureau": Role.BUREAU_STAFF,
    "api_consumer": Role.API_CONSUMER,
    "admin": Role.ADMIN,
}


class World:
    def __init__(self):
        self.users = {
            name: UserFactory(username=name, roles=[GROUP[name]] if name in GROUP else [])
            for name in ROLES + ["someone"]
        }
        self.chain_a, self.chain_b = ChainFactory(name="甲链"), ChainFactory(name="乙链")
        ChainLeadershipFactory(
            chain=self.chain_a,
            leader=LeaderFactory(user=self.users["chain_leader"]),
            start_date=datetime.date(2023, 1, 1),
        )
        # A former appointment gives no rights any more.
        ChainLeadershipFactory(
            chain=self.chain_b,
            leader=self.users["chain_leader"].leader,
            role="deputy",
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2022, 12, 31),
        )
        official, someone = self.users["official"], self.users["someone"]
        self.entered = self.project("官员录入的项目", self.chain_b, by=official)
        self.responsible = self.project("官员负责的项目", self.chain_b, by=someone, responsible=official)
        self.in_led_chain = self.project("甲链项目", self.chain_a, by=someone)
        self.other = self.project("他人的项目", self.chain_b, by=someone)
        self.own_visit = InvestmentVisitFactory(recorded_by=official, leaders=[LeaderFactory()])
        self.other_visit = InvestmentVisitFactory(recorded_by=someone, leaders=[LeaderFactory()])

    def project(self, name, chain, by, responsible=None):
        return project_create(
            project=Project(
                name=name,
                chain=chain,
                investor=EnterpriseFactory(),
                total_investment=Decimal("100"),
                responsible_official=responsible,
                first_contact_date=datetime.date(2024, 1, 1),
            ),
            by=by,
        )

    def api(self, role: str) -> APIClient:
        """A write-scope token: the role, not the token's scope, is under test."""
        _token, key = api_token_issue(user=self.users[role], scope="write")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    def site(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


@pytest.fixture
def world():
    return World()


def expect(allowed: set[str], yes: int, no: int) -> dict[str, int]:
    return {role: yes if role in allowed else no for role in ROLES}


def visit_body() -> dict:
    return {
        "date": "2024-03-02",
        "leaders": [LeaderFactory().pk],
        "host_unit": unit_named("经信局").pk,
        "enterprise": EnterpriseFactory().pk,
        "purpose": "走访",
    }


# ---------------------------------------------------------------- groups


def test_the_migration_makes_the_five_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.ALL)
    official = Group.objects.get(name=Role.OFFICIAL)
    codenames = set(official.permissions.values_list("codename", flat=True))
    assert {"add_investmentvisit", "change_project", "view_enterprise"} <= codenames
    assert not codenames & {"change_chain", "add_user", "export_data", "delete_project"}
    assert Group.objects.get(name=Role.ADMIN).permissions.filter(codename="change_user").exists()


def test_the_groups_are_made_again_after_a_flush(transactional_db):
    # The test database's flush empties auth_group; the post_migrate sync puts the roles back.
    Group.objects.all().delete()
    call_command("migrate", "--run-syncdb", verbosity=0)
    assert Group.objects.filter(name__in=Role.ALL).count() == len(Role.ALL)
    assert Group.objects.get(name=Role.CHAIN_LEADER).permissions.filter(codename="change_project").exists()


# ---------------------------------------------------------------- API


def test_api_read(world):
    expected = expect({"official", "chain_leader", "bureau", "api_consumer", "admin"}, 200, 403)
    for path in ["/api/v1/projects/", "/api/v1/visits/", "/api/v1/chains/", "/api/v1/stats/summary/"]:
        got = {role: world.api(role).get(path).status_code for role in ROLES}
        assert got == expected, path


def test_api_export_is_for_bureau_staff_and_admins(world):
    got = {role: world.api(role).get("/api/v1/projects/", {"format": "csv"}).status_code for role in ROLES}
    assert got == expect({"bureau", "admin"}, 200, 403)
    refused = world.api("official").get("/api/v1/visits/", {"format": "xlsx"})
    assert refused.status_code == 403 and "导出" in refused.json()["detail"]


def test_api_log_a_visit(world):
    got = {role: world.api(role).post("/api/v1/visits/", visit_body(), format="json").status_code for role in ROLES}
    assert got == expect({"official", "admin"}, 201, 403)


def _patch(client, path):
    read = client.get(path)
    if read.status_code != 200:
        return read.status_code
    tag = read["ETag"]
    body = {"purpose": "改"} if "/visits/" in path else {"name": "改名"}
    return client.patch(path, body, format="json", HTTP_IF_MATCH=tag).status_code


def test_api_edit_visits_own_only(world):
    own = {role: _patch(world.api(role), f"/api/v1/visits/{world.own_visit.pk}/") for role in ROLES}
    assert own == expect({"official", "admin"}, 200, 403)
    other = {role: _patch(world.api(role), f"/api/v1/visits/{world.other_visit.pk}/") for role in ROLES}
    assert other == expect({"admin"}, 200, 403)


def test_api_create_projects(world):
    body = {"name": "新项目", "chain": world.chain_b.code, "investor": EnterpriseFactory().pk, "total_investment": "1"}
    got = {role: world.api(role).post("/api/v1/projects/", body, format="json").status_code for role in ROLES}
    assert got == expect({"official", "admin"}, 201, 403)
    assert Project.objects.filter(name="新项目", created_by=world.users["official"]).exists()


@pytest.mark.parametrize(
    ("project", "allowed"),
    [
        ("entered", {"official", "bureau", "admin"}),
        ("responsible", {"official", "bureau", "admin"}),
        ("in_led_chain", {"chain_leader", "bureau", "admin"}),
        ("other", {"bureau", "admin"}),
    ],
)
def test_api_edit_projects(world, project, allowed):
    # Bureau staff correct any project (issue 20: projects.rules.is_bureau_staff).
    path = f"/api/v1/projects/{getattr(world, project).pk}/"
    assert {role: _patch(world.api(role), path) for role in ROLES} == expect(allowed, 200, 403)


def test_api_stage_change_follows_the_project_rule(world):
    def move(role, project):
        body = {"to_stage": "negotiating", "date": "2024-02-01"}
        status = world.api(role).post(f"/api/v1/projects/{project.pk}/transition/", body, format="json").status_code
        if status == 200:  # moved: put it back for the next role
            Project.objects.filter(pk=project.pk).update(stage="lead")
            project.stage_changes.filter(to_stage="negotiating").delete()
        return status

    got = {role: move(role, world.in_led_chain) for role in ROLES}
    assert got == expect({"chain_leader", "bureau", "admin"}, 200, 403)
    # The leader's chain is A; the former deputy appointment on B gives nothing.
    assert move("chain_leader", world.other) == 403


def test_api_reference_data_is_read_only_for_everyone(world):
    for role in ("bureau", "admin"):
        response = world.api(role).post("/api/v1/chains/", {"code": "x", "name": "x"}, format="json")
        assert response.status_code in (403, 405)
    assert Chain.objects.get(pk=world.chain_a.pk).name == "甲链"


# ---------------------------------------------------------------- pages


def test_pages_read(world):
    expected = expect({"official", "chain_leader", "bureau", "api_consumer", "admin"}, 200, 403)
    for path in ["/", f"/chains/{world.chain_a.code}/", "/visits/", "/projects/", f"/projects/{world.other.pk}/"]:
        assert {role: world.site(role).get(path).status_code for role in ROLES} == expected, path
    assert Client().get("/projects/").status_code == 302  # anonymous: to the login page


def test_pages_log_and_edit_visits(world):
    assert {role: world.site(role).get("/visits/new/").status_code for role in ROLES} == expect(
        {"official", "admin"}, 200, 403
    )
    own = f"/visits/{world.own_visit.pk}/edit/"
    other = f"/visits/{world.other_visit.pk}/edit/"
    assert {role: world.site(role).get(own).status_code for role in ROLES} == expect({"official", "admin"}, 200, 403)
    assert {role: world.site(role).get(other).status_code for role in ROLES} == expect({"admin"}, 200, 403)
    refused = world.site("official").post(other, {"purpose": "改"})
    assert refused.status_code == 403 and "您的角色不允许" in refused.content.decode()


def test_pages_offer_only_what_the_role_may_do(world):
    listing = world.site("official").get("/visits/").content.decode()
    assert f"/visits/{world.own_visit.pk}/edit/" in listing
    assert f"/visits/{world.other_visit.pk}/edit/" not in listing
    assert "format=csv" not in listing and "format=csv" in world.site("bureau").get("/visits/").content.decode()
    assert "/visits/new/" not in world.site("bureau").get("/projects/").content.decode()
    page = world.site("official").get(f"/projects/{world.other.pk}/")
    assert page.context["allowed"] == [] and not page.context["may_follow_up"]
    assert world.site("chain_leader").get(f"/projects/{world.in_led_chain.pk}/").context["allowed"]


@pytest.mark.parametrize(
    ("project", "allowed"),
    [
        ("entered", {"official", "admin"}),
        ("in_led_chain", {"chain_leader", "admin"}),
        ("other", {"admin"}),
    ],
)
def test_pages_stage_change_and_follow_up(world, project, allowed):
    # Bureau staff change any project (issue 20) but write no follow-ups (projects.roles).
    movers = allowed | {"bureau"}
    target = getattr(world, project)

    def change(role):
        target.refresh_from_db()
        body = {"to_stage": "on_hold", "date": "2024-02-01", "version": version_of(target)}
        status = world.site(role).post(f"/projects/{target.pk}/stage/", body).status_code
        if status == 302:  # moved: put it back for the next role
            Project.objects.filter(pk=target.pk).update(stage="lead")
            target.stage_changes.filter(to_stage="on_hold").delete()
        return status

    assert {role: change(role) for role in ROLES} == expect(movers, 302, 403)
    follow_up = {"date": "2024-02-01", "note": "电话"}
    got = {role: world.site(role).post(f"/projects/{target.pk}/follow-ups/", follow_up).status_code for role in ROLES}
    assert got == expect(allowed, 302, 403)
    assert target.follow_ups.count() == len(allowed)


# ---------------------------------------------------------------- admin


def test_admin_site_lets_in_every_role_but_the_api_consumer(world):
    got = {role: world.site(role).get(reverse("admin:index")).status_code for role in ROLES}
    assert got == expect({"official", "chain_leader", "bureau", "admin"}, 200, 302)


def test_admin_reference_data_is_managed_by_bureau_staff(world):
    change = reverse("admin:chains_chain_change", args=[world.chain_a.pk])
    # Without the change permission the admin refuses the POST itself; with it, the (empty) form is invalid.
    got = {role: world.site(role).post(change, {}).status_code for role in ROLES if role != "api_consumer"}
    assert got == {"official": 403, "chain_leader": 403, "bureau": 200, "admin": 200, "nobody": 302}
    assert world.site("official").get(change).context["has_change_permission"] is False  # read-only view
    add = reverse("admin:chains_enterprise_add")
    assert world.site("bureau").get(add).status_code == 200
    assert world.site("official").get(add).status_code == 403


def test_admin_visits_own_only(world):
    for visit, allowed in ((world.own_visit, {"official", "admin"}), (world.other_visit, {"admin"})):
        change = reverse("admin:projects_investmentvisit_change", args=[visit.pk])
        delete = reverse("admin:projects_investmentvisit_delete", args=[visit.pk])
        for role in ("official", "chain_leader", "bureau", "admin"):
            context = world.site(role).get(change).context
            assert context["has_change_permission"] is (role in allowed), (visit, role)
            assert world.site(role).get(delete).status_code == (200 if role in allowed else 403), (visit, role)


def test_admin_bulk_delete_cannot_reach_other_peoples_visits(world):
    changelist = reverse("admin:projects_investmentvisit_changelist")
    selection = {"action": "delete_selected", "_selected_action": [world.own_visit.pk, world.other_visit.pk]}
    world.site("official").post(changelist, selection | {"post": "yes"})
    assert InvestmentVisit.objects.filter(pk=world.other_visit.pk).exists()


@pytest.mark.parametrize(
    ("project", "allowed"),
    [
        ("entered", {"official", "bureau", "admin"}),
        ("responsible", {"official", "bureau", "admin"}),
        ("in_led_chain", {"chain_leader", "bureau", "admin"}),
        ("other", {"bureau", "admin"}),
    ],
)
def test_admin_projects(world, project, allowed):
    target = getattr(world, project)
    change = reverse("admin:projects_project_change", args=[target.pk])
    for role in ("official", "chain_leader", "bureau", "admin"):
        assert world.site(role).get(change).context["has_change_permission"] is (role in allowed), role
        assert (world.site(role).post(change, {}).status_code == 403) is (role not in allowed), role
    # Only admins delete projects.
    delete = reverse("admin:projects_project_delete", args=[target.pk])
    assert world.site("official").get(delete).status_code == 403


def test_admin_change_stage_action_skips_projects_the_role_may_not_change(world):
    client = world.site("chain_leader")
    changelist = reverse("admin:projects_project_changelist")
    selection = {"action": "change_stage", "_selected_action": [world.in_led_chain.pk, world.other.pk]}
    projects = client.post(changelist, selection).context["projects"]
    versions = {f"version-{project.pk}": project.version for project in projects}
    client.post(changelist, selection | versions | {"apply": "1", "to_stage": "negotiating", "date": "2024-02-01"})
    world.in_led_chain.refresh_from_db()
    world.other.refresh_from_db()
    assert (world.in_led_chain.stage, world.other.stage) == ("negotiating", "lead")


def test_user_management_is_for_admins(world):
    users = reverse("admin:auth_user_changelist")
    got = {role: world.site(role).get(users).status_code for role in ("official", "chain_leader", "bureau", "admin")}
    assert got == {"official": 403, "chain_leader": 403, "bureau": 403, "admin": 200}
    tokens = reverse("admin:pinghu_apitoken_changelist")
    assert world.site("bureau").get(tokens).status_code == 403


# ---------------------------------------------------------------- the rule itself


def test_may_is_false_for_inactive_users_whatever_their_groups(world):
    admin = world.users["admin"]
    assert may(admin, "projects.change_project", world.other)
    admin.is_active = False
    admin.save()
    admin = type(admin).objects.get(pk=admin.pk)
    assert not may(admin, "projects.change_project", world.other)


def test_etag_unchanged_by_a_refused_write(world):
    path = f"/api/v1/projects/{world.other.pk}/"
    before = etag_of(world.other)
    client = world.api("official")
    assert client.patch(path, {"name": "x"}, format="json", HTTP_IF_MATCH=before).status_code == 403
    world.other.refresh_from_db()
    assert etag_of(world.other) == before and world.other.name == "他人的项目"
