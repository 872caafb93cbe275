"""Edit rights cannot extend themselves: a project's chain and responsible official, chain appointments, leader logins.

Who may change a project follows from its chain and responsible official (projects.rules), and who
leads a chain from its appointments: changing those is for admins (``projects.assign_project``,
``chains.manage_leadership``), checked in the services that admin, API and import share.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from chains.models import ChainLeadership, Leader
from chains.services import chain_leadership_save, leader_save
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from projects.imports import ProjectResource
from projects.models import Project
from projects.services import project_create, project_update
from tests.adminforms import change_form_data, change_url
from tests.factories import (
    ChainFactory,
    ChainLeadershipFactory,
    EnterpriseFactory,
    LeaderFactory,
    UserFactory,
    unit_named,
)
from tests.importfiles import xlsx_bytes
from tests.projects.test_api import current_tag
from tests.projects.test_imports import import_projects, messages, project_row, sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_uploads")]
D = datetime.date


@pytest.fixture
def world():
    class World:
        chief = UserFactory(username="chief", roles=[Role.CHAIN_LEADER])
        admin = UserFactory(username="boss", roles=[Role.ADMIN])
        bureau = UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])
        official = UserFactory(username="official", roles=[Role.OFFICIAL])
        nev = ChainFactory(code="nev", name="新能源汽车及零部件")
        optics = ChainFactory(code="optics", name="光机电")

    world = World()
    ChainLeadershipFactory(leader=LeaderFactory(user=world.chief), chain=world.nev)
    world.project = project_create(
        project=Project(
            name="电池项目",
            chain=world.nev,
            investor=EnterpriseFactory(name="嘉兴甲科技有限公司"),
            total_investment=1000,
            responsible_official=world.official,
        ),
        by=None,
    )
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- a project's chain and responsible official --------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("responsible_official", "chief"), ("chain", "optics")])
def test_a_chain_leader_cannot_take_a_project_or_move_it_in_the_admin(world, field, value):
    client = _client(world.chief)
    url = change_url(world.project)
    target = {"chief": world.chief, "optics": world.optics}[value]
    response = client.post(url, change_form_data(client, url, **{field: target.pk}))
    assert response.status_code == 200
    assert "只有管理员" in str(response.context["adminform"].form.errors[field])
    world.project.refresh_from_db()
    assert (world.project.chain, world.project.responsible_official) == (world.nev, world.official)
    # Other fields still save.
    town = unit_named("当湖街道").pk
    assert client.post(url, change_form_data(client, url, responsible_unit=town)).status_code == 302


def test_an_admin_may_reassign_a_project(world):
    client = _client(world.admin)
    url = change_url(world.project)
    data = change_form_data(client, url, chain=world.optics.pk, responsible_official=world.chief.pk)
    assert client.post(url, data).status_code == 302
    world.project.refresh_from_db()
    assert (world.project.chain, world.project.responsible_official) == (world.optics, world.chief)


def test_the_api_refuses_the_same(world):
    client = APIClient()
    _token, key = api_token_issue(user=world.chief, scope="write")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/projects/{world.project.pk}/"
    response = client.patch(url, {"responsible_official": world.chief.pk}, format="json", **current_tag(world.project))
    assert response.status_code == 400, response.content
    assert "responsible_official" in response.json()
    response = client.patch(url, {"chain": "optics"}, format="json", **current_tag(world.project))
    assert response.status_code == 400 and "chain" in response.json()
    world.project.refresh_from_db()
    assert world.project.chain == world.nev and world.project.responsible_official == world.official


def test_the_import_refuses_the_same(world):
    # Bureau staff import and assign (issue 20); an official given the import alone may not assign by it.
    world.official.user_permissions.add(Permission.objects.get(codename="import_data"))
    importer = type(world.official).objects.get(pk=world.official.pk)  # permissions are cached per instance
    row = project_row(id=world.project.pk, name="电池项目", chain="optics", total_investment=1000)
    report = import_projects(xlsx_bytes(sheet(ProjectResource(), row)), importer)
    assert not report.ok
    assert any("只有管理员" in message for *_where, message in messages(report)), messages(report)
    world.project.refresh_from_db()
    assert world.project.chain == world.nev


def test_the_service_checks_whoever_calls(world):
    with pytest.raises(ValidationError) as refused:
        project_update(project=world.project, data={"chain": world.optics}, expected_version=None, by=world.chief)
    assert list(refused.value.message_dict) == ["chain"]
    # The same value again is no change.
    project_update(project=world.project, data={"chain": world.nev}, expected_version=None, by=world.chief)


# --- chain appointments and leader logins -------------------------------------------------------


def test_bureau_staff_cannot_appoint_a_chain_leader(world):
    client = _client(world.bureau)
    assert client.get("/admin/chains/chainleadership/add/").status_code == 403
    appointment = ChainLeadership(
        leader=LeaderFactory(user=world.official), chain=world.optics, role="deputy", start_date=D(2026, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        chain_leadership_save(leadership=appointment, by=world.bureau)
    assert not ChainLeadership.objects.filter(chain=world.optics).exists()
    # The chain's page in the admin shows the appointments without a way to add one.
    url = change_url(world.nev)
    page = client.get(url)
    inline = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is ChainLeadership)
    assert not inline.has_add_permission and not inline.has_change_permission


def test_an_admin_appoints_through_the_admin(world):
    client = _client(world.admin)
    leader = LeaderFactory(user=world.official)
    data = {"leader": leader.pk, "chain": world.optics.pk, "role": "deputy", "start_date": "2026-01-01"}
    assert client.post("/admin/chains/chainleadership/add/", data).status_code == 302
    assert ChainLeadership.objects.filter(chain=world.optics, leader=leader).exists()


def test_bureau_staff_cannot_link_a_login_to_a_leader(world):
    leader = Leader.objects.get(user=world.chief)
    other = LeaderFactory()
    with pytest.raises(ValidationError) as refused:
        other.user = world.bureau
        leader_save(leader=other, by=world.bureau)
    assert "user" in refused.value.message_dict
    # In the admin the login shows read-only; the register's other fields still save.
    client = _client(world.bureau)
    url = change_url(other)
    data = change_form_data(client, url, title="市长", user=world.bureau.pk)
    assert client.post(url, data).status_code == 302
    other.refresh_from_db()
    assert other.title == "市长" and other.user is None
    assert leader.user == world.chief
