"""The demo shows the whole service of established firms and the chain leadership, the same for a seed."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from aftercare.choices import IssueChannel, IssueStatus
from aftercare.models import CadreAssignment, EnterpriseIssue, IssueStep, SalonEvent, overdue_condition
from chains.choices import LeadershipRole
from chains.demo import CHIEF_ACCOUNT_PREFIX
from chains.models import Chain, ChainLeadership, Enterprise
from pinghu.permissions import Role
from projects.choices import OPEN_STAGES
from projects.demo import delete_demo_data, generate_demo_data
from projects.demo_people import OFFICIAL_ACCOUNTS
from projects.models import Project

pytestmark = pytest.mark.django_db
END = datetime.date(2026, 6, 30)


@pytest.fixture
def demo():
    call_command("seed_pinghu", stdout=StringIO())
    return generate_demo_data(projects=90, visits=120, seed=1, end_date=END)


def test_every_chain_has_a_chief_with_a_login_deputies_and_a_history(demo, admin_client):
    chains = Chain.objects.all()
    current = ChainLeadership.objects.current()
    for chain in chains:
        chief = current.get(chain=chain, role=LeadershipRole.CHIEF).leader
        assert chief.user is not None and chief.user.username.startswith(CHIEF_ACCOUNT_PREFIX)
        assert chief.user.groups.filter(name=Role.CHAIN_LEADER).exists() and not chief.user.has_usable_password()
        assert current.filter(chain=chain, role=LeadershipRole.DEPUTY).exists()
    ended = ChainLeadership.objects.filter(end_date__isnull=False)
    assert ended.count() == chains.count() // 2
    assert all(term.end_date < term.start_date + datetime.timedelta(days=4 * 365) for term in ended)
    assert demo.chain_leaderships == ChainLeadership.objects.count()
    # The dashboard's 链长 column names them instead of "—".
    html = admin_client.get(reverse("projects:dashboard")).content.decode()
    for leadership in current.filter(role=LeadershipRole.CHIEF).select_related("leader"):
        assert leadership.leader.name in html


def test_open_projects_have_responsible_officials(demo):
    open_projects = Project.objects.filter(stage__in=OPEN_STAGES)
    assigned = open_projects.filter(responsible_official__username__in=OFFICIAL_ACCOUNTS)
    assert demo.responsible == assigned.count()
    assert 0.6 * open_projects.count() <= assigned.count() < open_projects.count()


def test_problems_reach_every_status_with_their_steps(demo):
    issues = EnterpriseIssue.objects.all()
    assert set(issues.values_list("status", flat=True)) == set(IssueStatus.values)
    assert issues.filter(overdue_condition(END)).exists()  # assigned and past the due date
    assert issues.filter(status=IssueStatus.ASSIGNED, due_date__range=(END, END + datetime.timedelta(days=3))).exists()
    assert issues.filter(status=IssueStatus.CLOSED, satisfaction__isnull=False).exists()
    assert issues.filter(status=IssueStatus.RESOLVED, assigned_on__isnull=True).exists()  # solved on the spot
    assert {IssueChannel.SALON, IssueChannel.INVESTMENT_VISIT, IssueChannel.HOTLINE} <= set(
        issues.values_list("channel", flat=True)
    )
    assert not issues.filter(received_on__gt=END).exists()
    for issue in issues.prefetch_related("steps"):
        steps = [step.to_status for step in issue.steps.all()]
        assert steps[0] == IssueStatus.RECEIVED and steps[-1] == issue.status
    for issue in issues.filter(channel=IssueChannel.SALON).select_related("salon"):
        assert issue.salon.enterprises.filter(pk=issue.enterprise_id).exists()


def test_salons_and_cadres(demo, client):
    assert SalonEvent.objects.count() == 10
    assert all(salon.enterprises.count() >= 4 and salon.date <= END for salon in SalonEvent.objects.all())
    current = CadreAssignment.objects.current()
    firms = Enterprise.objects.filter(name__startswith="演示", in_pinghu=True).count()
    assert current.count() == min(firms, 30)  # a cadre for each demo firm in Pinghu, up to 30
    assert CadreAssignment.objects.filter(end_date__isnull=False).count() == min(firms, 30) // 6  # one in six replaced
    official = get_user_model().objects.get(username=OFFICIAL_ACCOUNTS[0])
    firms = current.filter(cadre_user=official).values_list("enterprise__name", flat=True)
    assert firms
    client.force_login(official)
    html = client.get(reverse("aftercare:my-firms")).content.decode()
    assert all(name in html for name in firms)


def _service_rows() -> dict:
    return {
        "issues": list(
            EnterpriseIssue.objects.order_by("received_on", "enterprise__name", "category", "status").values_list(
                "enterprise__name",
                "channel",
                "category",
                "status",
                "received_on",
                "assigned_on",
                "due_date",
                "resolved_on",
                "closed_on",
                "rejected_on",
                "satisfaction",
                "assigned_unit__name",
            )
        ),
        "salons": list(SalonEvent.objects.order_by("date").values_list("date", "host__name", "place")),
        "cadres": list(
            CadreAssignment.objects.order_by("enterprise__name", "start_date").values_list(
                "enterprise__name", "start_date", "end_date", "cadre_leader__name", "cadre_user__username"
            )
        ),
        "leadership": list(
            ChainLeadership.objects.order_by("chain__code", "role", "start_date").values_list(
                "chain__code", "role", "leader__name", "start_date", "end_date"
            )
        ),
    }


def test_same_seed_same_rows_and_replace_removes_them(demo):
    first = _service_rows()
    delete_demo_data()
    for model in (EnterpriseIssue, IssueStep, SalonEvent, CadreAssignment, ChainLeadership):
        assert not model.objects.exists()
    users = get_user_model().objects
    assert not users.filter(username__startswith=CHIEF_ACCOUNT_PREFIX).exists()
    assert not users.filter(username__in=OFFICIAL_ACCOUNTS).exists()
    generate_demo_data(projects=90, visits=120, seed=1, end_date=END)
    assert _service_rows() == first
