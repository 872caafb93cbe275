"""Writes of the service of established firms: salons, problems and their steps, cadre assignments, land renewal.

Admin, pages and API call these functions for every create and update; a problem's status and its
dates change only through ``issue_advance``. An update takes the version its caller read
(``expected_version``, checked on the locked row by ``pinghu.concurrency.lock_for_update``; ``None``
skips the check, for internal callers). Investment activity (visits, projects) is written by
``projects.services``.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chains.models import Enterprise, Leader
from pinghu import events
from pinghu.concurrency import lock_for_update
from pinghu.services import model_update
from pinghu.text import join_list
from units.models import Unit

from .choices import ISSUE_DATE_FIELDS, ISSUE_MOVES, ISSUE_STEP_FIELDS, IssueStatus
from .models import CadreAssignment, EnterpriseIssue, IssueStep, LandRenewal, SalonEvent

User = AbstractBaseUser


@transaction.atomic
def salon_save(
    *, salon: SalonEvent, enterprises: Iterable[Enterprise] | None, expected_version: str | None = None
) -> SalonEvent:
    """Validate and save a new or edited salon and, if given, the firms attending, together (``None`` keeps them).

    An edited salon's row is locked and checked against ``expected_version`` first.
    """
    if salon.pk is not None:
        lock_for_update(SalonEvent, salon.pk, expected_version)
    salon.full_clean()
    salon.save()
    if enterprises is not None:
        salon.enterprises.set(list(enterprises))
    return salon


def _status_label(status: str) -> str:
    return str(IssueStatus(status).label)


@transaction.atomic
def issue_create(*, issue: EnterpriseIssue, by: User | None) -> EnterpriseIssue:
    """Record a new problem as received, with its first step."""
    if issue.pk is not None:
        raise ValueError("issue_create() takes an unsaved problem")
    issue.status = IssueStatus.RECEIVED
    issue.recorded_by = by if by is not None and by.pk is not None else None
    issue.full_clean()
    issue.save()
    IssueStep.objects.create(issue=issue, from_status="", to_status=IssueStatus.RECEIVED, on=issue.received_on, by=by)
    return issue


@transaction.atomic
def issue_update(*, issue: EnterpriseIssue, data: Mapping[str, Any], expected_version: str | None) -> EnterpriseIssue:
    """Change a problem's own fields (``data``: field name → value); returns the saved problem.

    Its status and what a step records with it (``ISSUE_STEP_FIELDS``) change only through
    ``issue_advance``: naming one is refused. The row is locked and checked against
    ``expected_version``; only the fields given are written, so a step taken meanwhile stays.
    """
    return model_update(
        EnterpriseIssue,
        issue.pk,
        data=data,
        expected_version=expected_version,
        step_fields=ISSUE_STEP_FIELDS,
        step_message=_("This changes only through a step of the problem."),
    )


def issue_allowed_moves(issue: EnterpriseIssue) -> list[str]:
    """The statuses a problem may move to next (forward only)."""
    return list(ISSUE_MOVES[IssueStatus(issue.status)])


@transaction.atomic
def issue_advance(
    issue: EnterpriseIssue,
    to_status: str,
    *,
    on: datetime.date,
    by: User | None,
    unit: Unit | None = None,
    due_date: datetime.date | None = None,
    note: str = "",
    satisfaction: int | None = None,
    expected_version: str | None = None,
) -> EnterpriseIssue:
    """Move a problem one step forward and record the step: the one rule admin, pages and API call.

    - assigned (流转交办) needs the unit (``unit``); a due date may be set;
    - resolved (办结) needs a resolution note (``note``);
    - closed may carry the firm's satisfaction (1–5);
    - rejected needs the reason (``note``).
    The date cannot be in the future nor before the problem's previous step. ``expected_version``
    is the version the caller showed the moves from (refused if the problem changed since);
    ``None`` skips the check.
    """
    issue = lock_for_update(EnterpriseIssue, issue.pk, expected_version)
    current = IssueStatus(issue.status)
    if to_status not in ISSUE_MOVES[current]:
        allowed = join_list(_status_label(status) for status in ISSUE_MOVES[current]) or _("none (final)")
        raise ValidationError(
            {
                "to_status": _("A problem %(current)s cannot become %(target)s; possible next steps: %(allowed)s.")
                % {"current": _status_label(current), "target": _status_label(to_status), "allowed": allowed}
            },
            code="invalid_move",
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("A step cannot be dated in the future.")}, code="future")
    previous = getattr(issue, ISSUE_DATE_FIELDS[current])
    if previous is not None and on < previous:
        raise ValidationError(
            {"on": _("This step cannot be dated before the previous one (%(date)s).") % {"date": previous}},
            code="before_previous",
        )
    target = IssueStatus(to_status)
    if target == IssueStatus.ASSIGNED:
        issue.assigned_unit = unit or issue.assigned_unit
        if issue.assigned_unit is None:
            raise ValidationError({"unit": _("Name the unit the problem is handed to.")}, code="required")
        if due_date is not None:
            issue.due_date = due_date
    elif target == IssueStatus.RESOLVED:
        if not note.strip():
            raise ValidationError({"note": _("Say how the problem was resolved.")}, code="required")
        issue.resolution_note = note.strip()
    elif target == IssueStatus.REJECTED:
        if not note.strip():
            raise ValidationError({"note": _("Give the reason for rejecting the problem.")}, code="required")
        issue.rejection_reason = note.strip()
    elif target == IssueStatus.CLOSED:
        issue.satisfaction = satisfaction
    setattr(issue, ISSUE_DATE_FIELDS[target], on)
    issue.status = target
    issue.full_clean()
    issue.save()
    # An assignment's step names the unit (the board lists steps, and units change hands).
    step_note = note.strip() or (issue.assigned_unit.name if target == IssueStatus.ASSIGNED else "")
    IssueStep.objects.create(issue=issue, from_status=current, to_status=target, on=on, by=by, note=step_note)
    events.emit(events.ISSUE_STATUS_CHANGED, issue, actor=by, **{"from": current.value, "to": target.value})
    return issue


@transaction.atomic
def cadre_assign(
    *,
    enterprise: Enterprise,
    start_date: datetime.date,
    cadre_user: User | None = None,
    cadre_leader: Leader | None = None,
    end_date: datetime.date | None = None,
) -> CadreAssignment:
    """Assign a cadre to a firm from ``start_date``, ending the firm's current assignment the day before.

    A new assignment starts open: an ``end_date`` is refused (it is set later, by
    ``cadre_assignment_update`` or by the next assignment); callers pass what they were given.
    """
    if end_date is not None:
        raise ValidationError({"end_date": _("A new assignment starts open; end it later.")}, code="starts_open")
    current = CadreAssignment.objects.select_for_update().current().filter(enterprise=enterprise).first()
    if current is not None:
        if start_date <= current.start_date:
            raise ValidationError(
                {
                    "start_date": _("The new cadre must start after the current one (%(date)s).")
                    % {"date": current.start_date}
                },
                code="overlap",
            )
        current.end_date = start_date - datetime.timedelta(days=1)
        current.full_clean()
        current.save()
    assignment = CadreAssignment(
        enterprise=enterprise, start_date=start_date, cadre_user=cadre_user, cadre_leader=cadre_leader
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def cadre_assignment_update(
    *, assignment: CadreAssignment, data: Mapping[str, Any], expected_version: str | None
) -> CadreAssignment:
    """Change an assignment's fields (``data``: field name → value), ending it say; returns the saved assignment.

    The row is locked and checked against ``expected_version``; the model's constraints (one
    current cadre per firm, an end not before the start) are validated before the write.
    """
    return model_update(CadreAssignment, assignment.pk, data=data, expected_version=expected_version)


@transaction.atomic
def land_renewal_save(*, renewal: LandRenewal, expected_version: str | None = None) -> LandRenewal:
    """Validate and save a new or edited land renewal (腾笼换鸟); an edited one is checked against its version."""
    if renewal.pk is not None:
        lock_for_update(LandRenewal, renewal.pk, expected_version)
    parcel = renewal.parcel if renewal.parcel_id else None
    if parcel is not None and parcel.origin_id not in (None, renewal.enterprise_id):
        # The parcel a firm gave up is the firm's: one recycled from another firm is not this renewal's.
        raise ValidationError(
            {"parcel": _("Parcel %(parcel)s was recycled from another firm.") % {"parcel": parcel.number}},
            code="parcel_of_another_firm",
        )
    renewal.full_clean()
    renewal.save()
    return renewal
