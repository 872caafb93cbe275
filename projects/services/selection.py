"""Actions on a selection of projects (the project list's bulk actions): all rows or none.

Each action calls the single-project service for every row (``project_update``, ``signing_event_sign_project``,
``project_transition``) in one transaction, so the rules, the history and the events are those of one project
at a time. A row the service refuses is noted with its reasons and the others go on, so the answer names every
row that failed; then, if any did, the whole transaction is rolled back (``SelectionRefused``): nothing changes.
"""

import datetime
from collections.abc import Callable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pinghu.history import attributed_to

from ..choices import ProjectStage
from ..models import Project, SigningEvent
from .projects import project_check_assignment, project_update, signing_event_sign_project
from .transitions import project_transition

User = AbstractBaseUser

# The most projects one action takes (a page of the list holds 50).
SELECTION_LIMIT = 200


class SelectionRefused(ValidationError):
    """Some rows of a selection were refused; ``failures`` lists (project, reasons) and nothing was written."""

    def __init__(self, failures: list[tuple[Project, list[str]]]):
        self.failures = failures
        super().__init__(
            [
                _("%(project)s: %(reasons)s") % {"project": project.name, "reasons": " ".join(reasons)}
                for project, reasons in failures
            ],
            code="selection_refused",
        )


def _each(projects: Sequence[Project], action: Callable[[Project], object], *, by: User | None, reason: str) -> int:
    """Run ``action`` on every project under one savepoint each; refuse the lot if any row failed."""
    if not projects:
        raise ValidationError(_("Select at least one project."), code="empty_selection")
    if len(projects) > SELECTION_LIMIT:
        raise ValidationError(
            _("Select at most %(limit)d projects at a time.") % {"limit": SELECTION_LIMIT}, code="selection_too_large"
        )
    failures: list[tuple[Project, list[str]]] = []
    with attributed_to(by, reason):
        for project in projects:
            try:
                with transaction.atomic():
                    action(project)
            except ValidationError as error:
                failures.append((project, error.messages))
    if failures:
        raise SelectionRefused(failures)
    return len(projects)


@transaction.atomic
def project_bulk_assign(*, projects: Sequence[Project], data: dict, by: User | None) -> int:
    """Give every project of the selection the same responsible official and/or unit (``data``); returns the count.

    ``data`` names ``responsible_official`` and/or ``responsible_unit``. Changing the official needs
    ``projects.assign_project`` (``project_check_assignment``), checked once for the whole selection.
    """
    fields = {name: value for name, value in data.items() if name in ("responsible_official", "responsible_unit")}
    if not fields:
        raise ValidationError(_("Choose a responsible official or a responsible unit."), code="nothing_to_assign")
    project_check_assignment(changed=[name for name in fields if name == "responsible_official"], by=by)
    return _each(
        projects,
        lambda project: project_update(project=project, data=fields, expected_version=None, by=by),
        by=by,
        reason=_("Bulk action: assignment"),
    )


@transaction.atomic
def project_bulk_sign(*, projects: Sequence[Project], event: SigningEvent, by: User | None) -> int:
    """Sign every project of the selection at ``event`` (``signing_event_sign_project``); returns the count."""
    return _each(
        projects,
        lambda project: signing_event_sign_project(event=event, project=project, by=by),
        by=by,
        reason=_("Bulk action: signing conference"),
    )


@transaction.atomic
def project_bulk_hold(*, projects: Sequence[Project], reason: str, on_date: datetime.date, by: User | None) -> int:
    """Put every project of the selection on hold on ``on_date``, ``reason`` as the stage change's note."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for putting the projects on hold.")}, code="required")
    return _each(
        projects,
        lambda project: project_transition(project, ProjectStage.ON_HOLD, by=by, on_date=on_date, note=reason),
        by=by,
        reason=_("Bulk action: on hold"),
    )
