"""The project edit page and the move pages (issue 20): who may, the version check, refusals, query budgets."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from pinghu.concurrency import version_of
from pinghu.history import history_entries
from pinghu.permissions import Role
from projects.choices import ProjectStage
from projects.models import Project
from projects.services import project_create, project_update
from tests.adminforms import STALE, change_form_data, change_url
from tests.factories import (
    ChainFactory,
    ChainLeadershipFactory,
    EnterpriseFactory,
    LeaderFactory,
    SigningEventFactory,
    UserFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
D = datetime.date
ROLES = ["entered", "other_official", "chain_leader", "bureau", "api_consumer", "admin"]
GROUP = {
    "entered": Role.OFFICIAL,
    "other_official": Role.OFFICIAL,
    "chain_leader": Role.CHAIN_LEADER,
    "bureau": Role.BUREAU_STAFF,
    "api_consumer": Role.API_CONSUMER,
    "admin": Role.ADMIN,
}
# Who may change a project entered by "entered" in a chain "chain_leader" leads (projects.rules).
MAY_CHANGE = {"entered", "chain_leader", "bureau", "admin"}


class World:
    def __init__(self):
        self.users = {name: UserFactory(username=name, roles=[GROUP[name]]) for name in ROLES}
        self.chain = ChainFactory(code="nev", name="新能源汽车及零部件")
        self.other_chain = ChainFactory(code="optics", name="光机电")
        ChainLeadershipFactory(chain=self.chain, leader=LeaderFactory(user=self.users["chain_leader"]))
        self.investor = EnterpriseFactory(name="嘉兴甲科技有限公司")
        self.project = project_create(
            project=Project(
                name="电池项目",
                chain=self.chain,
                investor=self.investor,
                total_investment=Decimal("1000"),
                stage=ProjectStage.NEGOTIATING,
                first_contact_date=D(2024, 1, 10),
            ),
            by=self.users["entered"],
        )

    def site(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client

    def edit_body(self, **changes) -> dict:
        project = Project.objects.get(pk=self.project.pk)
        body = {
            "name": project.name,
            "investor_name": project.investor.name,
            "source": project.source,
            "first_contact_date": project.first_contact_date.isoformat(),
            "total_investment": str(project.total_investment),
            "chain": project.chain_id,
            "responsible_official": project.responsible_official_id or "",
            "responsible_unit": project.responsible_unit_id or "",
            "town": project.town,
            "level": "",
            "level_year": "",
            "version": version_of(project),
        }
        return body | changes


@pytest.fixture
def world():
    return World()


def expect(allowed: set[str], yes, no) -> dict:
    return {role: yes if role in allowed else no for role in ROLES}


# --- the edit page -------------------------------------------------------------------------------------


def test_the_edit_page_is_for_those_who_may_change_the_project(world):
    url = f"/projects/{world.project.pk}/edit/"
    assert {role: world.site(role).get(url).status_code for role in ROLES} == expect(MAY_CHANGE, 200, 403)


def test_an_edit_saves_through_the_service_for_each_role_that_may(world):
    url = f"/projects/{world.project.pk}/edit/"
    got = {}
    for role in ROLES:
        response = world.site(role).post(url, world.edit_body(name=f"电池项目（{role}）"))
        got[role] = response.status_code
    assert got == expect(MAY_CHANGE, 302, 403)
    world.project.refresh_from_db()
    assert world.project.name == "电池项目（admin）"
    assert world.project.history.filter(history_user=world.users["bureau"]).exists()


def test_an_edit_writes_only_what_changed(world):
    response = world.site("bureau").post(f"/projects/{world.project.pk}/edit/", world.edit_body(name="电池二期"))
    assert response.status_code == 302
    latest = history_entries(Project.objects.get(pk=world.project.pk), limit=1)[0]
    assert [str(change["label"]) for change in latest["changes"]] == ["名称"]


def test_the_project_page_links_to_the_edit_page_and_the_moves_only_for_those_who_may(world):
    url = f"/projects/{world.project.pk}/"
    edit = f"/projects/{world.project.pk}/edit/"
    move = f"/projects/{world.project.pk}/move/construction/"
    pages = {role: world.site(role).get(url).content.decode() for role in ROLES}
    assert {role: edit in page for role, page in pages.items()} == expect(MAY_CHANGE, True, False)
    assert {role: move in page for role, page in pages.items()} == expect(MAY_CHANGE, True, False)
    assert f"/projects/{world.project.pk}/stage/" not in pages["admin"]  # the one-date form is gone


def test_a_stale_version_keeps_the_input_and_saves_nothing(world):
    client = world.site("bureau")
    body = world.edit_body(name="改过的名称")
    project_update(project=world.project, data={"town": "当湖街道"}, expected_version=None)
    response = client.post(f"/projects/{world.project.pk}/edit/", body)
    assert response.status_code == 400
    content = response.content.decode()
    assert STALE in content and 'value="改过的名称"' in content
    world.project.refresh_from_db()
    assert world.project.name == "电池项目"


def test_a_missing_version_counts_as_stale(world):
    body = world.edit_body(name="没有版本")
    del body["version"]
    response = world.site("admin").post(f"/projects/{world.project.pk}/edit/", body)
    assert response.status_code == 400 and STALE in response.content.decode()


def test_bureau_staff_assign_the_responsible_official_and_unit(world):
    unit = unit_named("经信局")
    body = world.edit_body(responsible_official=world.users["other_official"].pk, responsible_unit=unit.pk)
    assert world.site("bureau").post(f"/projects/{world.project.pk}/edit/", body).status_code == 302
    world.project.refresh_from_db()
    assert (world.project.responsible_official, world.project.responsible_unit) == (world.users["other_official"], unit)


@pytest.mark.parametrize("role", ["entered", "chain_leader"])
def test_officials_and_chain_leaders_do_not_assign(world, role):
    page = world.site(role).get(f"/projects/{world.project.pk}/edit/")
    form = page.context["form"]
    assert form.fields["responsible_official"].disabled and form.fields["chain"].disabled
    assert not form.fields["responsible_unit"].disabled  # the unit gives no edit rights (projects.rules)
    # A forged post cannot assign either: the disabled fields keep the project's values.
    body = world.edit_body(responsible_official=world.users[role].pk, chain=world.other_chain.pk)
    assert world.site(role).post(f"/projects/{world.project.pk}/edit/", body).status_code == 302
    world.project.refresh_from_db()
    assert (world.project.responsible_official, world.project.chain) == (None, world.chain)


def test_bad_input_is_refused_with_the_field_named(world):
    body = world.edit_body(total_investment="一千", investor_name="不存在的公司")
    response = world.site("bureau").post(f"/projects/{world.project.pk}/edit/", body)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["total_investment"][0].startswith("总投资")
    assert "不存在的公司" in errors["investor_name"][0] and errors["investor_name"][0].startswith("投资方")
    world.project.refresh_from_db()
    assert world.project.total_investment == Decimal("1000")


def test_the_edit_page_query_budget(world, django_assert_max_num_queries):
    client = world.site("bureau")
    url = f"/projects/{world.project.pk}/edit/"
    client.get(url)
    # Measured: 10. Each list of choices (chains, officials, units) is one query, however long.
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


# --- the admin -----------------------------------------------------------------------------------------


def test_bureau_staff_correct_a_project_in_the_admin_through_the_service(world):
    client = world.site("bureau")
    url = change_url(world.project)
    data = change_form_data(client, url, name="管理后台改名", responsible_official=world.users["entered"].pk)
    assert client.post(url, data).status_code == 302
    world.project.refresh_from_db()
    assert (world.project.name, world.project.responsible_official) == ("管理后台改名", world.users["entered"])
    stale = data | {"name": "过期的修改"}
    response = client.post(url, stale)
    assert response.status_code == 200 and STALE in response.content.decode()
    world.project.refresh_from_db()
    assert world.project.name == "管理后台改名"


def test_other_officials_still_read_the_project_in_the_admin_only(world):
    page = world.site("other_official").get(change_url(world.project))
    assert page.status_code == 200 and page.context["has_change_permission"] is False


# --- the move pages ------------------------------------------------------------------------------------


def test_a_move_page_per_role(world):
    url = f"/projects/{world.project.pk}/move/on_hold/"
    assert {role: world.site(role).get(url).status_code for role in ROLES} == expect(MAY_CHANGE, 200, 403)
    got = {}
    for role in ROLES:
        project = Project.objects.get(pk=world.project.pk)
        body = {"date": "2024-02-01", "note": "资金未到位", "version": version_of(project)}
        got[role] = world.site(role).post(url, body).status_code
        if got[role] == 302:  # put it back for the next role
            Project.objects.filter(pk=project.pk).update(stage=ProjectStage.NEGOTIATING)
            project.stage_changes.filter(to_stage=ProjectStage.ON_HOLD).delete()
    assert got == expect(MAY_CHANGE, 302, 403)


def test_a_multi_stage_move_on_its_page_with_a_conference(world):
    event = SigningEventFactory(name="长三角签约大会", date=D(2024, 3, 15))
    client = world.site("bureau")
    url = f"/projects/{world.project.pk}/move/construction/"
    page = client.get(url)
    content = page.content.decode()
    assert all(f'name="{name}"' in content for name in ("signed_date", "registered_date", "construction_date"))
    assert 'name="signing_event"' in content
    body = {
        "signing_event": event.pk,
        "registered_date": "2024-04-01",
        "construction_date": "2024-05-20",
        "version": version_of(world.project),
    }
    response = client.post(url, body, follow=True)
    assert "阶段已变更为“开工”" in response.content.decode()
    world.project.refresh_from_db()
    assert (world.project.stage, world.project.signed_date, world.project.signing_event) == (
        "construction",
        D(2024, 3, 15),
        event,
    )


def test_a_refused_move_on_its_page_keeps_the_input(world):
    client = world.site("bureau")
    url = f"/projects/{world.project.pk}/move/construction/"
    body = {
        "signed_date": "2024-03-15",
        "registered_date": "2024-03-01",
        "construction_date": "2024-05-20",
        "version": version_of(world.project),
    }
    response = client.post(url, body)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="2024-03-01"' in content and "注册日期" in content
    world.project.refresh_from_db()
    assert world.project.stage == "negotiating"


@pytest.mark.parametrize("stage", ["lead", "negotiating", "nonsense"])
def test_a_move_not_offered_is_refused_with_a_message(world, stage):
    client = world.site("bureau")
    response = client.post(f"/projects/{world.project.pk}/move/{stage}/", {"date": "2024-02-01"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/projects/{world.project.pk}/"
    assert "目前不能从" in response.content.decode()
    world.project.refresh_from_db()
    assert world.project.stage == "negotiating"


def test_a_stale_move_is_refused_on_its_page(world):
    client = world.site("bureau")
    opened = version_of(world.project)
    project_update(project=world.project, data={"town": "当湖街道"}, expected_version=None)
    body = {"date": "2024-02-01", "version": opened}
    response = client.post(f"/projects/{world.project.pk}/move/dropped/", body)
    assert response.status_code == 400 and STALE in response.content.decode()
    world.project.refresh_from_db()
    assert world.project.stage == "negotiating"


def test_the_move_page_query_budget(world, django_assert_max_num_queries):
    SigningEventFactory.create_batch(5)
    client = world.site("bureau")
    url = f"/projects/{world.project.pk}/move/production/"
    client.get(url)
    # Measured: 7. The conferences offered are one query, however many (five here).
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200


def test_the_project_page_query_budget_with_moves(world, django_assert_max_num_queries):
    client = world.site("bureau")
    url = reverse("projects:project-detail", args=[world.project.pk])
    client.get(url)
    # The moves offered cost nothing more than the page's rule check (a project on hold: one, its hold).
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200
