"""New projects (one or many), edits of their own fields, their deletion, and a project's signing at a conference."""

import datetime
from collections.abc import Collection, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinghu import events
from pinghu.history import deletion_batch, record_history
from pinghu.permissions import may
from pinghu.services import model_update

from ..choices import (
    PROJECT_STEP_FIELDS,
    STAGE_DATE_FIELDS,
    ProjectStage,
)
from ..models import (
    Project,
    ProjectStageChange,
    SigningEvent,
)
from .transitions import project_transition

User = AbstractBaseUser

# Who answers for a project and its chain decide who may change it (projects.rules): changing them
# on an existing project needs ASSIGN (admins), whoever asks and by whatever way.
ASSIGN = "projects.assign_project"
ASSIGNMENT_FIELDS = {"chain": "chain_id", "responsible_official": "responsible_official_id"}


def project_initial_stage_date(project: Project) -> datetime.date:
    """The date the first stage change is recorded at: the stage's own date, else first contact."""
    field = STAGE_DATE_FIELDS.get(project.stage)
    return (field and getattr(project, field)) or project.first_contact_date


def project_prepare_new(project: Project, *, by: User | None) -> None:
    """The rules of a new project before validation: who entered it, a starting stage, a first contact date."""
    if project.pk is not None:
        raise ValueError("a new project must be unsaved")
    if by is not None and by.pk is not None:
        project.created_by = by
    if project.stage in (ProjectStage.ON_HOLD, ProjectStage.DROPPED):
        raise ValidationError({"stage": _("A new project cannot start on hold or dropped.")}, code="initial_stage")
    if project.first_contact_date is None:
        # Every project has a first contact (the conversion statistic starts there): the earliest
        # date given, or today for a new lead.
        given = [getattr(project, field) for field in STAGE_DATE_FIELDS.values() if getattr(project, field)]
        project.first_contact_date = min(given, default=timezone.localdate())


# Checked by the import before a batch is written: Project.clean() names the field for every rule its
# check constraints hold (the database still enforces them), and the import's lookups found the chain,
# the investor and the conference, so the queries per row full_clean() would add (its key look-ups, and its check
# constraints: one query with a savepoint since pinghu.check_constraints, 171 statements before) are left out.
PROJECT_BATCH_CLEAN = {"exclude": ["chain", "investor", "signing_event", "created_by"], "validate_constraints": False}


@transaction.atomic
def project_create_many(projects: list[Project], *, by: User | None, reason: str = "") -> list[Project]:
    """``project_create`` for a batch (an import): prepared and validated projects, written set-based.

    Each project must have been through ``project_prepare_new`` and ``full_clean(**PROJECT_BATCH_CLEAN)``.
    The projects, their first stage changes and a history row for each are inserted in a few
    statements; the history rows name ``by`` and ``reason``.
    """
    if not projects:
        return []
    Project.objects.bulk_create(projects, batch_size=1000)
    changes = ProjectStageChange.objects.bulk_create(
        [
            ProjectStageChange(
                project=project, from_stage="", to_stage=project.stage, at=project_initial_stage_date(project), by=by
            )
            for project in projects
        ],
        batch_size=1000,
    )
    for start in range(0, len(projects), 1000):
        ids = [project.pk for project in projects[start : start + 1000]]
        record_history(Project.objects.filter(pk__in=ids), history_type="+", reason=reason, user=by)
    for start in range(0, len(changes), 1000):
        ids = [change.pk for change in changes[start : start + 1000]]
        record_history(ProjectStageChange.objects.filter(pk__in=ids), history_type="+", reason=reason, user=by)
    return projects


@transaction.atomic
def project_create(
    *, project: Project, by: User | None, note: str = "", confirm_large_amounts: bool = False
) -> Project:
    """Validate and save a new project entered by ``by``; write its first stage change (from nothing to its stage).

    An amount above its warning line (``PINGHU_AMOUNT_WARNINGS``) is refused unless
    ``confirm_large_amounts``; one above its ceiling is refused always (``Project.clean``).
    """
    project_prepare_new(project, by=by)
    if confirm_large_amounts:
        project.large_amounts_confirmed = True
    project.full_clean()
    project.save()
    ProjectStageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=project.stage,
        at=project_initial_stage_date(project),
        by=by,
        note=note,
    )
    events.emit(events.PROJECT_CREATED, project, actor=by)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    data: Mapping[str, Any],
    expected_version: str | None,
    confirm_large_amounts: bool = False,
    by: User | None = None,
) -> Project:
    """Change an existing project's own fields (``data``: field name → value); returns the saved project.

    The stage, its dates and the conference (``PROJECT_STEP_FIELDS``) change only through
    ``project_transition`` or ``signing_event_sign_project``, which write the stage history with
    them: naming one is refused. The row is locked and checked against ``expected_version`` (the
    ``version_of`` the caller read; ``None`` skips the check, for internal callers), and only the
    fields given are written, so a stage change made meanwhile is never overwritten. A changed amount
    above its warning line needs ``confirm_large_amounts``. A different chain or responsible official
    needs ``by`` to hold ``projects.assign_project`` (``project_check_assignment``; ``by=None`` is an
    internal caller).
    """
    current = Project.objects.filter(pk=project.pk).values(*ASSIGNMENT_FIELDS.values()).first() or {}
    changed = {
        name: value
        for name, value in data.items()
        if name in ASSIGNMENT_FIELDS and getattr(value, "pk", value) != current.get(ASSIGNMENT_FIELDS[name])
    }
    project_check_assignment(changed=changed, by=by)
    project = model_update(
        Project,
        project.pk,
        data=data,
        expected_version=expected_version,
        step_fields=PROJECT_STEP_FIELDS,
        step_message=_("This changes only through a stage change (or a signing at a conference)."),
        validate_with={"large_amounts_confirmed": confirm_large_amounts},
    )
    events.emit(events.PROJECT_UPDATED, project, actor=by, fields=sorted(data))
    return project


def project_check_assignment(*, changed: Collection[str], by: User | None) -> None:
    """Refuse moving a project to another chain or official (``changed``: of ``ASSIGNMENT_FIELDS``) without ASSIGN.

    A chain leader who could make themselves a project's responsible official, or move it to a
    chain they lead, would extend their own edit rights; so only admins (or whoever is given the
    permission) may. ``by=None`` is an internal caller (a restore, a data migration).
    """
    if not changed or by is None or may(by, ASSIGN):
        return
    messages = {
        "chain": _("Chain: only administrators may move a project to another chain."),
        "responsible_official": _("Responsible official: only administrators may change who answers for a project."),
    }
    raise ValidationError(
        {name: ValidationError(messages[name], code="assign_project") for name in ASSIGNMENT_FIELDS if name in changed}
    )


@transaction.atomic
def project_delete(project: Project) -> None:
    """Delete a project with its stage history, follow-ups and visit links, as one restorable deletion."""
    with deletion_batch():
        project.delete()


@transaction.atomic
def signing_event_sign_project(
    *, event: SigningEvent, project: Project, by: User | None, note: str = ""
) -> tuple[Project, bool]:
    """Sign ``project`` at ``event``; returns the project and whether anything changed.

    A project counts once, under its first signing: one already signed at this conference is
    left as it is; one signed elsewhere (at another conference or on another date) is refused,
    so re-signing it at a later conference can never count it twice.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.signing_event_id == event.pk:
        return project, False
    if project.signing_event_id is not None:
        raise ValidationError(
            {
                "signing_event": _(
                    "This project already signed at %(event)s; it counts there only, under its first signing."
                )
                % {"event": project.signing_event}
            },
            code="already_signed_at_event",
        )
    if project.signed_date is not None:
        if project.signed_date != event.date:
            raise ValidationError(
                {
                    "signing_event": _(
                        "This project already signed on %(date)s; a later re-signing does not count again."
                    )
                    % {"date": project.signed_date}
                },
                code="already_signed",
            )
        project.signing_event = event
        project.full_clean()
        project.save(update_fields=["signing_event", "updated_at"])
        events.emit(events.PROJECT_UPDATED, project, actor=by, fields=["signing_event"])
        return project, True
    project = project_transition(project, ProjectStage.SIGNED, by=by, on_date=event.date, note=note)
    project.signing_event = event
    project.full_clean()
    project.save(update_fields=["signing_event", "updated_at"])
    events.emit(events.PROJECT_UPDATED, project, actor=by, fields=["signing_event"])
    return project, True


# What an import compares an existing project with: the stage, its dates and the conference on record.
