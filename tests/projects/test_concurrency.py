"""Stale edits of projects and visits are refused by the services, whoever calls them: page, admin, API.

Every write path hands the version it read to the service (``expected_version``), which checks it
on the locked row (``pinghu.concurrency.lock_for_update``). The update services also refuse the
fields only a workflow step writes, and ``visit_create`` asks for the permission to add projects
before it creates new leads.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from pinghu.concurrency import etag_of, version_of
from projects.choices import PROJECT_STEP_FIELDS, ProjectStage
from projects.models import InvestmentVisit, Project
from projects.services import project_create, project_transition, project_update, visit_create, visit_update
from tests.adminforms import STALE, change_form_data, change_url
from tests.factories import (
    ChainFactory,
    EnterpriseFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    SigningEventFactory,
    UserFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def saved_meanwhile(instance) -> None:
    """Someone else saves the row after the caller read it (its version moves on)."""
    type(instance).objects.get(pk=instance.pk).save()


def lead(by=None) -> Project:
    return project_create(
        project=Project(
            name="线索",
            chain=ChainFactory(),
            investor=EnterpriseFactory(),
            total_investment=Decimal("1"),
            first_contact_date=D(2024, 1, 1),
        ),
        by=by,
    )


def new_lead(name: str = "新线索") -> Project:
    return Project(name=name, chain=ChainFactory(), total_investment=Decimal("10"))


def site(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_site(superuser) -> Client:
    return site(superuser)


# ---------------------------------------------------------------- services


def test_project_update_refuses_a_stale_version_and_writes_nothing():
    project = lead()
    read = version_of(project)
    saved_meanwhile(project)
    with pytest.raises(ValidationError) as refused:
        project_update(project=project, data={"name": "我的修改"}, expected_version=read)
    assert refused.value.code == "stale" and STALE in refused.value.messages[0]
    project.refresh_from_db()
    assert project.name == "线索"
    # The current version, or none (an internal caller), goes through.
    project_update(project=project, data={"name": "我的修改"}, expected_version=version_of(project))
    project_update(project=project, data={"town": "当湖街道"}, expected_version=None)
    project.refresh_from_db()
    assert (project.name, project.town) == ("我的修改", "当湖街道")


def test_an_empty_version_counts_as_stale():
    project = lead()
    with pytest.raises(ValidationError, match=STALE):
        project_update(project=project, data={"name": "x"}, expected_version="")


@pytest.mark.parametrize("field", PROJECT_STEP_FIELDS)
def test_project_update_refuses_the_fields_only_a_stage_change_writes(field):
    project = lead()
    value = SigningEventFactory() if field == "signing_event" else D(2024, 2, 1)
    if field == "stage":
        value = ProjectStage.NEGOTIATING
    with pytest.raises(ValidationError) as refused:
        project_update(project=project, data={field: value, "name": "x"}, expected_version=None)
    assert refused.value.message_dict[field] == ["此项只能通过阶段变更（或在签约大会上签约）修改。"]
    project.refresh_from_db()
    assert project.name == "线索" and project.stage == ProjectStage.LEAD


def test_project_update_writes_only_the_fields_given():
    project = lead()
    held = Project.objects.get(pk=project.pk)  # read before a stage change made elsewhere
    project_transition(project, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 2, 1))
    held.name = "改名"
    project_update(project=held, data={"name": "改名"}, expected_version=None)
    project.refresh_from_db()
    assert (project.name, project.stage) == ("改名", ProjectStage.NEGOTIATING)


def test_project_transition_refuses_a_stale_version():
    project = lead()
    read = version_of(project)
    saved_meanwhile(project)
    with pytest.raises(ValidationError, match=STALE):
        project_transition(project, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 2, 1), expected_version=read)
    project.refresh_from_db()
    assert project.stage == ProjectStage.LEAD and project.stage_changes.count() == 1


def test_visit_update_refuses_a_stale_version():
    leader = LeaderFactory()
    visit = InvestmentVisitFactory(leaders=[leader])
    read = version_of(visit)
    saved_meanwhile(visit)
    visit.outcome = "我的结果"
    with pytest.raises(ValidationError, match=STALE):
        visit_update(visit=visit, leaders=[leader], chains=[], projects=[], expected_version=read)
    assert InvestmentVisit.objects.get(pk=visit.pk).outcome == ""


def test_new_leads_with_a_visit_need_the_permission_to_add_projects():
    may_visit = UserFactory()
    may_visit.user_permissions.add(Permission.objects.get(codename="add_investmentvisit"))

    def record(by, leads):
        return visit_create(
            visit=InvestmentVisitFactory.build(enterprise=EnterpriseFactory()),
            leaders=[LeaderFactory()],
            by=by,
            new_projects=leads,
        )

    with pytest.raises(PermissionDenied, match="您无权新建项目"):
        record(may_visit, [new_lead()])
    assert not InvestmentVisit.objects.exists() and not Project.objects.exists()
    record(may_visit, [])  # a visit without new leads needs no more
    may_visit.user_permissions.add(Permission.objects.get(codename="add_project"))
    may_visit = type(may_visit).objects.get(pk=may_visit.pk)  # permissions are cached per instance
    assert record(may_visit, [new_lead("有权")]).projects.get().name == "有权"
    assert record(None, [new_lead("内部")]).projects.get().name == "内部"  # an internal caller is not asked


# ---------------------------------------------------------------- pages


@pytest.fixture
def official() -> tuple[Client, object]:
    from pinghu.permissions import Role

    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    return site(user), user


def test_a_visit_edit_form_without_its_version_is_refused(official):
    client, user = official
    visit = InvestmentVisitFactory(leaders=[LeaderFactory()], enterprise=EnterpriseFactory(), recorded_by=user)
    body = {
        "date": visit.date.isoformat(),
        "leaders": [visit.leaders.get().pk],
        "enterprise_name": visit.enterprise.name,
        "purpose": "洽谈",
        "host_unit": unit_named("经信局").pk,
        "outcome": "我的结果",
    }
    response = client.post(f"/visits/{visit.pk}/edit/", body)
    assert response.status_code == 200 and STALE in response.content.decode()
    assert client.post(f"/visits/{visit.pk}/edit/", body | {"version": version_of(visit)}).status_code == 302


def test_a_stage_change_without_the_pages_version_is_refused(official):
    client, user = official
    project = lead(by=user)
    response = client.post(f"/projects/{project.pk}/stage/", {"to_stage": "negotiating", "date": "2024-02-01"})
    assert STALE in client.get(response.url).content.decode()
    project.refresh_from_db()
    assert project.stage == ProjectStage.LEAD


def test_the_visit_page_refuses_new_leads_without_the_permission_to_add_projects():
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_investmentvisit", "add_investmentvisit", "view_project"])
    )
    chain = ChainFactory()
    body = {
        "date": timezone.localdate().isoformat(),
        "leaders": [LeaderFactory().pk],
        "enterprise_name": EnterpriseFactory().name,
        "purpose": "洽谈",
        "host_unit": unit_named("经信局").pk,
        "new_lead_name": "新线索",
        "new_lead_chain": chain.pk,
        "new_lead_investment": "300",
    }
    response = site(user).post("/visits/new/", body)
    assert response.status_code == 200
    assert response.context["form"].errors["new_lead_name"] == ["您无权新建项目。"]
    assert not InvestmentVisit.objects.exists() and not Project.objects.exists()


# ---------------------------------------------------------------- admin


def test_the_admin_project_form_saves_through_the_service_and_refuses_a_stale_one(admin_site):
    project = lead()
    url = change_url(project)
    data = change_form_data(admin_site, url, name="我的修改")
    saved_meanwhile(project)
    response = admin_site.post(url, data)
    assert response.status_code == 200 and STALE in response.content.decode()
    project.refresh_from_db()
    assert project.name == "线索"
    fresh = change_form_data(admin_site, url, name="我的修改")
    assert admin_site.post(url, fresh).status_code == 302
    project.refresh_from_db()
    assert project.name == "我的修改" and project.stage == ProjectStage.LEAD


def test_the_admin_visit_form_refuses_a_stale_one(admin_site):
    visit = InvestmentVisitFactory(leaders=[LeaderFactory()], chains=[ChainFactory()])
    url = change_url(visit)
    data = change_form_data(admin_site, url, outcome="我的结果")
    saved_meanwhile(visit)
    response = admin_site.post(url, data)
    assert response.status_code == 200 and STALE in response.content.decode()
    assert InvestmentVisit.objects.get(pk=visit.pk).outcome == ""
    assert admin_site.post(url, change_form_data(admin_site, url, outcome="我的结果")).status_code == 302
    assert InvestmentVisit.objects.get(pk=visit.pk).outcome == "我的结果"


def test_the_admin_stage_action_refuses_a_project_changed_since_its_confirmation_page(admin_site):
    project = lead()
    read = version_of(project)
    saved_meanwhile(project)
    body = {
        "action": "change_stage",
        "_selected_action": [project.pk],
        "apply": "1",
        "to_stage": "negotiating",
        "date": "2024-02-01",
        "note": "",
        f"version-{project.pk}": read,
    }
    response = admin_site.post("/admin/projects/project/", body, follow=True)
    assert STALE in response.content.decode()
    project.refresh_from_db()
    assert project.stage == ProjectStage.LEAD
    body[f"version-{project.pk}"] = version_of(project)
    admin_site.post("/admin/projects/project/", body)
    project.refresh_from_db()
    assert project.stage == ProjectStage.NEGOTIATING


# ---------------------------------------------------------------- API


@pytest.mark.parametrize(
    ("kind", "change"),
    [("projects", {"responsible_unit": "经信局"}), ("visits", {"outcome": "签约意向"})],
)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_stale_api_update_is_412_and_one_without_if_match_428(write_client, kind, change, method):
    unit_named("经信局")  # the unit the change names (by its name)
    row = ProjectFactory() if kind == "projects" else InvestmentVisitFactory(leaders=[LeaderFactory()])
    url = f"/api/v1/{kind}/{row.pk}/"
    body = {key: value for key, value in write_client.get(url).json().items() if key in WRITABLE[kind]} | change
    read = etag_of(row)
    saved_meanwhile(row)
    send = getattr(write_client, method)
    assert send(url, body, format="json").status_code == 428
    stale = send(url, body, format="json", HTTP_IF_MATCH=read)
    assert stale.status_code == 412
    row.refresh_from_db()
    assert all(getattr(row, key) != value for key, value in change.items())
    fresh = send(url, body, format="json", HTTP_IF_MATCH=etag_of(row))
    assert fresh.status_code == 200, fresh.json()
    row.refresh_from_db()
    assert fresh["ETag"] == etag_of(row) != read


# What a PUT sends back of a GET (the fields a client may write).
WRITABLE = {
    "projects": ["name", "chain", "investor", "source", "total_investment", "town", "responsible_unit"],
    "visits": ["date", "leaders", "host_unit", "enterprise", "chains", "purpose", "outcome", "projects"],
}


def transition(client, project, **headers):
    body = {"to_stage": "negotiating", "date": "2024-02-01"}
    return client.post(f"/api/v1/projects/{project.pk}/transition/", body, format="json", **headers)


def test_a_stage_move_with_a_stale_if_match_is_412(write_client):
    project = lead()
    read = etag_of(project)
    saved_meanwhile(project)
    assert transition(write_client, project, HTTP_IF_MATCH=read).status_code == 412
    project.refresh_from_db()
    assert project.stage == ProjectStage.LEAD


def test_a_stage_move_with_a_fresh_if_match_or_none_goes_through_and_answers_the_new_etag(write_client):
    project = lead()
    moved = transition(write_client, project, HTTP_IF_MATCH=etag_of(project))
    assert moved.status_code == 200
    project.refresh_from_db()
    assert moved["ETag"] == etag_of(project)
    # Without the header (or with *) the step is taken whatever the version, as before.
    body = {"to_stage": "on_hold", "date": "2024-02-02"}
    held = write_client.post(f"/api/v1/projects/{project.pk}/transition/", body, format="json")
    assert held.status_code == 200 and held["ETag"] != moved["ETag"]
    body = {"to_stage": "negotiating", "date": "2024-02-03"}
    resumed = write_client.post(f"/api/v1/projects/{project.pk}/transition/", body, format="json", HTTP_IF_MATCH="*")
    assert resumed.status_code == 200


def test_if_match_may_list_several_tags_one_of_them_current(write_client):
    project = ProjectFactory()
    url = f"/api/v1/projects/{project.pk}/"
    old = etag_of(project)
    saved_meanwhile(project)
    body = {"responsible_unit": unit_named("经信局").pk}
    assert write_client.patch(url, body, format="json", HTTP_IF_MATCH=f'{old}, "1999"').status_code == 412
    project.refresh_from_db()
    both = f"{old}, {etag_of(project)}"
    assert write_client.patch(url, body, format="json", HTTP_IF_MATCH=both).status_code == 200
