"""Visits with new leads in one step, and signing at conferences counted once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pinghu.permissions import Role
from projects.choices import ProjectSource, ProjectStage
from projects.models import InvestmentVisit, Project, ProjectStageChange
from projects.services import (
    project_create,
    project_transition,
    signing_event_sign_project,
    visit_create,
    visit_update,
)
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, SigningEventFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db
D = datetime.date


def unsaved_visit(**values) -> InvestmentVisit:
    defaults = {
        "date": D(2024, 3, 2),
        "host_unit": unit_named("经信局"),
        "enterprise": EnterpriseFactory(),
        "purpose": "洽谈",
    }
    return InvestmentVisit(**(defaults | values))


def lead(**values) -> Project:
    defaults = {"name": "新线索", "chain": ChainFactory(), "total_investment": Decimal("5000")}
    return Project(**(defaults | values))


class TestVisitCreate:
    def test_visit_with_leaders_chains_existing_and_new_projects(self):
        user = UserFactory(roles=[Role.OFFICIAL])  # new leads need the permission to add projects
        leaders = [LeaderFactory(), LeaderFactory()]
        chain = ChainFactory()
        existing = project_create(project=lead(investor=EnterpriseFactory(), first_contact_date=D(2024, 1, 1)), by=user)
        visit = visit_create(
            visit=unsaved_visit(),
            leaders=leaders,
            chains=[chain],
            projects=[existing],
            new_projects=[lead(name="电机项目"), lead(name="电池项目")],
            by=user,
        )
        assert visit.recorded_by == user
        assert set(visit.leaders.all()) == set(leaders)
        assert list(visit.chains.all()) == [chain]
        assert visit.projects.count() == 3
        new = Project.objects.get(name="电机项目")
        assert new.source == ProjectSource.VISIT and new.stage == ProjectStage.LEAD
        assert new.investor == visit.enterprise and new.first_contact_date == visit.date
        assert new.stage_changes.get().to_stage == ProjectStage.LEAD

    def test_a_bad_new_project_leaves_nothing_behind(self):
        with pytest.raises(ValidationError) as caught:
            visit_create(
                visit=unsaved_visit(),
                leaders=[LeaderFactory()],
                new_projects=[lead(name="好项目"), lead(name="坏项目", total_investment=Decimal("-1"))],
                by=None,
            )
        assert "new_projects[1]" in caught.value.message_dict
        assert not InvestmentVisit.objects.exists()
        assert not Project.objects.exists() and not ProjectStageChange.objects.exists()

    def test_a_visit_needs_a_leader(self):
        with pytest.raises(ValidationError) as caught:
            visit_create(visit=unsaved_visit(), leaders=[], by=None)
        assert "leaders" in caught.value.message_dict
        assert not InvestmentVisit.objects.exists()

    def test_future_visit_is_refused(self):
        with pytest.raises(ValidationError) as caught:
            visit_create(
                visit=unsaved_visit(date=datetime.date.today() + datetime.timedelta(days=5)),
                leaders=[LeaderFactory()],
                by=None,
            )
        assert "date" in caught.value.message_dict
        assert not InvestmentVisit.objects.exists()

    def test_update_replaces_links(self):
        first, second = LeaderFactory(), LeaderFactory()
        visit = visit_create(visit=unsaved_visit(), leaders=[first], by=None)
        visit.outcome = "达成意向"
        visit_update(visit=visit, leaders=[second], chains=[], projects=[])
        visit.refresh_from_db()
        assert visit.outcome == "达成意向" and list(visit.leaders.all()) == [second]
        with pytest.raises(ValidationError):
            visit_update(visit=visit, leaders=[], chains=[], projects=[])
        assert list(visit.leaders.all()) == [second]


class TestSigningAtConferences:
    def make_negotiating(self) -> Project:
        project = project_create(project=lead(investor=EnterpriseFactory(), first_contact_date=D(2024, 1, 5)), by=None)
        return project_transition(project, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 2, 1))

    def test_signing_moves_the_project_and_links_the_event(self):
        event = SigningEventFactory(date=D(2024, 5, 9))
        project, changed = signing_event_sign_project(event=event, project=self.make_negotiating(), by=None)
        assert changed
        project.refresh_from_db()
        assert project.stage == ProjectStage.SIGNED
        assert project.signed_date == D(2024, 5, 9) and project.signing_event == event

    def test_signing_again_at_the_same_event_changes_nothing(self):
        event = SigningEventFactory(date=D(2024, 5, 9))
        project, _changed = signing_event_sign_project(event=event, project=self.make_negotiating(), by=None)
        changes = ProjectStageChange.objects.count()
        project, changed = signing_event_sign_project(event=event, project=project, by=None)
        assert not changed and ProjectStageChange.objects.count() == changes

    def test_re_signing_at_a_later_conference_is_refused_and_counts_once(self):
        first = SigningEventFactory(date=D(2024, 5, 9))
        later = SigningEventFactory(date=D(2024, 9, 1))
        project, _changed = signing_event_sign_project(event=first, project=self.make_negotiating(), by=None)
        with pytest.raises(ValidationError) as caught:
            signing_event_sign_project(event=later, project=project, by=None)
        assert "signing_event" in caught.value.message_dict
        project.refresh_from_db()
        assert project.signing_event == first and project.signed_date == D(2024, 5, 9)
        assert later.projects.count() == 0 and first.projects.count() == 1

    def test_project_signed_before_without_a_conference_is_not_counted_at_one(self):
        event = SigningEventFactory(date=D(2024, 5, 9))
        project = project_transition(self.make_negotiating(), ProjectStage.SIGNED, by=None, on_date=D(2024, 3, 1))
        with pytest.raises(ValidationError):
            signing_event_sign_project(event=event, project=project, by=None)
        assert event.projects.count() == 0
