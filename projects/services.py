"""Writes of the projects app that span models: the one place each rule lives.

Admin, UI and API call these functions; none of them writes a stage, a visit with its links or
a conference signing by other means.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chains.models import Chain, Enterprise, Leader
from pinghu.history import deletion_batch, record_history

from .choices import (
    PIPELINE,
    STAGE_DATE_FIELDS,
    TRANSITION_FIELDS,
    ProjectSource,
    ProjectStage,
)
from .models import (
    InvestmentVisit,
    Project,
    ProjectStageChange,
    SigningEvent,
    VisitLeader,
)

User = AbstractBaseUser


def _stage_label(stage: str) -> str:
    return str(ProjectStage(stage).label)


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
# the investor and the conference, so the ~25 queries per row full_clean() would add are left out.
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
def project_create(*, project: Project, by: User | None, note: str = "") -> Project:
    """Validate and save a new project entered by ``by``; write its first stage change (from nothing to its stage)."""
    project_prepare_new(project, by=by)
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
    return project


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
) -> Project:
    """Move a project to ``to_stage`` on ``on_date`` and record the change.

    Allowed: forward one or more steps (every dated stage passed needs its date: ``on_date``
    for the target, ``stage_dates`` or the date already on the project for the others; a move
    past ``signed`` without a signed date is refused); to ``on_hold`` or ``dropped`` from any
    open stage; from ``on_hold`` back to the stage it was held from. Everything is written in
    one transaction with the project row locked, or nothing is.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
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
    return project


def visit_prepare_new(visit: InvestmentVisit, *, leaders: list[Leader], by: User | None) -> None:
    """The rules of a new visit before validation: at least one leader; recorded by ``by`` unless said otherwise."""
    if not leaders:
        raise ValidationError({"leaders": _("A visit needs at least one leader.")}, code="required")
    visit.recorded_by = by if visit.recorded_by_id is None else visit.recorded_by


# Checked by the import before a batch is written: its lookups found the enterprise, and the
# recording user is the importing one, so full_clean() need not query for them.
VISIT_BATCH_CLEAN = {"exclude": ["enterprise", "recorded_by"]}


@transaction.atomic
def visit_create_many(
    visits: list[tuple[InvestmentVisit, list[Leader], list[Chain]]], *, by: User | None, reason: str = ""
) -> list[InvestmentVisit]:
    """``visit_create`` for a batch (an import): each visit with its leaders and chains, written set-based.

    Each visit must have been through ``visit_prepare_new`` and ``full_clean(**VISIT_BATCH_CLEAN)``.
    The visits, their leader and chain links and one history row each (with the links, as the
    signal path keeps them) are inserted in a few statements; the history rows name ``by`` and
    ``reason``. The database's triggers count the person-times and the rollups as usual.
    """
    if not visits:
        return []
    rows = [visit for visit, _leaders, _chains in visits]
    InvestmentVisit.objects.bulk_create(rows, batch_size=1000)
    VisitLeader.objects.bulk_create(
        [VisitLeader(visit=visit, leader=leader) for visit, leaders, _chains in visits for leader in leaders],
        batch_size=1000,
    )
    chain_link = InvestmentVisit.chains.through
    chain_link.objects.bulk_create(
        [chain_link(investmentvisit=visit, chain=chain) for visit, _leaders, chains in visits for chain in chains],
        batch_size=1000,
    )
    for start in range(0, len(rows), 1000):
        ids = [visit.pk for visit in rows[start : start + 1000]]
        record_history(InvestmentVisit.objects.filter(pk__in=ids), history_type="+", reason=reason, user=by)
    return rows


@transaction.atomic
def visit_create(
    *,
    visit: InvestmentVisit,
    leaders: Iterable[Leader],
    by: User | None,
    chains: Iterable[Chain] = (),
    projects: Iterable[Project] = (),
    new_projects: Iterable[Project] = (),
    new_enterprise: Enterprise | None = None,
) -> InvestmentVisit:
    """Record a visit with its leaders, chains and linked projects, creating new leads in the same step.

    New projects come unsaved; each becomes a lead from this visit (source ``visit``, first
    contact on the visit date, the visited enterprise as investor unless another is given).
    An unsaved ``new_enterprise`` is saved first and becomes the visited enterprise.
    One transaction: a bad new project leaves no visit (and no new enterprise) behind.
    """
    leaders = list(leaders)
    visit_prepare_new(visit, leaders=leaders, by=by)
    if new_enterprise is not None:
        new_enterprise.full_clean()
        new_enterprise.save()
        visit.enterprise = new_enterprise
    visit.full_clean()
    visit.save()
    visit.leaders.set(leaders)
    visit.chains.set(list(chains))
    linked = list(projects)
    for position, project in enumerate(new_projects):
        project.source = ProjectSource.VISIT
        project.stage = ProjectStage.LEAD
        project.first_contact_date = project.first_contact_date or visit.date
        if project.investor_id is None:
            project.investor = visit.enterprise
        try:
            linked.append(project_create(project=project, by=by))
        except ValidationError as error:
            raise ValidationError({f"new_projects[{position}]": error.messages}, code="invalid") from error
    visit.projects.set(linked)
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: InvestmentVisit,
    leaders: Iterable[Leader],
    chains: Iterable[Chain],
    projects: Iterable[Project],
    new_enterprise: Enterprise | None = None,
) -> InvestmentVisit:
    """Save an edited visit and replace its leaders, chains and linked projects.

    An unsaved ``new_enterprise`` (a firm added in place) is saved and becomes the visited enterprise.
    """
    leaders = list(leaders)
    if not leaders:
        raise ValidationError({"leaders": _("A visit needs at least one leader.")}, code="required")
    if new_enterprise is not None:
        new_enterprise.full_clean()
        new_enterprise.save()
        visit.enterprise = new_enterprise
    visit.full_clean()
    visit.save()
    visit.leaders.set(leaders)
    visit.chains.set(list(chains))
    visit.projects.set(list(projects))
    return visit


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
        return project, True
    project = project_transition(project, ProjectStage.SIGNED, by=by, on_date=event.date, note=note)
    project.signing_event = event
    project.full_clean()
    project.save(update_fields=["signing_event", "updated_at"])
    return project, True


# What an import compares an existing project with: the stage, its dates and the conference on record.
PROJECT_RECORDED_FIELDS = [*TRANSITION_FIELDS, "signing_event_id"]


@transaction.atomic
def project_import_save(
    *, project: Project, recorded: dict | None, by: User | None, batch: list[Project] | None = None
) -> Project:
    """Save a project read from an import file, by the rules the pages and the admin follow.

    A new project goes through ``project_create`` (one given as on hold or dropped is created at the
    last stage it has a date for, then put on hold or dropped today: the file has no date for that).
    For an existing one, ``recorded`` holds its ``PROJECT_RECORDED_FIELDS`` as read before the file
    was applied. As in the admin, a stage's date already on record and the conference change only
    through a stage change: a different date is refused; a conference is added through
    ``signing_event_sign_project``. A different stage is a move through ``project_transition`` on
    the target stage's date from the file (today for on hold, dropped or a resume) after the other
    fields are saved, so the stage history and the statistics stay right; a move the pipeline does
    not allow (backwards, say) is refused with the transition's message. An existing project whose
    stage and conference stay as they are is only validated and, given a ``batch``, appended to it
    for ``project_update_many``.
    """
    target = project.stage
    dates = {stage: getattr(project, field) for stage, field in STAGE_DATE_FIELDS.items()}
    if project.pk is None:
        if target not in (ProjectStage.ON_HOLD, ProjectStage.DROPPED):
            return project_create(project=project, by=by)
        project.stage = next((stage for stage in reversed(PIPELINE) if dates.get(stage) is not None), ProjectStage.LEAD)
        project = project_create(project=project, by=by)
        return _import_transition(project, target, dates, by=by)

    errors = {
        field: ValidationError(
            _("%(field)s is on record as %(date)s; a stage's date changes only with a stage change."),
            code="stage_date_on_record",
            params={"field": Project._meta.get_field(field).verbose_name, "date": recorded[field]},
        )
        for field in STAGE_DATE_FIELDS.values()
        if recorded[field] is not None and getattr(project, field) != recorded[field]
    }
    event = project.signing_event if project.signing_event_id != recorded["signing_event_id"] else None
    if project.signing_event_id is None and recorded["signing_event_id"] is not None:
        errors["signing_event"] = ValidationError(
            _("A project's conference cannot be removed: it counts there, under its first signing."),
            code="event_removed",
        )
    if errors:
        raise ValidationError(errors)
    project.signing_event_id = recorded["signing_event_id"]  # added below, by the conference's rules
    original_stage = recorded["stage"]
    project.stage = original_stage
    if target != original_stage:
        if target not in project_allowed_transitions(project):
            raise _transition_refused(original_stage, target, key="stage")
        if original_stage in PIPELINE:
            for stage, field in STAGE_DATE_FIELDS.items():
                if PIPELINE.index(stage) > PIPELINE.index(original_stage):
                    setattr(project, field, None)  # set by the transition below, with its stage
    project.full_clean(**PROJECT_BATCH_CLEAN)
    if batch is not None and target == original_stage and event is None:
        batch.append(project)
        return project
    project.save()
    if target != original_stage:
        project = _import_transition(project, target, dates, by=by)
    if event is not None:
        project, _changed = signing_event_sign_project(event=event, project=project, by=by)
    return project


@transaction.atomic
def project_update_many(projects: list[Project], *, fields: list[str], by: User | None, reason: str = "") -> None:
    """Save edited projects whose stage and conference stay as they are (an import), set-based.

    Each must have passed ``project_import_save``'s checks (it appends them to its ``batch``). Only
    ``fields`` and the update time are written, then one history row each naming ``by`` and ``reason``.
    """
    if not projects:
        return
    now = timezone.now()
    for project in projects:
        # One short UPDATE a row: bulk_update()'s CASE expressions cost more to build than they save.
        project.updated_at = now
        Project.objects.filter(pk=project.pk).update(
            updated_at=now, **{field: getattr(project, field) for field in fields}
        )
    for start in range(0, len(projects), 1000):
        ids = [project.pk for project in projects[start : start + 1000]]
        record_history(Project.objects.filter(pk__in=ids), history_type="~", reason=reason, user=by)


def _import_transition(project: Project, target: str, dates: dict, *, by: User | None) -> Project:
    """Move an imported project to ``target`` on the file's date for it (today for a stage without one)."""
    on_date = dates.get(target)
    if on_date is None and target in STAGE_DATE_FIELDS:
        field = STAGE_DATE_FIELDS[target]
        raise ValidationError(
            {
                field: _("A project at stage %(stage)s needs %(field)s.")
                % {"stage": _stage_label(target), "field": Project._meta.get_field(field).verbose_name}
            },
            code="stage_needs_date",
        )
    try:
        return project_transition(
            project,
            target,
            by=by,
            on_date=on_date or timezone.localdate(),
            stage_dates={stage: value for stage, value in dates.items() if value is not None},
        )
    except ValidationError as error:
        # The transition names its own parameters (to_stage, date); the file's column is the stage.
        if hasattr(error, "error_dict"):
            error.error_dict = {
                ("stage" if key in ("to_stage", "date") else key): value for key, value in error.error_dict.items()
            }
        raise


@transaction.atomic
def project_delete(project: Project) -> None:
    """Delete a project with its stage history, follow-ups and visit links, as one restorable deletion."""
    with deletion_batch():
        project.delete()


@transaction.atomic
def visit_delete(visit: InvestmentVisit) -> None:
    """Delete a visit with its links, as one restorable deletion (its history keeps the links)."""
    with deletion_batch():
        visit.delete()
