"""Investment visits (周六招商日 and others): who went, where, which chains and projects they concern."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from chains.models import Chain, Enterprise, Leader
from pinghu.history import OneRecordHistoricalRecords
from pinghu.models import TimeStampedModel
from pinghu.plausibility import EARLIEST_DATE, date_errors
from pinghu.search import SearchSpec
from units.fields import unit_text_field

from ..expressions import DatabaseTomorrow, IsSaturday
from .pipeline import Project


class InvestmentVisit(TimeStampedModel):
    """An investment visit (招商走访); one dated on a Saturday is a 周六招商日 visit."""

    date = models.DateField(_("date"))
    is_saturday = models.GeneratedField(
        expression=IsSaturday("date"),
        output_field=models.BooleanField(),
        db_persist=True,
        db_index=True,
        verbose_name=_("Saturday investment day"),
    )
    leader_count = models.PositiveIntegerField(
        _("person-times"),
        default=0,
        db_default=0,
        editable=False,
        help_text=_("Number of leaders on the visit, kept by the database from the visit's leader rows."),
    )
    leaders = models.ManyToManyField(
        Leader,
        through="projects.VisitLeader",
        related_name="visits",
        verbose_name=_("leaders"),
        help_text=_("Every leader who took part; each counts as one person-time."),
    )
    host_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, null=True, related_name="hosted_visits", verbose_name=_("host unit")
    )
    host_unit_text = unit_text_field(_("host unit as written"))
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visited enterprise"),
    )
    destination_city = models.CharField(_("destination city"), max_length=64, blank=True)
    chains = models.ManyToManyField(Chain, related_name="visits", blank=True, verbose_name=_("chains concerned"))
    purpose = models.TextField(_("purpose"))
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    follow_up_date = models.DateField(_("follow-up due date"), null=True, blank=True)
    projects = models.ManyToManyField(
        Project, through="projects.VisitProject", related_name="visits", blank=True, verbose_name=_("linked projects")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_visits",
        verbose_name=_("recorded by"),
    )

    # history: registered below VisitProject, once the link models it snapshots exist.
    # Search (issue 20): what was said, and the firm visited (its names, pinyin and credit code).
    search_spec = SearchSpec(text=("purpose", "outcome"), chars=True, related=("enterprise",))

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("investment visit")
        verbose_name_plural = _("investment visits")
        indexes = [
            # The visits' order (newest first, then by key): the site's search stops after a few rows
            # of a firm matched by most visits instead of sorting the newest day's (hundreds at 200,000).
            # Covering on PostgreSQL (INCLUDE; SQLite ignores it): a period's visits per host unit (the
            # targets' actuals, stats_by_scope.visits_by) or of a cluster are an index-only scan.
            models.Index(
                fields=["date", "id"],
                include=["host_unit", "leader_count", "is_saturday"],
                name="projects_visit_date_id_idx",
            ),
            models.Index(fields=["updated_at"], name="projects_visit_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(host_unit__isnull=False) | ~Q(host_unit_text=""),
                name="projects_visit_host_unit_required",
                violation_error_message=_("Host unit: required."),
            ),
            # One constraint for both bounds: model validation asks the database once per constraint,
            # and the import validates every row.
            models.CheckConstraint(
                condition=Q(date__gte=EARLIEST_DATE, date__lte=DatabaseTomorrow()),
                name="projects_visit_date_plausible",
                violation_error_message=_("A visit is dated from 2000-01-01 up to today."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_date__isnull=True) | Q(follow_up_date__gte=F("date")),
                name="projects_visit_follow_up_after_date",
                violation_error_message=_("The follow-up due date cannot be before the visit date."),
            ),
        ]

    def __str__(self) -> str:
        date = f"{self.date:%Y-%m-%d}" if self.date else "—"
        return f"{date} · {self.enterprise}" if self.enterprise_id else date

    def save(self, *args, **kwargs) -> None:
        # leader_count belongs to the database (triggers on the leader rows keep it); an update of
        # the visit must never write back the number this instance happened to read.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and not field.generated and field.attname != "leader_count"
            ]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """A visit is dated from 2000-01-01 up to today (in Pinghu's time zone); its follow-up is due
        from 2000-01-01 and not before the visit.

        The follow-up rule is also the constraint ``projects_visit_follow_up_after_date``; said here
        first, the form shows it once, on the follow-up date (a field with an error is left out of the
        constraint checks that follow).
        """
        super().clean()
        errors = date_errors(self, ["date", "follow_up_date"])
        if self.date and self.date > timezone.localdate():
            errors["date"] = ValidationError(_("A visit cannot be dated in the future."), code="future_date")
        if self.date and self.follow_up_date and self.follow_up_date < self.date and "follow_up_date" not in errors:
            errors["follow_up_date"] = ValidationError(
                _("The follow-up due date cannot be before the visit date."), code="follow_up_before_visit"
            )
        if errors:
            raise ValidationError(errors)


class VisitLeader(TimeStampedModel):
    """A leader's participation in a visit: one row is one person-time (人次)."""

    visit = models.ForeignKey(
        InvestmentVisit, on_delete=models.CASCADE, related_name="leader_links", verbose_name=_("visit")
    )
    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="visit_links", verbose_name=_("leader"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit participant")
        verbose_name_plural = _("visit participants")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "leader"],
                name="projects_visitleader_unique",
                violation_error_message=_("This leader is already on this visit."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.leader}"


class VisitProject(TimeStampedModel):
    """A project engaged (对接) on a visit."""

    visit = models.ForeignKey(
        InvestmentVisit, on_delete=models.CASCADE, related_name="project_links", verbose_name=_("visit")
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="visit_links", verbose_name=_("project")
    )
    visit_date = models.DateField(
        _("visit date"),
        null=True,
        editable=False,
        help_text=_("The visit's date, copied by the database so that projects engaged are counted without a join."),
    )
    # Kept by the database (projects.triggers.previous_rows): with them, the projects engaged in a
    # period are the period's links that are their project's first in it, counted from one index
    # without a DISTINCT over the period's links.
    previous_date = models.DateField(
        _("previous visit date"),
        null=True,
        editable=False,
        help_text=_("The date of the project's link before this one (by visit date, then id), if any."),
    )
    previous_saturday_date = models.DateField(
        _("previous Saturday visit date"),
        null=True,
        editable=False,
        help_text=_("On a Saturday visit's link: the date of the project's Saturday link before this one, if any."),
    )
    project_chain = models.ForeignKey(
        Chain,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # read through the covering index of the period's rows
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("project's chain"),
        help_text=_("The project's chain, copied by the database so that projects engaged per chain need no join."),
    )

    history = HistoricalRecords(
        excluded_fields=["visit_date", "previous_date", "previous_saturday_date", "project_chain"]
    )

    class Meta:
        verbose_name = _("visit project")
        verbose_name_plural = _("visit projects")
        indexes = [
            # Covering on PostgreSQL: projects engaged (per chain, on Saturdays) are an index-only scan.
            models.Index(
                fields=["visit_date", "project"],
                include=["previous_date", "previous_saturday_date", "project_chain"],
                name="projects_visitproject_date",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "project"],
                name="projects_visitproject_unique",
                violation_error_message=_("This project is already linked to this visit."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.project}"


# The visit's history: each record also keeps its leaders, chains and projects as they were then,
# so an earlier version or a deleted visit can be restored whole (projects.restore).
# OneRecordHistoricalRecords: creating a visit writes one record of its final state (services.visit_create).
register_history(
    InvestmentVisit,
    records_class=OneRecordHistoricalRecords,
    excluded_fields=["leader_count", "is_saturday"],
    m2m_fields=["leaders", "chains", "projects"],
    verbose_name=_("investment visit version"),
    verbose_name_plural=_("investment visit versions"),
    # The link models keep their own history too: their snapshots need other names.
    custom_model_name=lambda name: f"HistoricalInvestmentVisit{'' if name == 'InvestmentVisit' else name}",
)
