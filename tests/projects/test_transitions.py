"""project_transition: every allowed and every refused move, and what each writes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.choices import PIPELINE, STAGE_DATE_FIELDS, ProjectStage
from projects.models import Project, ProjectStageChange
from projects.services import project_allowed_transitions, project_create, project_transition
from tests.factories import ChainFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
CONTACT = D(2024, 1, 10)
# A date for every dated stage, in order.
DATES = {
    ProjectStage.SIGNED: D(2024, 2, 1),
    ProjectStage.REGISTERED: D(2024, 3, 1),
    ProjectStage.CONSTRUCTION: D(2024, 4, 1),
    ProjectStage.PRODUCTION: D(2024, 9, 1),
}


def new_project(stage: str = ProjectStage.LEAD, **dates) -> Project:
    """A project created through the service at ``stage`` with the dates that stage needs."""
    fields = {"first_contact_date": CONTACT}
    for dated_stage, field in STAGE_DATE_FIELDS.items():
        if stage in PIPELINE and PIPELINE.index(stage) >= PIPELINE.index(dated_stage):
            fields[field] = DATES[dated_stage]
    fields.update(dates)
    project = Project(
        name="测试项目",
        chain=ChainFactory(),
        investor=EnterpriseFactory(),
        total_investment=Decimal("100"),
        stage=stage,
        **fields,
    )
    return project_create(project=project, by=None)


def on_hold_from(stage: str) -> Project:
    project = new_project(stage)
    return project_transition(project, ProjectStage.ON_HOLD, by=None, on_date=D(2024, 10, 1))


ALL_STAGES = list(ProjectStage.values)


def expected_targets(stage: str) -> set[str]:
    if stage in PIPELINE[:-1]:
        return {*PIPELINE[PIPELINE.index(stage) + 1 :], ProjectStage.ON_HOLD, ProjectStage.DROPPED}
    return set()


@pytest.mark.parametrize("from_stage", PIPELINE)
@pytest.mark.parametrize("to_stage", ALL_STAGES)
def test_every_move_from_a_pipeline_stage(from_stage, to_stage):
    project = new_project(from_stage)
    allowed = to_stage in expected_targets(from_stage)
    assert (to_stage in project_allowed_transitions(project)) == allowed
    # Give every stage date the move could need, so only the rule itself decides.
    stage_dates = {stage: date for stage, date in DATES.items()}
    on_date = DATES.get(to_stage, D(2024, 10, 1))
    before = ProjectStageChange.objects.count()
    if allowed:
        moved = project_transition(project, to_stage, by=None, on_date=on_date, stage_dates=stage_dates)
        assert moved.stage == to_stage
        # One history row per dated stage passed (at least one), ending at the new stage.
        passed = PIPELINE[PIPELINE.index(from_stage) + 1 : PIPELINE.index(to_stage) + 1] if to_stage in PIPELINE else []
        rows = max(1, len([stage for stage in passed if stage in STAGE_DATE_FIELDS]))
        assert ProjectStageChange.objects.count() == before + rows
        assert moved.stage_changes.order_by("-at", "-pk").first().to_stage == to_stage
    else:
        with pytest.raises(ValidationError) as caught:
            project_transition(project, to_stage, by=None, on_date=on_date, stage_dates=stage_dates)
        assert "to_stage" in caught.value.message_dict
        project.refresh_from_db()
        assert project.stage == from_stage
        assert ProjectStageChange.objects.count() == before


@pytest.mark.parametrize("held_from", PIPELINE[:-1])
def test_on_hold_resumes_only_where_it_stopped_or_is_dropped(held_from):
    project = on_hold_from(held_from)
    assert project_allowed_transitions(project) == [held_from, ProjectStage.DROPPED]
    for other in set(ALL_STAGES) - {held_from, ProjectStage.DROPPED}:
        with pytest.raises(ValidationError):
            project_transition(project, other, by=None, on_date=D(2024, 10, 2), stage_dates=DATES)
    resumed = project_transition(project, held_from, by=None, on_date=D(2024, 10, 2))
    assert resumed.stage == held_from


@pytest.mark.parametrize("final", [ProjectStage.PRODUCTION, ProjectStage.DROPPED])
def test_final_stages_allow_nothing(final):
    project = new_project(ProjectStage.PRODUCTION) if final == ProjectStage.PRODUCTION else new_project()
    if final == ProjectStage.DROPPED:
        project = project_transition(project, final, by=None, on_date=D(2024, 2, 1))
    assert project_allowed_transitions(project) == []
    for stage in ALL_STAGES:
        with pytest.raises(ValidationError):
            project_transition(project, stage, by=None, on_date=D(2024, 10, 2), stage_dates=DATES)


def test_forward_move_sets_the_date_and_records_who_when_and_why():
    user = UserFactory()
    project = new_project(ProjectStage.NEGOTIATING)
    project_transition(project, ProjectStage.SIGNED, by=user, on_date=D(2024, 2, 3), note="现场签约")
    project.refresh_from_db()
    assert project.stage == ProjectStage.SIGNED and project.signed_date == D(2024, 2, 3)
    change = project.stage_changes.order_by("-pk").first()
    assert (change.from_stage, change.to_stage, change.at, change.by, change.note) == (
        ProjectStage.NEGOTIATING,
        ProjectStage.SIGNED,
        D(2024, 2, 3),
        user,
        "现场签约",
    )


def test_first_stage_change_is_written_at_creation():
    project = new_project()
    first = project.stage_changes.get()
    assert (first.from_stage, first.to_stage, first.at) == ("", ProjectStage.LEAD, CONTACT)


def test_skipping_signed_is_refused():
    project = new_project()
    with pytest.raises(ValidationError) as caught:
        project_transition(project, ProjectStage.REGISTERED, by=None, on_date=D(2024, 3, 1))
    assert "签约" in caught.value.message_dict["to_stage"][0]
    project.refresh_from_db()
    assert project.stage == ProjectStage.LEAD and project.registered_date is None


def test_multi_step_move_with_the_dates_filled():
    project = new_project()
    moved = project_transition(
        project,
        ProjectStage.CONSTRUCTION,
        by=None,
        on_date=D(2024, 4, 1),
        stage_dates={ProjectStage.SIGNED: D(2024, 2, 1), ProjectStage.REGISTERED: D(2024, 3, 1)},
    )
    assert (moved.signed_date, moved.registered_date, moved.construction_date) == (
        D(2024, 2, 1),
        D(2024, 3, 1),
        D(2024, 4, 1),
    )


def test_multi_step_move_without_an_intermediate_date_is_refused():
    project = new_project(ProjectStage.SIGNED)
    with pytest.raises(ValidationError) as caught:
        project_transition(project, ProjectStage.CONSTRUCTION, by=None, on_date=D(2024, 4, 1))
    assert "registered_date" in caught.value.message_dict


def test_stage_dates_out_of_order_are_refused_with_the_field_named():
    project = new_project()
    with pytest.raises(ValidationError) as caught:
        # The signed date comes after the registered date: the date-order rule names registered_date.
        project_transition(
            project,
            ProjectStage.REGISTERED,
            by=None,
            on_date=D(2024, 3, 1),
            stage_dates={ProjectStage.SIGNED: D(2024, 3, 5)},
        )
    assert list(caught.value.message_dict) == ["registered_date"]
    project.refresh_from_db()
    assert project.stage == ProjectStage.LEAD and project.signed_date is None


def test_multi_step_move_writes_a_row_per_dated_stage():
    project = new_project()
    project_transition(
        project,
        ProjectStage.REGISTERED,
        by=None,
        on_date=D(2024, 3, 1),
        stage_dates={ProjectStage.SIGNED: D(2024, 2, 1)},
        note="补录",
    )
    rows = list(project.stage_changes.order_by("at", "pk").values_list("from_stage", "to_stage", "at", "note"))
    assert rows == [
        ("", "lead", CONTACT, ""),
        ("lead", "signed", D(2024, 2, 1), ""),
        ("signed", "registered", D(2024, 3, 1), "补录"),
    ]


def test_date_before_the_previous_change_is_refused():
    project = new_project(ProjectStage.SIGNED)
    with pytest.raises(ValidationError) as caught:
        project_transition(project, ProjectStage.ON_HOLD, by=None, on_date=D(2024, 1, 31))
    assert "date" in caught.value.message_dict


def test_future_date_is_refused():
    project = new_project()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        project_transition(project, ProjectStage.NEGOTIATING, by=None, on_date=tomorrow)
    assert "date" in caught.value.message_dict


def test_unknown_stage_is_refused():
    project = new_project()
    with pytest.raises(ValidationError) as caught:
        project_transition(project, "celebrating", by=None, on_date=D(2024, 2, 1))
    assert "to_stage" in caught.value.message_dict


def test_new_project_cannot_start_on_hold_or_signed_without_date():
    with pytest.raises(ValidationError):
        new_project(ProjectStage.ON_HOLD)
    project = Project(
        name="无签约日期",
        chain=ChainFactory(),
        investor=EnterpriseFactory(),
        total_investment=Decimal("1"),
        stage=ProjectStage.SIGNED,
    )
    with pytest.raises(ValidationError):
        project_create(project=project, by=None)
    assert not Project.objects.filter(name="无签约日期").exists()
