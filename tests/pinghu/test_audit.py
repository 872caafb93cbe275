"""The audit trail: every create, update and delete of a tracked model leaves a history row with who and what."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from aftercare.models import CadreAssignment, EnterpriseIssue, LandRenewal, SalonEvent
from chains.models import (
    Chain,
    ChainLeadership,
    ChainNode,
    Cluster,
    Enterprise,
    EnterpriseAnnualMetric,
    EnterpriseChainRole,
    Leader,
    PerMuGradeScheme,
)
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from projects.demo import delete_demo_data, generate_demo_data
from projects.models import FollowUp, InvestmentVisit, Project, SigningEvent, VisitLeader, VisitProject
from tests.factories import (
    CadreAssignmentFactory,
    ChainFactory,
    ChainLeadershipFactory,
    ChainNodeFactory,
    ClusterFactory,
    EnterpriseAnnualMetricFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    EnterpriseIssueFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    LandRenewalFactory,
    LeaderFactory,
    PerMuGradeSchemeFactory,
    ProjectFactory,
    SalonEventFactory,
    SigningEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    Cluster: (ClusterFactory, "name"),
    Chain: (ChainFactory, "name"),
    ChainNode: (ChainNodeFactory, "name"),
    Leader: (LeaderFactory, "name"),
    ChainLeadership: (ChainLeadershipFactory, "start_date"),
    Enterprise: (EnterpriseFactory, "name"),
    EnterpriseChainRole: (EnterpriseChainRoleFactory, "is_lead"),
    SigningEvent: (SigningEventFactory, "name"),
    Project: (ProjectFactory, "name"),
    FollowUp: (FollowUpFactory, "note"),
    InvestmentVisit: (InvestmentVisitFactory, "purpose"),
    SalonEvent: (SalonEventFactory, "place"),
    EnterpriseIssue: (EnterpriseIssueFactory, "description"),
    CadreAssignment: (CadreAssignmentFactory, "start_date"),
    LandRenewal: (LandRenewalFactory, "note"),
    EnterpriseAnnualMetric: (EnterpriseAnnualMetricFactory, "employees"),
    PerMuGradeScheme: (PerMuGradeSchemeFactory, "tax_per_mu_a"),
}


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | Decimal):
        return value + 1
    if isinstance(value, datetime.date):
        return value - datetime.timedelta(days=1)
    return f"{value}（改）"


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda model: model.__name__)
def test_create_update_and_delete_each_leave_a_history_row(model):
    factory, field = FACTORIES[model]
    instance = factory()
    setattr(instance, field, _changed(getattr(instance, field)))
    instance.save()
    pk = instance.pk
    if model is InvestmentVisit:
        VisitLeader.objects.filter(visit=instance).delete()
    instance.delete()
    types = list(
        model.history.filter(id=pk).order_by("history_date", "history_id").values_list("history_type", flat=True)
    )
    assert types == ["+", "~", "-"]


def test_a_change_made_on_the_site_names_its_author_and_fields(client):
    official = UserFactory(username="zhao", roles=[Role.OFFICIAL])
    client.force_login(official)
    project = ProjectFactory(total_investment=Decimal("100"), responsible_official=official)
    response = client.post(
        f"/projects/{project.pk}/follow-ups/",
        {"date": timezone.localdate().isoformat(), "note": "电话跟进"},
    )
    assert response.status_code == 302
    assert FollowUp.history.get().history_user == official
    project.total_investment = Decimal("250")
    project.save()
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "变更记录" in page and "100.00 → 250.00" in page
    assert "更新时间" not in page.split("变更记录")[1]  # moved by every save: not listed
    old_chain, new_chain = project.chain, ChainFactory(name="新产业链")
    project.chain = new_chain
    project.save()
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f"{old_chain.name} → 新产业链" in page  # related rows by name, not by id


def test_a_change_through_the_api_is_attributed_to_the_tokens_user(api_client):
    owner = UserFactory(username="api-owner", is_superuser=True, is_staff=True)
    _token, key = api_token_issue(user=owner, scope="write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    project = ProjectFactory()
    etag = api_client.get(f"/api/v1/projects/{project.pk}/")["ETag"]
    response = api_client.patch(f"/api/v1/projects/{project.pk}/", {"name": "改名"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    latest = Project.history.filter(id=project.pk).latest("history_date")
    assert (latest.history_type, latest.history_user, latest.name) == ("~", owner, "改名")


def test_the_demo_generator_and_its_deletion_write_history_in_bulk():
    from django.core.management import call_command

    call_command("seed_pinghu", verbosity=0, stdout=open("/dev/null", "w"))
    counts = generate_demo_data(projects=30, visits=60, seed=3)
    assert Project.history.filter(history_type="+").count() == counts.projects
    assert InvestmentVisit.history.filter(history_type="+").count() == counts.visits
    assert VisitLeader.history.filter(history_type="+").count() == counts.person_times
    assert VisitProject.history.filter(history_type="+").count() == counts.visit_projects
    assert set(Project.history.values_list("history_change_reason", flat=True)) == {"演示数据"}
    # Each visit's record keeps its links (what a restore needs), as the signal path does.
    snapshots = InvestmentVisit.history.model
    assert snapshots.leaders.model.objects.count() == counts.person_times
    assert snapshots.projects.model.objects.count() == counts.visit_projects
    assert snapshots.chains.model.objects.count() == InvestmentVisit.chains.through.objects.count() > 0
    visit = InvestmentVisit.objects.order_by("pk").last()
    record = visit.history.get()
    assert set(snapshots.leaders.model.objects.filter(history=record).values_list("leader_id", flat=True)) == set(
        visit.leaders.values_list("pk", flat=True)
    )
    delete_demo_data()
    assert Project.history.filter(history_type="-").count() == counts.projects
    assert InvestmentVisit.history.filter(history_type="-").count() == counts.visits
    assert not Project.objects.exists()


def test_the_admin_shows_an_objects_history(admin_client):
    project = ProjectFactory()
    assert admin_client.get(f"/admin/projects/project/{project.pk}/history/").status_code == 200
