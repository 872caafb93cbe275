"""Reminder rules (督办规则): one row per kind, with its thresholds and an enabled flag, edited by bureau staff.

The rows are written by a data migration with the defaults of issue 19 (``choices.DEFAULTS``); no one adds
or deletes them, bureau staff change them (the rules page and the admin), and every change is in the history.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel

from .choices import REQUIRED_FIELDS, RULE_FIELDS, RuleKind

# Bounds of the thresholds (days), held by the model's checks and the database's constraints alike.
DAYS_BEFORE_MAX = 30
OVERDUE_EVERY_MAX = 90
STALL_DAYS_MAX = 3650
THRESHOLD_FIELDS = [
    "days_before",
    "overdue_every",
    "lead_days",
    "negotiating_days",
    "signed_days",
    "registered_days",
    "contact_days",
]
BOUNDS = {
    "days_before": DAYS_BEFORE_MAX,
    "overdue_every": OVERDUE_EVERY_MAX,
    **{name: STALL_DAYS_MAX for name in THRESHOLD_FIELDS[2:]},
}


def _days(verbose_name, help_text) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True, help_text=help_text)


def _within_bounds() -> Q:
    condition = Q()
    for name, most in BOUNDS.items():
        condition &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": most})
    return condition


class ReminderRule(TimeStampedModel):
    """A rule of the daily scan (or of an immediate message): what it watches, whether it runs, its thresholds."""

    kind = models.CharField(_("rule"), max_length=32, choices=RuleKind.choices, unique=True, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True, help_text=_("A disabled rule writes no reminders."))
    days_before = _days(_("days before the due date"), _("Remind this many days ahead (1: the day before)."))
    on_due_date = models.BooleanField(_("remind on the due date"), default=False)
    overdue_every = _days(
        _("repeat overdue reminders every (days)"), _("Leave empty to remind once when the date has passed.")
    )
    lead_days = _days(_("lead: days without progress"), "")
    negotiating_days = _days(_("negotiating: days without progress"), "")
    signed_days = _days(_("signed, not registered: days without progress"), "")
    registered_days = _days(_("registered, not under construction: days without progress"), "")
    contact_days = _days(_("days without contact"), _("No visit, salon or problem of the firm for this many days."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RuleKind.values),
                name="reminders_rule_kind_valid",
                violation_error_message=_("Unknown reminder rule."),
            ),
            models.CheckConstraint(
                condition=_within_bounds(),
                name="reminders_rule_thresholds_in_range",
                violation_error_message=_(
                    "Thresholds: days before at most 30, repeat at most every 90 days, other days at most 3650; "
                    "each at least 1."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def fields(self) -> list[str]:
        """The threshold fields this rule's kind uses."""
        return RULE_FIELDS.get(self.kind, [])

    def thresholds(self) -> list[tuple[str, object]]:
        """(label, value) of each threshold the kind uses, for the rules page."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.fields]

    def clean(self) -> None:
        """Each threshold the kind needs is given and within its bounds, with the message on its field."""
        super().clean()
        errors = {}
        for name in REQUIRED_FIELDS.get(self.kind, []):
            if getattr(self, name) is None:
                errors[name] = ValidationError(_("This rule needs this number of days."), code="threshold_required")
        for name, most in BOUNDS.items():
            value = getattr(self, name)
            if value is not None and not 1 <= value <= most and name not in errors:
                errors[name] = ValidationError(
                    _("Give a number of days from 1 to %(most)d."), code="out_of_range", params={"most": most}
                )
        if errors:
            raise ValidationError(errors)
