"""A stage move as a person asks it on a page or the board: the move, and the signing at a conference it passes."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import PIPELINE, ProjectStage
from ..models import Project, SigningEvent
from .projects import signing_event_sign_project
from .transitions import project_transition

User = AbstractBaseUser


@transaction.atomic
def project_move(
    *,
    project: Project,
    to_stage: str,
    by: User | None,
    on_date: datetime.date,
    stage_dates: dict[str, datetime.date] | None = None,
    signing_event: SigningEvent | None = None,
    note: str = "",
    expected_version: str | None = None,
) -> Project:
    """Move ``project`` to ``to_stage`` (``project_transition``) and, if given, sign it at ``signing_event``.

    The conference is for a move that passes 签约 from before it; its date must be the signed date
    (``stage_dates`` or ``on_date`` for a move to 签约), else the move is refused. One transaction:
    a refused signing leaves the stage where it was. ``expected_version`` as ``project_transition``.
    """
    if signing_event is not None:
        signed = (stage_dates or {}).get(ProjectStage.SIGNED)
        if to_stage == ProjectStage.SIGNED:
            signed = on_date
        passes = (
            project.stage in PIPELINE
            and to_stage in PIPELINE
            and PIPELINE.index(project.stage) < PIPELINE.index(ProjectStage.SIGNED) <= PIPELINE.index(to_stage)
        )
        if not passes:
            raise ValidationError(
                {"signing_event": _("Signing conference: only a move that passes signing can name one.")},
                code="event_without_signing",
            )
        if signed != signing_event.date:
            raise ValidationError(
                {
                    "signing_event": _(
                        "Signing conference: %(event)s was held on %(date)s; the signed date must be that day."
                    )
                    % {"event": signing_event.name, "date": signing_event.date}
                },
                code="event_date",
            )
    moved = project_transition(
        project,
        to_stage,
        by=by,
        on_date=on_date,
        note=note,
        stage_dates=stage_dates,
        expected_version=expected_version,
    )
    if signing_event is not None:
        moved, _changed = signing_event_sign_project(event=signing_event, project=moved, by=by)
    return moved
