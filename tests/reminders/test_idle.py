"""Stalled projects and firms without contact, as of a fixed today (2024-06-14), at the exact number of days.

Defaults: lead 60, negotiating 90, signed without registration 180, registered without construction 180
days without a stage change or follow-up; 90 days without contact for a firm with a current cadre.
"""

import pytest

from notifications.models import Notification
from projects.choices import ProjectStage
from projects.models import ProjectStageChange
from reminders.choices import RuleKind
from reminders.scan import run_scan
from tests.factories import (
    CadreAssignmentFactory,
    ChainFactory,
    ChainLeadershipFactory,
    EnterpriseFactory,
    EnterpriseIssueFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    UserFactory,
)

from .conftest import TODAY, days, keys_of, set_rule

pytestmark = pytest.mark.django_db


def project_moved(official, stage, moved_days_ago, **fields):
    project = ProjectFactory(stage=stage, responsible_official=official, **fields)
    ProjectStageChange.objects.create(project=project, from_stage="", to_stage=stage, at=days(-moved_days_ago))
    return project


def test_projects_stalled_at_exactly_their_stages_days(official):
    lead = project_moved(official, ProjectStage.LEAD, 60)
    project_moved(official, ProjectStage.LEAD, 59)
    negotiating = project_moved(official, ProjectStage.NEGOTIATING, 90)
    project_moved(official, ProjectStage.NEGOTIATING, 89)
    signed = project_moved(official, ProjectStage.SIGNED, 180, signed_date=days(-180))
    project_moved(official, ProjectStage.SIGNED, 179, signed_date=days(-179))
    registered = project_moved(
        official, ProjectStage.REGISTERED, 180, signed_date=days(-300), registered_date=days(-180)
    )
    project_moved(official, ProjectStage.REGISTERED, 179, signed_date=days(-300), registered_date=days(-179))
    project_moved(
        official,
        ProjectStage.CONSTRUCTION,
        400,
        signed_date=days(-500),
        registered_date=days(-450),
        construction_date=days(-400),
    )
    result = run_scan(TODAY)
    assert result[RuleKind.PROJECT_STALLED] == {"found": 4, "written": 4}
    assert keys_of(official) == sorted(
        [
            f"project:{lead.pk}:stalled:2024-04-15",
            f"project:{negotiating.pk}:stalled:2024-03-16",
            f"project:{signed.pk}:stalled:2023-12-17",
            f"project:{registered.pk}:stalled:2023-12-17",
        ]
    )
    row = Notification.objects.get(key=f"project:{lead.pk}:stalled:2024-04-15")
    assert row.title == f"项目「{lead.name}」已60天没有进展"
    assert row.link == f"/projects/{lead.pk}/"


def test_a_follow_up_restarts_the_count_and_a_stall_is_said_once(official):
    project = project_moved(official, ProjectStage.LEAD, 100)
    FollowUpFactory(project=project, date=days(-59))
    assert run_scan(TODAY)[RuleKind.PROJECT_STALLED]["found"] == 0
    run_scan(days(1))
    run_scan(days(2))
    assert keys_of(official) == [f"project:{project.pk}:stalled:2024-04-16"]


def test_the_chains_current_chief_is_told_and_a_former_one_is_not(official):
    chain = ChainFactory()
    chief = UserFactory(username="chief")
    former = UserFactory(username="former")
    ChainLeadershipFactory(chain=chain, leader=LeaderFactory(user=chief), start_date=days(-30))
    ChainLeadershipFactory(chain=chain, leader=LeaderFactory(user=former), start_date=days(-400), end_date=days(-31))
    project = project_moved(None, ProjectStage.LEAD, 60, chain=chain)
    run_scan(TODAY)
    assert keys_of(chief) == [f"project:{project.pk}:stalled:2024-04-15"]
    assert keys_of(former) == []


def test_thresholds_are_read_from_the_rule(official):
    set_rule(RuleKind.PROJECT_STALLED, lead_days=10)
    project = project_moved(official, ProjectStage.LEAD, 10)
    run_scan(TODAY)
    assert keys_of(official) == [f"project:{project.pk}:stalled:2024-06-04"]


def test_firms_without_contact_for_exactly_90_days_go_to_their_cadre(official):
    quiet, recent, new = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    assignment = CadreAssignmentFactory(cadre_user=official, cadre_leader=None, enterprise=quiet)
    CadreAssignmentFactory(cadre_user=official, cadre_leader=None, enterprise=recent)
    CadreAssignmentFactory(cadre_user=official, cadre_leader=None, enterprise=new, start_date=days(-89))
    InvestmentVisitFactory(enterprise=quiet, date=days(-90))
    EnterpriseIssueFactory(enterprise=recent, received_on=days(-89))
    result = run_scan(TODAY)
    assert result[RuleKind.FIRM_NOT_CONTACTED] == {"found": 1, "written": 1}
    assert keys_of(official) == [f"cadre:{assignment.pk}:no_contact:2024-03-16"]
    row = Notification.objects.get(recipient=official)
    assert row.title == f"已90天未联系{quiet.name}"
    assert row.link == f"/enterprises/{quiet.pk}/"


def test_a_cadre_leader_is_reached_through_the_login_and_ended_assignments_are_not(official):
    cadre = UserFactory(username="cadre")
    firm = EnterpriseFactory()
    assignment = CadreAssignmentFactory(cadre_leader=LeaderFactory(user=cadre), enterprise=firm)
    CadreAssignmentFactory(cadre_user=official, cadre_leader=None, end_date=days(-1))
    run_scan(TODAY)
    assert keys_of(cadre) == [f"cadre:{assignment.pk}:no_contact:2023-01-01"]
    assert keys_of(official) == []


def test_disabled_rules_and_inactive_cadres_get_nothing():
    CadreAssignmentFactory(cadre_user=UserFactory(username="left", is_active=False), cadre_leader=None)
    assert run_scan(TODAY)[RuleKind.FIRM_NOT_CONTACTED] == {"found": 1, "written": 0}
    set_rule(RuleKind.PROJECT_STALLED, enabled=False)
    set_rule(RuleKind.FIRM_NOT_CONTACTED, enabled=False)
    project_moved(UserFactory(username="someone"), ProjectStage.LEAD, 365)
    result = run_scan(TODAY)
    assert RuleKind.PROJECT_STALLED not in result and RuleKind.FIRM_NOT_CONTACTED not in result
    assert not Notification.objects.exists()
