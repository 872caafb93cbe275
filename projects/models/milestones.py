"""Approval milestones of a project (审批节点): the government steps between signing and production.

Project code issued (赋码) → filing or approval (备案/核准) → land supplied (供地) → construction permit
(施工许可) → construction start (开工, ``construction_date``) → production (投产, ``production_date``) →
design capacity reached (达产). Each milestone is optional; a date set is never before any earlier date of
this chain that is set (checked in the database and, naming both fields, by ``milestone_errors``). The
chain starts at the project code, not at signing: a firm may hold its code, or even its filing, before the
contract is signed (a capital increase, land already held), and such a project is not refused.

The milestones are not stages: the stage machine (``projects.services.transitions``) keeps its rules, and
setting a milestone never moves a stage. They are edited with the project's own fields (``project_update``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from pinghu.plausibility import EARLIEST_DATE, date_errors

from ..choices import ApprovalKind
from ..validators import normalize_project_code, validate_project_code

# The milestone dates a project owns (the stage dates construction_date and production_date are in pipeline.py).
MILESTONE_DATE_FIELDS = [
    "code_date",
    "approval_date",
    "land_supplied_date",
    "construction_permit_date",
    "capacity_date",
]
# The order the dates follow: each on or after every earlier one that is set.
MILESTONE_ORDER = [
    "code_date",
    "approval_date",
    "land_supplied_date",
    "construction_permit_date",
    "construction_date",
    "production_date",
    "capacity_date",
]
# All fields of the milestones, as the admin, the form, the API and the file columns list them.
MILESTONE_FIELDS = [
    "project_code",
    "code_date",
    "approval_kind",
    "approval_date",
    "land_supplied_date",
    "construction_permit_date",
    "capacity_date",
]
# Pairs whose order pipeline.py already checks.
_CHECKED_ELSEWHERE = {("production_date", "construction_date")}


class ProjectMilestones(models.Model):
    """The milestone fields, inherited by ``Project``."""

    project_code = models.CharField(
        _("project code"),
        max_length=24,
        blank=True,
        validators=[validate_project_code],
        help_text=_("The fixed-asset investment project code (项目代码), e.g. 2104-330482-04-01-123456."),
    )
    code_date = models.DateField(_("project code date"), null=True, blank=True)
    approval_kind = models.CharField(_("filing or approval"), max_length=16, choices=ApprovalKind.choices, blank=True)
    approval_date = models.DateField(_("filing or approval date"), null=True, blank=True)
    land_supplied_date = models.DateField(_("land supplied date"), null=True, blank=True)
    construction_permit_date = models.DateField(_("construction permit date"), null=True, blank=True)
    capacity_date = models.DateField(_("design capacity date"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        """The project code as typed with spaces or full-width hyphens is stored in its plain form."""
        self.project_code = normalize_project_code(self.project_code)
        super().clean_fields(exclude=exclude)


def _label(field: str):
    """The verbose name of a project field (imported late: the model is defined after this module)."""
    from .pipeline import Project

    return Project._meta.get_field(field).verbose_name


def _order_pairs() -> list[tuple[str, str]]:
    return [
        (field, earlier)
        for position, field in enumerate(MILESTONE_ORDER)
        for earlier in MILESTONE_ORDER[:position]
        if (field, earlier) not in _CHECKED_ELSEWHERE
    ]


# The verbose names of the fields, for the constraints' messages (the model is not built yet when they are).
_LABELS = {
    "code_date": _("project code date"),
    "approval_date": _("filing or approval date"),
    "land_supplied_date": _("land supplied date"),
    "construction_permit_date": _("construction permit date"),
    "construction_date": _("construction start date"),
    "production_date": _("production start date"),
    "capacity_date": _("design capacity date"),
}


def milestone_constraints() -> list[models.BaseConstraint]:
    """The database's checks of the milestones, for ``Project.Meta.constraints``."""
    return [
        *[
            models.CheckConstraint(
                condition=Q(**{f"{field}__isnull": True})
                | Q(**{f"{earlier}__isnull": True})
                | Q(**{f"{field}__gte": F(earlier)}),
                name=f"projects_project_{field.removesuffix('_date')}_after_{earlier.removesuffix('_date')}",
                violation_error_message=capfirst(
                    format_lazy(
                        _("{field} cannot be before {earlier}."), field=_LABELS[field], earlier=_LABELS[earlier]
                    )
                ),
            )
            for field, earlier in _order_pairs()
        ],
        *[
            models.CheckConstraint(
                condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": EARLIEST_DATE}),
                name=f"projects_project_{field}_from_2000",
                violation_error_message=_("Dates before 2000-01-01 are not accepted."),
            )
            for field in MILESTONE_DATE_FIELDS
        ],
        models.CheckConstraint(
            condition=Q(code_date__isnull=True) | ~Q(project_code=""),
            name="projects_project_code_date_needs_code",
            violation_error_message=_("A project code date needs the project code."),
        ),
        models.CheckConstraint(
            condition=Q(approval_date__isnull=True) | ~Q(approval_kind=""),
            name="projects_project_approval_date_needs_kind",
            violation_error_message=_("A filing or approval date needs to say whether it is a filing or an approval."),
        ),
        models.CheckConstraint(
            condition=Q(approval_kind__in=[*ApprovalKind.values, ""]),
            name="projects_project_approval_kind_valid",
            violation_error_message=_("Unknown kind of filing or approval."),
        ),
        models.CheckConstraint(
            condition=Q(capacity_date__isnull=True) | Q(production_date__isnull=False),
            name="projects_project_capacity_needs_production",
            violation_error_message=_("A design capacity date needs the production start date."),
        ),
    ]


def milestone_errors(project, errors: dict[str, ValidationError]) -> dict[str, ValidationError]:
    """The milestones' errors for ``Project.clean``, each naming the fields and the rule (``errors``: those found)."""
    found: dict[str, ValidationError] = dict(date_errors(project, MILESTONE_DATE_FIELDS))
    today = timezone.localdate()
    for field in MILESTONE_DATE_FIELDS:
        value = getattr(project, field)
        if value is not None and value > today and field not in found:
            found[field] = ValidationError(
                _("%(field)s cannot be in the future."), code="future_date", params={"field": _label(field)}
            )
    for position, field in enumerate(MILESTONE_ORDER[1:], start=1):
        value = getattr(project, field)
        if value is None or field in errors or field in found:
            continue
        for earlier in reversed(MILESTONE_ORDER[:position]):
            earlier_value = getattr(project, earlier)
            if earlier_value is not None and value < earlier_value and (field, earlier) not in _CHECKED_ELSEWHERE:
                found[field] = ValidationError(
                    _("%(field)s (%(value)s) cannot be before %(earlier)s (%(earlier_value)s)."),
                    code="date_order",
                    params={
                        "field": _label(field),
                        "value": value,
                        "earlier": _label(earlier),
                        "earlier_value": earlier_value,
                    },
                )
                break
    if project.code_date is not None and not project.project_code and "project_code" not in errors:
        found["project_code"] = ValidationError(
            _("%(field)s is set: enter the project code it was issued with."),
            code="code_date_needs_code",
            params={"field": _label("code_date")},
        )
    if project.approval_date is not None and not project.approval_kind:
        found["approval_kind"] = ValidationError(
            _("%(field)s is set: say whether it was a filing (备案) or an approval (核准)."),
            code="approval_date_needs_kind",
            params={"field": _label("approval_date")},
        )
    if project.capacity_date is not None and project.production_date is None and "capacity_date" not in found:
        found["capacity_date"] = ValidationError(
            _("%(field)s needs %(earlier)s: a project reaches its design capacity after it starts production."),
            code="capacity_needs_production",
            params={"field": _label("capacity_date"), "earlier": _label("production_date")},
        )
    return {key: value for key, value in found.items() if key not in errors}
