"""Stage moves that can succeed: the moves offered per stage and role, the one form of a move that skips stages."""

import datetime
from decimal import Decimal

import pytest

from pinghu.concurrency import version_of
from pinghu.permissions import Role
from projects.choices import ProjectStage
from projects.forms_moves import StageMoveForm
from projects.models import Project
from projects.moves import project_moves_for
from projects.services import project_create, project_transition
from tests.factories import (
    ChainFactory,
    ChainLeadershipFactory,
    EnterpriseFactory,
    LeaderFactory,
    SigningEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def new_project(by=None, stage=ProjectStage.NEGOTIATING, chain=None, **fields) -> Project:
    return project_create(
        project=Project(
            name="光伏组件项目",
            chain=chain or ChainFactory(),
            investor=EnterpriseFactory(),
            total_investment=Decimal("5000"),
            stage=stage,
            first_contact_date=D(2024, 1, 10),
            **fields,
        ),
        by=by,
    )


@pytest.fixture
def people():
    class People:
        official = UserFactory(username="official", roles=[Role.OFFICIAL])
        other_official = UserFactory(username="other", roles=[Role.OFFICIAL])
        chief = UserFactory(username="chief", roles=[Role.CHAIN_LEADER])
        bureau = UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])
        consumer = UserFactory(username="consumer", roles=[Role.API_CONSUMER])
        admin = UserFactory(username="boss", roles=[Role.ADMIN])

    return People()


def stages(moves) -> list[str]:
    return [move.to_stage for move in moves]


# --- the moves offered ---------------------------------------------------------------------------------


def test_moves_from_negotiating_ask_the_dates_of_every_dated_stage_passed(people):
    project = new_project(by=people.official)
    moves = {move.to_stage: move for move in project_moves_for(project, people.official)}
    assert list(moves) == ["signed", "registered", "construction", "production", "on_hold", "dropped"]
    assert moves["construction"].dated_stages == ("signed", "registered", "construction")
    assert moves["construction"].passes_signing and moves["construction"].skips
    assert not moves["signed"].skips and moves["signed"].passes_signing
    assert moves["on_hold"].needs_reason and moves["on_hold"].dated_stages == ()
    assert moves["construction"].url == f"/projects/{project.pk}/move/construction/"


def test_moves_from_hold_resume_where_it_stopped_or_drop(people):
    project = new_project(by=people.official)
    project_transition(project, ProjectStage.ON_HOLD, by=people.official, on_date=D(2024, 2, 1))
    project.refresh_from_db()
    assert stages(project_moves_for(project, people.official)) == ["negotiating", "dropped"]


def test_a_signed_project_passes_no_more_signing(people):
    project = new_project(by=people.official, stage=ProjectStage.SIGNED, signed_date=D(2024, 2, 1))
    moves = {move.to_stage: move for move in project_moves_for(project, people.official)}
    assert moves["construction"].dated_stages == ("registered", "construction")
    assert not moves["construction"].passes_signing


def test_final_stages_offer_nothing(people):
    project = new_project(by=people.official)
    project_transition(project, ProjectStage.DROPPED, by=people.official, on_date=D(2024, 2, 1))
    project.refresh_from_db()
    assert project_moves_for(project, people.official) == []


def test_moves_follow_the_role_and_the_object_rule(people):
    chain = ChainFactory()
    ChainLeadershipFactory(chain=chain, leader=LeaderFactory(user=people.chief))
    project = new_project(by=people.official, chain=chain)
    offered = {
        name: bool(project_moves_for(project, getattr(people, name)))
        for name in ("official", "other_official", "chief", "bureau", "consumer", "admin")
    }
    assert offered == {
        "official": True,  # entered it
        "other_official": False,
        "chief": True,  # leads its chain
        "bureau": True,  # any project (issue 20)
        "consumer": False,
        "admin": True,
    }


# --- the form ------------------------------------------------------------------------------------------


def test_the_form_of_a_skipping_move_asks_each_date_and_the_conference(people):
    project = new_project(by=people.official)
    form = StageMoveForm(project=project, to_stage="construction")
    assert list(form.fields) == [
        "signed_date",
        "registered_date",
        "construction_date",
        "signing_event",
        "note",
        "version",
    ]
    assert form.fields["construction_date"].initial == datetime.date.today()
    assert not form.fields["signed_date"].required  # the conference's date may stand for it
    assert "date" not in form.fields


def test_a_multi_stage_move_with_dates_and_a_conference(people):
    project = new_project(by=people.official)
    event = SigningEventFactory(name="长三角签约大会", date=D(2024, 3, 15))
    form = StageMoveForm(
        project=project,
        to_stage="construction",
        data={
            "registered_date": "2024-04-01",
            "construction_date": "2024-05-20",
            "signing_event": event.pk,
            "version": version_of(project),
        },
    )
    assert form.is_valid(), form.errors
    moved = form.save(by=people.official)
    assert moved is not None
    moved.refresh_from_db()
    assert (moved.stage, moved.signed_date, moved.registered_date, moved.construction_date) == (
        "construction",
        D(2024, 3, 15),
        D(2024, 4, 1),
        D(2024, 5, 20),
    )
    assert moved.signing_event == event
    assert list(moved.stage_changes.order_by("at", "pk").values_list("to_stage", "at")) == [
        ("negotiating", D(2024, 1, 10)),
        ("signed", D(2024, 3, 15)),
        ("registered", D(2024, 4, 1)),
        ("construction", D(2024, 5, 20)),
    ]


def test_a_conference_on_another_day_than_the_signed_date_is_refused_on_its_field(people):
    project = new_project(by=people.official)
    event = SigningEventFactory(name="长三角签约大会", date=D(2024, 3, 15))
    data = {
        "signed_date": "2024-03-16",
        "registered_date": "2024-04-01",
        "construction_date": "2024-05-20",
        "signing_event": event.pk,
        "version": version_of(project),
    }
    form = StageMoveForm(project=project, to_stage="construction", data=data)
    assert not form.is_valid()
    assert "签约日期须为当日" in form.errors["signing_event"][0]
    project.refresh_from_db()
    assert project.stage == "negotiating"


def test_missing_dates_are_named(people):
    project = new_project(by=people.official)
    form = StageMoveForm(project=project, to_stage="production", data={"version": version_of(project)})
    assert not form.is_valid()
    assert form.errors["signed_date"] == ["签约日期：越过签约需要填写（或选择签约大会）。"]
    assert "注册日期" in form.errors["registered_date"][0] and "投产" in form.errors["registered_date"][0]


def test_dates_out_of_order_are_refused_by_the_service_on_the_field(people):
    project = new_project(by=people.official)
    data = {
        "signed_date": "2024-03-15",
        "registered_date": "2024-03-01",
        "construction_date": "2024-05-20",
        "version": version_of(project),
    }
    form = StageMoveForm(project=project, to_stage="construction", data=data)
    assert form.is_valid(), form.errors
    assert form.save(by=people.official) is None
    assert "注册日期" in " ".join(form.errors["registered_date"])
    project.refresh_from_db()
    assert project.stage == "negotiating" and project.signed_date is None


def test_hold_needs_a_reason(people):
    project = new_project(by=people.official)
    form = StageMoveForm(
        project=project, to_stage="on_hold", data={"date": "2024-02-01", "version": version_of(project)}
    )
    assert not form.is_valid()
    assert form.errors["note"] == ["原因：暂缓项目须写明原因。"]


def test_a_stale_version_is_refused_and_nothing_moves(people):
    project = new_project(by=people.official)
    opened = version_of(project)
    project_transition(project, ProjectStage.ON_HOLD, by=people.admin, on_date=D(2024, 2, 1))
    project.refresh_from_db()
    form = StageMoveForm(project=project, to_stage="dropped", data={"date": "2024-02-02", "version": opened})
    assert form.is_valid()
    assert form.save(by=people.official) is None
    assert "已被他人保存" in " ".join(form.non_field_errors())
    project.refresh_from_db()
    assert project.stage == "on_hold"
