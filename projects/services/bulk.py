"""What the Excel/CSV import writes for existing projects: edits checked row by row and written together."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinghu.bulk import update_rows
from pinghu.history import record_history

from ..choices import (
    PIPELINE,
    STAGE_DATE_FIELDS,
    TRANSITION_FIELDS,
    ProjectStage,
)
from ..models import (
    Project,
)
from .projects import (
    ASSIGNMENT_FIELDS,
    PROJECT_BATCH_CLEAN,
    project_check_assignment,
    project_create,
    signing_event_sign_project,
)
from .transitions import _stage_label, _transition_refused, project_allowed_transitions, project_transition

User = AbstractBaseUser


PROJECT_RECORDED_FIELDS = [*TRANSITION_FIELDS, "signing_event_id", *ASSIGNMENT_FIELDS.values()]


def project_import_save(
    *, project: Project, recorded: dict | None, by: User | None, batch: list[Project] | None = None
) -> Project:
    """Save a project read from an import file, by the rules the pages and the admin follow.

    A new project goes through ``project_create`` (one given as on hold or dropped is created at the
    last stage it has a date for, then put on hold or dropped today: the file has no date for that).
    For an existing one, ``recorded`` holds its ``PROJECT_RECORDED_FIELDS`` as read before the file
    was applied. As in the admin, a stage's date already on record and the conference change only
    through a stage change: a different date is refused, and so is a different chain or responsible
    official unless ``by`` may assign projects (``project_check_assignment``); a conference is added through
    ``signing_event_sign_project``. A different stage is a move through ``project_transition`` on
    the target stage's date from the file (today for on hold, dropped or a resume) after the other
    fields are saved, so the stage history and the statistics stay right; a move the pipeline does
    not allow (backwards, say) is refused with the transition's message. An existing project whose
    stage and conference stay as they are is only validated and, given a ``batch``, appended to it
    for ``project_update_many``.

    Only what writes runs in a transaction (a savepoint inside the import's): a row that is only
    checked costs no statement, so an import of edited rows costs the same few queries however
    many rows it has.
    """
    target = project.stage
    dates = {stage: getattr(project, field) for stage, field in STAGE_DATE_FIELDS.items()}
    if project.pk is None:
        with transaction.atomic():
            if target not in (ProjectStage.ON_HOLD, ProjectStage.DROPPED):
                return project_create(project=project, by=by)
            project.stage = next(
                (stage for stage in reversed(PIPELINE) if dates.get(stage) is not None), ProjectStage.LEAD
            )
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
    project_check_assignment(
        changed=[name for name, column in ASSIGNMENT_FIELDS.items() if getattr(project, column) != recorded[column]],
        by=by,
    )
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
    with transaction.atomic():
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
    ``fields`` (with the search key when the name is one) and the update time are written, one
    statement per batch (``update_rows``: the rollup and data-version triggers fire once a batch),
    then one history row each naming ``by`` and ``reason``.
    """
    if not projects:
        return
    now = timezone.now()
    for project in projects:
        project.updated_at = now
    update_rows(Project, projects, [*fields, "updated_at"])
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
