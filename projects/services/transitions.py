"""A project's moves through the pipeline (project_transition): the one way its stage and stage dates change."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinghu import events
from pinghu.concurrency import lock_for_update

from ..choices import (
    PIPELINE,
    STAGE_DATE_FIELDS,
    ProjectStage,
)
from ..models import (
    Project,
    ProjectStageChange,
)

User = AbstractBaseUser


def _stage_label(stage: str) -> str:
    return str(ProjectStage(stage).label)


def _transition_refused(from_stage: str, to_stage: str, *, key: str) -> ValidationError:
    return ValidationError(
        {
            key: _("A project cannot move from %(from)s to %(to)s.")
            % {"from": _stage_label(from_stage), "to": _stage_label(to_stage)}
        },
        code="transition_not_allowed",
    )


def stage_before_hold(project: Project) -> str | None:
    """The stage a project on hold was held from (where it resumes)."""
    change = project.stage_changes.filter(to_stage=ProjectStage.ON_HOLD).order_by("-at", "-pk").first()
    return change.from_stage if change else None


def project_allowed_transitions(project: Project) -> list[str]:
    """The stages a project may move to now, in pipeline order (for buttons and admin choices)."""
    if project.stage in PIPELINE[:-1]:
        ahead = PIPELINE[PIPELINE.index(project.stage) + 1 :]
        return [*ahead, ProjectStage.ON_HOLD, ProjectStage.DROPPED]
    if project.stage == ProjectStage.ON_HOLD:
        resume = stage_before_hold(project)
        return [*([resume] if resume else []), ProjectStage.DROPPED]
    return []


@transaction.atomic
def project_transition(
    project: Project,
    to_stage: str,
    *,
    by: User | None,
    on_date: datetime.date,
    note: str = "",
    stage_dates: dict[str, datetime.date] | None = None,
    expected_version: str | None = None,
) -> Project:
    """Move a project to ``to_stage`` on ``on_date`` and record the change.

    Allowed: forward one or more steps (every dated stage passed needs its date: ``on_date``
    for the target, ``stage_dates`` or the date already on the project for the others; a move
    past ``signed`` without a signed date is refused); to ``on_hold`` or ``dropped`` from any
    open stage; from ``on_hold`` back to the stage it was held from. Everything is written in
    one transaction with the project row locked, or nothing is. ``expected_version`` is the version
    the caller showed the moves from (refused if the project changed since); ``None`` skips the check.
    """
    project = lock_for_update(Project, project.pk, expected_version)
    from_stage = project.stage
    stage_dates = dict(stage_dates or {})
    if to_stage not in ProjectStage.values:
        raise ValidationError({"to_stage": _("Unknown stage: %(stage)s.") % {"stage": to_stage}}, code="invalid")
    if to_stage not in project_allowed_transitions(project):
        raise _transition_refused(from_stage, to_stage, key="to_stage")

    if on_date > timezone.localdate():
        raise ValidationError({"date": _("A stage change cannot be dated in the future.")}, code="future_date")
    last = project.stage_changes.order_by("-at", "-pk").first()
    if last is not None and on_date < last.at:
        raise ValidationError(
            {"date": _("The date cannot be before the previous stage change (%(date)s).") % {"date": last.at}},
            code="date_order",
        )
    # One history row per dated stage passed, so the stage "as of" any date stays right.
    steps: list[tuple[str, datetime.date]] = []
    if to_stage in PIPELINE and from_stage in PIPELINE:
        passed = PIPELINE[PIPELINE.index(from_stage) + 1 : PIPELINE.index(to_stage) + 1]
        stage_dates[to_stage] = on_date
        for stage in passed:
            field = STAGE_DATE_FIELDS.get(stage)
            if field is None:
                continue
            value = stage_dates.get(stage) or getattr(project, field)
            if value is None and stage == ProjectStage.SIGNED:
                raise ValidationError(
                    {"to_stage": _("A project cannot skip signing: give the signed date to move past it.")},
                    code="skips_signed",
                )
            if value is None:
                raise ValidationError(
                    {field: _("Moving past %(stage)s needs its date.") % {"stage": _stage_label(stage)}},
                    code="missing_stage_date",
                )
            setattr(project, field, value)
            steps.append((stage, value))
    if not steps or steps[-1][0] != to_stage:
        steps.append((to_stage, on_date))
    if last is not None and steps[0][1] < last.at:
        raise ValidationError(
            {"date": _("The date cannot be before the previous stage change (%(date)s).") % {"date": last.at}},
            code="date_order",
        )

    project.stage = to_stage
    project.full_clean()
    project.save()
    previous = from_stage
    for stage, date in steps:
        ProjectStageChange.objects.create(
            project=project,
            from_stage=previous,
            to_stage=stage,
            at=date,
            by=by,
            note=note if stage == to_stage else "",
        )
        previous = stage
    events.emit(events.PROJECT_STAGE_CHANGED, project, actor=by, **{"from": from_stage, "to": to_stage})
    return project
