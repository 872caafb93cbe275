"""The service of established firms: salons (亲清夜沙龙), problems (诉求), cadres, land renewal (腾笼换鸟).

A problem moves forward only (``aftercare.services.issue_advance``, one ``IssueStep`` a move); the database ties
its status to its dates. Moved from ``projects`` by ``aftercare.0001``: constraint and index names keep ``projects_``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chains.models import Enterprise, Leader
from pinghu.models import TimeStampedModel
from pinghu.search import SearchSpec
from projects.expressions import DatabaseTomorrow
from projects.models import InvestmentVisit
from units.fields import unit_foreign_key, unit_text_field

from .choices import (
    OPEN_ISSUE_STATUSES,
    RESOLVED_ISSUE_STATUSES,
    IssueCategory,
    IssueChannel,
    IssueStatus,
    Satisfaction,
)


class SalonEvent(TimeStampedModel):
    """An evening salon (亲清夜沙龙): a leader meets firms and collects their problems."""

    date = models.DateField(_("date"))
    host = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="salons", verbose_name=_("host leader"))
    place = models.CharField(_("place"), max_length=128, blank=True)
    enterprises = models.ManyToManyField(
        Enterprise, related_name="salons", blank=True, verbose_name=_("enterprises attending")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(m2m_fields=[enterprises])
    search_spec = SearchSpec(text=("place", "notes"), related=("host",))

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("evening salon")
        verbose_name_plural = _("evening salons")
        constraints = [
            models.CheckConstraint(
                condition=Q(date__lte=DatabaseTomorrow()),
                name="projects_salon_not_in_future",
                violation_error_message=_("A salon cannot be dated in the future."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.host}" if self.host_id else f"{self.date:%Y-%m-%d}"

    def clean(self) -> None:
        # The constraint is the database's backstop; here the message names the field.
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A salon cannot be dated in the future.")}, code="future_date")


def overdue_condition(today: datetime.date) -> Q:
    """The one definition of an overdue problem: still open (received or assigned) and past its due date."""
    return Q(status__in=OPEN_ISSUE_STATUSES, due_date__lt=today)


def _set_exactly_when(field: str, statuses: list[str]) -> Q:
    """``field`` is filled exactly when the status is one of ``statuses``."""
    return (Q(status__in=statuses) & Q(**{f"{field}__isnull": False})) | (
        ~Q(status__in=statuses) & Q(**{f"{field}__isnull": True})
    )


def _not_before(field: str, earlier: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{earlier}__isnull": True}) | Q(**{f"{field}__gte": F(earlier)})


class EnterpriseIssue(TimeStampedModel):
    """A problem (诉求) a firm raised, followed until it is resolved and closed, or rejected with a reason."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="issues", verbose_name=_("enterprise")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=IssueChannel.choices)
    salon = models.ForeignKey(
        SalonEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("salon"),
        help_text=_("The salon it was raised at (channel: evening salon)."),
    )
    visit = models.ForeignKey(
        InvestmentVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("visit"),
        help_text=_("The investment visit it was raised on (channel: investment visit)."),
    )
    category = models.CharField(_("category"), max_length=16, choices=IssueCategory.choices)
    description = models.TextField(_("description"))
    assigned_unit = unit_foreign_key(
        _("assigned unit"), "assigned_issues", help_text=_("The unit the problem was handed to (流转交办).")
    )
    assigned_unit_text = unit_text_field(_("assigned unit as written"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.RECEIVED, editable=False
    )
    received_on = models.DateField(_("received on"))
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True, editable=False)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True, editable=False)
    rejection_reason = models.TextField(_("rejection reason"), blank=True, editable=False)
    resolution_note = models.TextField(_("resolution note"), blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_issues",
        verbose_name=_("recorded by"),
        editable=False,
    )

    history = HistoricalRecords()
    search_spec = SearchSpec(text=("description",), chars=True, related=("enterprise",))

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("enterprise problem")
        verbose_name_plural = _("enterprise problems")
        indexes = [
            models.Index(fields=["received_on"], name="projects_issue_received_idx"),
            models.Index(fields=["status", "due_date"], name="projects_issue_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=IssueChannel.values)
                & Q(category__in=IssueCategory.values)
                & Q(status__in=IssueStatus.values),
                name="projects_issue_choices_valid",
                violation_error_message=_("Unknown channel, category or status."),
            ),
            models.CheckConstraint(
                condition=Q(salon__isnull=True) | Q(channel=IssueChannel.SALON),
                name="projects_issue_salon_channel",
                violation_error_message=_("A problem raised at a salon has the channel 'evening salon'."),
            ),
            models.CheckConstraint(
                condition=Q(visit__isnull=True) | Q(channel=IssueChannel.INVESTMENT_VISIT),
                name="projects_issue_visit_channel",
                violation_error_message=_("A problem raised on a visit has the channel 'investment visit'."),
            ),
            models.CheckConstraint(
                condition=Q(received_on__lte=DatabaseTomorrow()),
                name="projects_issue_not_in_future",
                violation_error_message=_("A problem cannot be received in the future."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("received_on")),
                name="projects_issue_due_after_received",
                violation_error_message=_("The due date cannot be before the date received."),
            ),
            models.CheckConstraint(
                condition=Q(assigned_on__isnull=True) | ~Q(status=IssueStatus.RECEIVED),
                name="projects_issue_assigned_date_status",
                violation_error_message=_("A problem only received has no assignment date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=IssueStatus.ASSIGNED)
                | (Q(assigned_on__isnull=False) & (Q(assigned_unit__isnull=False) | ~Q(assigned_unit_text=""))),
                name="projects_issue_assigned_needs_unit",
                violation_error_message=_("An assigned problem needs the unit and the date it was assigned."),
            ),
            models.CheckConstraint(
                condition=_set_exactly_when("resolved_on", RESOLVED_ISSUE_STATUSES),
                name="projects_issue_resolved_date_status",
                violation_error_message=_("A resolved or closed problem, and only one, has a resolution date."),
            ),
            models.CheckConstraint(
                condition=_set_exactly_when("closed_on", [IssueStatus.CLOSED]),
                name="projects_issue_closed_date_status",
                violation_error_message=_("A closed problem, and only one, has a closing date."),
            ),
            models.CheckConstraint(
                condition=_set_exactly_when("rejected_on", [IssueStatus.REJECTED])
                & (~Q(status=IssueStatus.REJECTED) | ~Q(rejection_reason="")),
                name="projects_issue_rejected_date_reason",
                violation_error_message=_("A rejected problem, and only one, has a rejection date and a reason."),
            ),
            models.CheckConstraint(
                condition=_not_before("assigned_on", "received_on")
                & _not_before("resolved_on", "received_on")
                & _not_before("resolved_on", "assigned_on")
                & _not_before("closed_on", "resolved_on")
                & _not_before("rejected_on", "received_on")
                & _not_before("rejected_on", "assigned_on"),
                name="projects_issue_dates_in_order",
                violation_error_message=_("The steps of a problem must be dated in order."),
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | (Q(satisfaction__in=Satisfaction.values) & Q(status__in=RESOLVED_ISSUE_STATUSES)),
                name="projects_issue_satisfaction",
                violation_error_message=_("Satisfaction is a score from 1 to 5, given once the problem is resolved."),
            ),
        ]

    def __str__(self) -> str:
        summary = self.description[:30]
        return f"{self.enterprise} · {summary}" if self.enterprise_id else summary

    def clean(self) -> None:
        """The constraints' rules on the fields a form or the API sets, each reported on its field."""
        errors = {}
        if self.received_on and self.received_on > timezone.localdate():
            errors["received_on"] = _("A problem cannot be received in the future.")
        if self.received_on and self.due_date and self.due_date < self.received_on:
            errors["due_date"] = _("The due date cannot be before the date received.")
        if self.salon_id and self.channel != IssueChannel.SALON:
            errors["salon"] = _("A problem raised at a salon has the channel 'evening salon'.")
        if self.visit_id and self.channel != IssueChannel.INVESTMENT_VISIT:
            errors["visit"] = _("A problem raised on a visit has the channel 'investment visit'.")
        if errors:
            raise ValidationError(errors)


class IssueStep(TimeStampedModel):
    """One move of a problem (the first one, from nothing to received, included)."""

    issue = models.ForeignKey(
        EnterpriseIssue, on_delete=models.CASCADE, related_name="steps", verbose_name=_("enterprise problem")
    )
    from_status = models.CharField(_("from status"), max_length=16, choices=IssueStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=IssueStatus.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["issue", "on", "pk"]
        verbose_name = _("problem step")
        verbose_name_plural = _("problem steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=IssueStatus.values) & Q(from_status__in=[*IssueStatus.values, ""]),
                name="projects_issuestep_statuses_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="projects_issuestep_moves",
                violation_error_message=_("A step must change the status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id}: {self.from_status or '∅'} → {self.to_status}"


class CadreAssignmentQuerySet(models.QuerySet):
    def current(self) -> "CadreAssignmentQuerySet":
        """Assignments that have not ended."""
        return self.filter(end_date__isnull=True)

    def of_user(self, user) -> "CadreAssignmentQuerySet":
        """Assignments of this account, directly or through its ``Leader``."""
        return self.filter(Q(cadre_user_id=user.pk) | Q(cadre_leader__user_id=user.pk))


class CadreAssignment(TimeStampedModel):
    """A cadre assigned to help one firm (千名干部助千企); a firm has at most one current cadre."""

    cadre_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre_assignments",
        verbose_name=_("cadre (account)"),
    )
    cadre_leader = models.ForeignKey(
        Leader,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre_assignments",
        verbose_name=_("cadre (leader)"),
        help_text=_("Give the cadre's account or leader record, not both."),
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="cadre_assignments", verbose_name=_("enterprise")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave empty while current."))

    objects = CadreAssignmentQuerySet.as_manager()
    history = HistoricalRecords()
    search_spec = SearchSpec(related=("enterprise", "cadre_leader"))

    class Meta:
        ordering = ["enterprise", "-start_date"]
        verbose_name = _("cadre assignment")
        verbose_name_plural = _("cadre assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(cadre_user__isnull=False) & Q(cadre_leader__isnull=True))
                | (Q(cadre_user__isnull=True) & Q(cadre_leader__isnull=False)),
                name="projects_cadre_user_or_leader",
                violation_error_message=_("Give the cadre's account or leader record, exactly one of them."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="projects_cadre_end_after_start",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(end_date__isnull=True),
                name="projects_cadre_one_current_per_firm",
                violation_error_message=_("This firm already has a current cadre; end that assignment first."),
            ),
        ]

    def __str__(self) -> str:
        cadre = self.cadre_leader or self.cadre_user
        return f"{self.enterprise} · {cadre}" if self.enterprise_id else str(cadre)

    @property
    def cadre(self):
        return self.cadre_leader or self.cadre_user


class LandRenewal(TimeStampedModel):
    """腾笼换鸟: land of a low-efficiency firm (a C or D grade) taken over by a replacement project."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="land_renewals",
        verbose_name=_("firm giving up land"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="land_renewals",
        verbose_name=_("replacement project"),
    )
    land_area = models.DecimalField(
        _("land (mu)"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("Land taken over, in 亩.")
    )
    note = models.TextField(_("note"), blank=True)
    # The parcel the firm gave up, if registered (its renewals: parcel.landrenewal_set).
    parcel = models.ForeignKey("projects.LandParcel", models.PROTECT, null=True, blank=True, verbose_name=_("parcel"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("land renewal (腾笼换鸟)")
        verbose_name_plural = _("land renewals (腾笼换鸟)")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "project"],
                name="projects_landrenewal_unique",
                violation_error_message=_("This firm's land is already linked to this project."),
            ),
            models.CheckConstraint(
                condition=Q(land_area__isnull=True) | Q(land_area__gt=0),
                name="projects_landrenewal_land_positive",
                violation_error_message=_("The land taken over must be more than zero mu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.project}" if self.enterprise_id and self.project_id else ""
