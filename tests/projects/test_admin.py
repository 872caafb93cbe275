"""The projects admin: pages render, writes go through the services, lists keep their query budget."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.models import EnterpriseIssue, LandRenewal, SalonEvent
from aftercare.services import cadre_assign, issue_create
from projects.choices import ProjectStage
from projects.models import InvestmentVisit, LandParcel, Project, ProjectStageChange
from projects.services import project_create, project_funds_create, visit_create
from tests.factories import (
    ChainFactory,
    EnterpriseFactory,
    FollowUpFactory,
    LeaderFactory,
    SigningEventFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
D = datetime.date
PROJECTS_MODELS = [model for model in admin.site._registry if model._meta.app_label == "projects"]


def populate(rows: int) -> None:
    """``rows`` projects with history, follow-ups and a month of funds, visits with leaders, and a conference."""
    event = SigningEventFactory()
    for n in range(rows):
        project = project_create(
            project=Project(
                name=f"项目{n}-{rows}",
                chain=ChainFactory(),
                investor=EnterpriseFactory(),
                total_investment=Decimal("100"),
                stage=ProjectStage.SIGNED,
                first_contact_date=event.date,
                signed_date=event.date,
                signing_event=event,
            ),
            by=None,
        )
        FollowUpFactory(project=project)
        project_funds_create(
            project=project,
            month=D(2024, 3, 1),
            domestic_funds=Decimal("10"),
            actual_foreign_investment=Decimal("1"),
            by=None,
        )
        visit_create(
            visit=InvestmentVisit(
                date=D(2024, 3, 2), host_unit=unit_named("经信局"), enterprise=project.investor, purpose="走访"
            ),
            leaders=[LeaderFactory(), LeaderFactory()],
            chains=[project.chain],
            projects=[project],
            by=None,
        )
        salon = SalonEvent.objects.create(date=D(2024, 3, 1), host=LeaderFactory())
        salon.enterprises.set([project.investor])
        issue_create(
            issue=EnterpriseIssue(
                enterprise=project.investor,
                channel="salon",
                salon=salon,
                category="land",
                description="用地",
                received_on=D(2024, 3, 1),
            ),
            by=None,
        )
        cadre_assign(enterprise=project.investor, cadre_leader=LeaderFactory(), start_date=D(2024, 1, 1))
        origin = EnterpriseFactory()
        parcel = LandParcel.objects.create(
            number=f"地块{n}-{rows}",
            town="当湖街道",
            land_area=Decimal("10"),
            origin=origin,
            status="supplied",
            project=project,
            supplied_date=D(2024, 3, 5),
        )
        LandRenewal.objects.create(enterprise=origin, project=project, parcel=parcel)


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", PROJECTS_MODELS, ids=lambda model: model.__name__)
def test_pages_render(admin_client, model):
    populate(2)
    assert admin_client.get(url(model, "changelist")).status_code == 200
    instance = model.objects.order_by("pk").first()
    assert admin_client.get(url(model, "change", instance.pk)).status_code == 200
    add = admin_client.get(url(model, "add")).status_code
    # Stage history is written by transitions only; versions by the history.
    read_only = model in (ProjectStageChange, Project.history.model, InvestmentVisit.history.model)
    assert add == (403 if read_only else 200)


@pytest.mark.parametrize("model", PROJECTS_MODELS, ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model, django_assert_max_num_queries):
    populate(2)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url(model, "changelist"))
    populate(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url(model, "changelist"))


def test_adding_a_project_writes_its_first_stage_change(admin_client, superuser):
    chain, investor = ChainFactory(), EnterpriseFactory()
    response = admin_client.post(
        url(Project, "add"),
        {
            "name": "新项目",
            "chain": chain.pk,
            "investor": investor.pk,
            "source": "agency",
            "stage": "negotiating",
            "total_investment": "2500.00",
            "first_contact_date": "2024-01-02",
            "stage_changes-TOTAL_FORMS": "0",
            "stage_changes-INITIAL_FORMS": "0",
            "follow_ups-TOTAL_FORMS": "1",
            "follow_ups-INITIAL_FORMS": "0",
            "follow_ups-0-date": "2024-01-03",
            "follow_ups-0-note": "首次洽谈",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    project = Project.objects.get(name="新项目")
    change = project.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.by) == ("", "negotiating", superuser)
    assert project.follow_ups.get().author == superuser


def test_negative_amount_is_refused_and_nothing_saved(admin_client):
    response = admin_client.post(
        url(Project, "add"),
        {
            "name": "坏项目",
            "chain": ChainFactory().pk,
            "investor": EnterpriseFactory().pk,
            "source": "other",
            "stage": "lead",
            "total_investment": "-1",
            "stage_changes-TOTAL_FORMS": "0",
            "stage_changes-INITIAL_FORMS": "0",
            "follow_ups-TOTAL_FORMS": "0",
            "follow_ups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "total_investment" in response.context["adminform"].form.errors
    assert not Project.objects.exists() and not ProjectStageChange.objects.exists()


def test_stage_is_read_only_on_an_existing_project(admin_client):
    populate(1)
    project = Project.objects.get()
    response = admin_client.get(url(Project, "change", project.pk))
    assert "stage" not in response.context["adminform"].form.fields


def test_change_stage_action_uses_the_transition_rules(admin_client):
    populate(1)
    signed = Project.objects.get()
    lead = project_create(
        project=Project(name="线索", chain=ChainFactory(), investor=EnterpriseFactory(), total_investment=Decimal("1")),
        by=None,
    )
    changelist = url(Project, "changelist")
    selection = {"action": "change_stage", "_selected_action": [signed.pk, lead.pk]}
    confirm = admin_client.post(changelist, selection)
    assert confirm.status_code == 200 and "to_stage" in confirm.context["form"].fields
    versions = {f"version-{project.pk}": project.version for project in confirm.context["projects"]}
    response = admin_client.post(
        changelist,
        selection | versions | {"apply": "1", "to_stage": "registered", "date": "2024-06-01", "note": "注册"},
    )
    assert response.status_code == 302
    signed.refresh_from_db()
    lead.refresh_from_db()
    assert signed.stage == "registered" and signed.registered_date == D(2024, 6, 1)
    assert lead.stage == "lead"  # registering a lead would skip signing: refused, reported
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("线索" in message for message in messages)


def test_change_stage_action_refuses_a_project_changed_since_the_confirmation_page(admin_client):
    lead = project_create(
        project=Project(name="线索", chain=ChainFactory(), investor=EnterpriseFactory(), total_investment=Decimal("1")),
        by=None,
    )
    changelist = url(Project, "changelist")
    selection = {"action": "change_stage", "_selected_action": [lead.pk]}
    shown = admin_client.post(changelist, selection).context["projects"][0].version
    Project.objects.filter(pk=lead.pk).update(name="线索（已改名）", updated_at=timezone.now())
    response = admin_client.post(
        changelist,
        selection | {f"version-{lead.pk}": shown, "apply": "1", "to_stage": "negotiating", "date": "2024-06-01"},
    )
    lead.refresh_from_db()
    assert lead.stage == "lead"
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("此记录已被他人保存" in message for message in messages), messages


def test_visit_added_in_admin_goes_through_the_service(admin_client, superuser):
    leaders = [LeaderFactory(), LeaderFactory()]
    response = admin_client.post(
        url(InvestmentVisit, "add"),
        {
            "date": "2024-03-02",
            "visit_leaders": [leader.pk for leader in leaders],
            "host_unit": unit_named("经信局").pk,
            "enterprise": EnterpriseFactory().pk,
            "purpose": "走访",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    visit = InvestmentVisit.objects.get()
    assert visit.is_saturday and visit.recorded_by == superuser
    assert set(visit.leaders.all()) == set(leaders)


def test_visit_without_leader_is_refused(admin_client):
    response = admin_client.post(
        url(InvestmentVisit, "add"),
        {
            "date": "2024-03-02",
            "host_unit": unit_named("经信局").pk,
            "enterprise": EnterpriseFactory().pk,
            "purpose": "走访",
        },
    )
    assert response.status_code == 200
    assert "visit_leaders" in response.context["adminform"].form.errors
    assert not InvestmentVisit.objects.exists()


def test_signing_event_shows_derived_totals(admin_client):
    populate(3)
    response = admin_client.get(url(SigningEventFactory._meta.model, "changelist"))
    event = response.context["cl"].result_list[0]
    assert event._project_count == 3 and event._investment_total == Decimal("300")


def test_a_new_project_cannot_start_on_hold(admin_client):
    response = admin_client.post(
        url(Project, "add"),
        {
            "name": "暂缓项目",
            "chain": ChainFactory().pk,
            "investor": EnterpriseFactory().pk,
            "source": "other",
            "stage": "on_hold",
            "total_investment": "1",
            "stage_changes-TOTAL_FORMS": "0",
            "stage_changes-INITIAL_FORMS": "0",
            "follow_ups-TOTAL_FORMS": "0",
            "follow_ups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "stage" in response.context["adminform"].form.errors
    assert not Project.objects.exists()


def test_stage_dates_and_conference_are_read_only_on_an_existing_project(admin_client):
    populate(1)
    project = Project.objects.get()
    fields = admin_client.get(url(Project, "change", project.pk)).context["adminform"].form.fields
    for name in ("signed_date", "registered_date", "construction_date", "production_date", "signing_event"):
        assert name not in fields


def test_signing_conference_admin_shows_announced_beside_recorded_totals(admin_client):
    event = SigningEventFactory(announced_project_count=28, announced_investment=1220000)
    page = admin_client.get(reverse("admin:projects_signingevent_changelist")).content.decode()
    assert "公布签约项目数" in page and "系统内已登记项目数" in page and "28" in page
    form = admin_client.get(reverse("admin:projects_signingevent_change", args=[event.pk])).content.decode()
    assert 'name="announced_project_count"' in form and 'name="announced_investment"' in form
