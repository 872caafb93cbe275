"""Investment activity: Saturday investment-day visits, the project pipeline, signing conferences."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from chains.choices import Town
from chains.models import Chain, Enterprise, Leader
from pinghu.models import TimeStampedModel

from ..choices import PIPELINE, STAGE_DATE_FIELDS, ProjectSource, ProjectStage
from ..expressions import DatabaseTomorrow, IsSaturday

# 万美元: a project with at least this much foreign investment is a major project.
MAJOR_FOREIGN_INVESTMENT = Decimal("10000")

# Amount fields of a project, all ≥ 0 (万元 unless the label says otherwise).
PROJECT_AMOUNT_FIELDS = [
    "total_investment",
    "foreign_investment",
    "registered_capital",
    "land_area",
    "expected_output",
    "expected_tax",
]
# The dates of a project in the order the pipeline reaches them.
PROJECT_DATE_ORDER = ["first_contact_date", "signed_date", "registered_date", "construction_date", "production_date"]


def _amount_field(verbose_name, *, null=True, help_text="") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=null,
        blank=null,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
    )


def _not_before_earlier_dates(field: str) -> Q:
    """``field`` is empty or on/after every earlier pipeline date that is set."""
    condition = Q()
    for earlier in PROJECT_DATE_ORDER[: PROJECT_DATE_ORDER.index(field)]:
        condition &= (
            Q(**{f"{field}__isnull": True}) | Q(**{f"{earlier}__isnull": True}) | Q(**{f"{field}__gte": F(earlier)})
        )
    return condition


class SigningEvent(TimeStampedModel):
    """A signing conference (签约大会). Its projects and totals are derived from the projects, never typed in."""

    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("signing conference")
        verbose_name_plural = _("signing conferences")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "date"],
                name="projects_signingevent_unique_name_date",
                violation_error_message=_("A signing conference with this name and date already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.date:%Y-%m-%d}）"


class ProjectQuerySet(models.QuerySet):
    def with_major(self) -> "ProjectQuerySet":
        """Annotate ``major``: the one definition of a major project (重大项目).

        The Fortune 500 test is a correlated EXISTS rather than a join, so ``count()`` on a list
        (which drops unused annotations) does not have to join the enterprises.
        """
        return self.annotate(
            major=ExpressionWrapper(
                major_project_condition(investor_as_subquery=True), output_field=models.BooleanField()
            )
        )


def major_project_condition(prefix: str = "", *, investor_as_subquery: bool = False) -> Q:
    """Foreign investment ≥ 10,000 万美元, or total investment ≥ the configured threshold, or a Fortune 500 investor.

    ``prefix`` lets other models filter through a relation (e.g. ``"projects__"``). The investor
    test is a membership in the (short) list of Fortune 500 firms, which needs no join of the
    enterprise table; ``investor_as_subquery`` asks for it as an EXISTS per row instead, which
    is cheaper when only a page of projects is read.
    """
    if investor_as_subquery:
        fortune500 = Q(Exists(Enterprise.objects.filter(pk=OuterRef(f"{prefix}investor_id"), fortune500=True)))
    else:
        fortune500 = Q(**{f"{prefix}investor__in": Enterprise.objects.filter(fortune500=True).values("pk")})
    return (
        # The isnull test keeps a missing foreign investment from turning the whole OR into NULL.
        Q(
            **{
                f"{prefix}foreign_investment__isnull": False,
                f"{prefix}foreign_investment__gte": MAJOR_FOREIGN_INVESTMENT,
            }
        )
        | Q(**{f"{prefix}total_investment__gte": settings.PINGHU_MAJOR_PROJECT_INVESTMENT})
        | fortune500
    )


def is_major_project(*, foreign_investment, total_investment, investor_fortune500: bool) -> bool:
    """``major_project_condition`` for one row already read (the fast API list reads plain rows).

    Kept beside the query form, with the same constants; a test checks the two agree on every row.
    """
    return bool(
        (foreign_investment is not None and foreign_investment >= MAJOR_FOREIGN_INVESTMENT)
        or total_investment >= settings.PINGHU_MAJOR_PROJECT_INVESTMENT
        or investor_fortune500
    )


class Project(TimeStampedModel):
    """An investment project (招商项目) moving through the pipeline; stage changes go through services."""

    name = models.CharField(_("name"), max_length=200)
    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="projects", verbose_name=_("chain"))
    investor = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="projects", verbose_name=_("investor")
    )
    source = models.CharField(_("source"), max_length=16, choices=ProjectSource.choices, default=ProjectSource.OTHER)
    stage = models.CharField(_("stage"), max_length=16, choices=ProjectStage.choices, default=ProjectStage.LEAD)
    total_investment = _amount_field(
        _("total investment (10k CNY)"),
        null=False,
        help_text=_("In 万元. For a capital increase, only the increment."),
    )
    foreign_investment = _amount_field(_("foreign investment (10k USD)"), help_text=_("In 万美元, if any."))
    registered_capital = _amount_field(_("registered capital (10k CNY)"))
    land_area = _amount_field(_("land (mu)"))
    expected_output = _amount_field(_("expected annual output (10k CNY)"))
    expected_tax = _amount_field(_("expected annual tax (10k CNY)"))
    is_capital_increase = models.BooleanField(
        _("capital increase of an existing firm"),
        default=False,
        help_text=_("If set, the amounts are the increment only."),
    )
    town = models.CharField(_("town"), max_length=16, choices=Town.choices, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=128, blank=True)
    responsible_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_projects",
        verbose_name=_("responsible official"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="created_projects",
        verbose_name=_("created by"),
        help_text=_("The account that entered the project; an official may edit the projects they entered."),
    )
    first_contact_date = models.DateField(_("first contact date"), null=True, blank=True)
    signed_date = models.DateField(_("signed date"), null=True, blank=True, db_index=True)
    registered_date = models.DateField(_("registered date"), null=True, blank=True)
    construction_date = models.DateField(_("construction start date"), null=True, blank=True)
    production_date = models.DateField(_("production start date"), null=True, blank=True)
    signing_event = models.ForeignKey(
        SigningEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("signing conference"),
        help_text=_("The conference where the project first signed; it counts there only."),
    )

    objects = ProjectQuerySet.as_manager()

    history = HistoricalRecords(
        verbose_name=_("investment project version"), verbose_name_plural=_("investment project versions")
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        indexes = [
            models.Index(fields=["stage"], name="projects_project_stage_idx"),
            models.Index(fields=["chain", "stage"], name="projects_project_chain_stage"),
            models.Index(fields=["first_contact_date"], name="projects_project_contact_idx"),
            models.Index(fields=["updated_at", "id"], name="projects_project_updated_idx"),
        ]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                    name=f"projects_project_{field}_not_negative",
                    violation_error_message=_("Amounts cannot be negative."),
                )
                for field in PROJECT_AMOUNT_FIELDS
            ],
            models.CheckConstraint(
                condition=_not_before_earlier_dates("signed_date"),
                name="projects_project_signed_after_contact",
                violation_error_message=_("The signed date cannot be before the first contact date."),
            ),
            models.CheckConstraint(
                condition=_not_before_earlier_dates("registered_date"),
                name="projects_project_registered_after_earlier",
                violation_error_message=_("The registered date cannot be before the signed or first contact date."),
            ),
            models.CheckConstraint(
                condition=_not_before_earlier_dates("construction_date"),
                name="projects_project_construction_after_earlier",
                violation_error_message=_(
                    "The construction start date cannot be before the registered, signed or first contact date."
                ),
            ),
            models.CheckConstraint(
                condition=_not_before_earlier_dates("production_date"),
                name="projects_project_production_after_earlier",
                violation_error_message=_("The production start date cannot be before any earlier stage date."),
            ),
            *[
                models.CheckConstraint(
                    condition=~Q(stage__in=PIPELINE[PIPELINE.index(stage) :]) | Q(**{f"{field}__isnull": False}),
                    name=f"projects_project_{stage}_stage_has_date",
                    violation_error_message=_("A project at or past a dated stage must have that stage's date."),
                )
                for stage, field in STAGE_DATE_FIELDS.items()
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | ~Q(stage__in=PIPELINE[: PIPELINE.index(stage)]),
                    name=f"projects_project_{stage}_date_needs_stage",
                    violation_error_message=_("A stage's date can only be set once the project has reached it."),
                )
                for stage, field in STAGE_DATE_FIELDS.items()
            ],
            models.CheckConstraint(
                condition=Q(signing_event__isnull=True) | Q(signed_date__isnull=False),
                name="projects_project_event_needs_signed_date",
                violation_error_message=_("A project signed at a conference must have a signed date."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=ProjectStage.values),
                name="projects_project_stage_valid",
                violation_error_message=_("Unknown stage."),
            ),
            models.CheckConstraint(
                condition=Q(source__in=ProjectSource.values),
                name="projects_project_source_valid",
                violation_error_message=_("Unknown source."),
            ),
            models.CheckConstraint(
                condition=Q(town__in=[*Town.values, ""]),
                name="projects_project_town_valid",
                violation_error_message=_("Town must be one of the towns of Pinghu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Date order and the conference date, with the offending field named."""
        super().clean()
        errors: dict[str, ValidationError] = {}
        for position, field in enumerate(PROJECT_DATE_ORDER[1:], start=1):
            value = getattr(self, field)
            if value is None:
                continue
            for earlier in reversed(PROJECT_DATE_ORDER[:position]):
                earlier_value = getattr(self, earlier)
                if earlier_value is not None and value < earlier_value:
                    errors[field] = ValidationError(
                        _("%(field)s (%(value)s) cannot be before %(earlier)s (%(earlier_value)s)."),
                        code="date_order",
                        params={
                            "field": self._meta.get_field(field).verbose_name,
                            "value": value,
                            "earlier": self._meta.get_field(earlier).verbose_name,
                            "earlier_value": earlier_value,
                        },
                    )
                    break
        today = timezone.localdate()
        for field in PROJECT_DATE_ORDER:
            value = getattr(self, field)
            if value is not None and value > today and field not in errors:
                errors[field] = ValidationError(
                    _("%(field)s cannot be in the future."),
                    code="future_date",
                    params={"field": self._meta.get_field(field).verbose_name},
                )
        for stage, field in STAGE_DATE_FIELDS.items():
            value = getattr(self, field)
            reached = self.stage in PIPELINE and PIPELINE.index(self.stage) >= PIPELINE.index(stage)
            if reached and value is None:
                errors.setdefault(
                    field,
                    ValidationError(
                        _("A project at stage %(stage)s needs %(field)s."),
                        code="stage_needs_date",
                        params={
                            "stage": ProjectStage(self.stage).label,
                            "field": self._meta.get_field(field).verbose_name,
                        },
                    ),
                )
            not_yet = self.stage in PIPELINE and PIPELINE.index(self.stage) < PIPELINE.index(stage)
            if not_yet and value is not None:
                errors.setdefault(
                    field,
                    ValidationError(
                        _("A project at stage %(stage)s cannot have %(field)s yet."),
                        code="date_before_stage",
                        params={
                            "stage": ProjectStage(self.stage).label,
                            "field": self._meta.get_field(field).verbose_name,
                        },
                    ),
                )
        if self.signing_event_id is not None and self.signed_date != self.signing_event.date:
            errors.setdefault(
                "signed_date",
                ValidationError(
                    _("A project signed at %(event)s has that conference's date (%(date)s) as its signed date."),
                    code="event_date",
                    params={"event": self.signing_event.name, "date": self.signing_event.date},
                ),
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_major(self) -> bool:
        """Read the ``major`` annotation when the queryset has it, else ask the database once."""
        if hasattr(self, "major"):
            return self.major
        if self.pk is None:
            return False
        return Project.objects.with_major().filter(pk=self.pk).values_list("major", flat=True).get()


class ProjectStageChange(TimeStampedModel):
    """One move of a project through the pipeline, the first one (from nothing) included."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("project")
    )
    from_stage = models.CharField(
        _("from stage"), max_length=16, choices=ProjectStage.choices, blank=True, help_text=_("Empty for the first.")
    )
    to_stage = models.CharField(_("to stage"), max_length=16, choices=ProjectStage.choices)
    at = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.TextField(_("note"), blank=True)

    # Kept so that a deleted project can be restored with its stage history (projects.restore).
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["project", "at"], name="projects_stagechange_proj_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_stage__in=ProjectStage.values) & Q(from_stage__in=[*ProjectStage.values, ""]),
                name="projects_stagechange_stages_valid",
                violation_error_message=_("Unknown stage."),
            ),
            models.CheckConstraint(
                condition=~Q(from_stage=F("to_stage")),
                name="projects_stagechange_moves",
                violation_error_message=_("A stage change must change the stage."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_from_stage_display() or '—'} → {self.get_to_stage_display()}"


class FollowUp(TimeStampedModel):
    """A note on a project's progress, with the next step and when it is due."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("project"))
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("author"),
    )
    note = models.TextField(_("note"))
    next_step = models.TextField(_("next step"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("date")),
                name="projects_followup_due_after_date",
                violation_error_message=_("The due date cannot be before the follow-up date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.date:%Y-%m-%d}"


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
    host_unit = models.CharField(_("host unit"), max_length=128)
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

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("investment visit")
        verbose_name_plural = _("investment visits")
        indexes = [
            models.Index(fields=["date"], name="projects_visit_date_idx"),
            models.Index(fields=["updated_at"], name="projects_visit_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__lte=DatabaseTomorrow()),
                name="projects_visit_not_in_future",
                violation_error_message=_("A visit cannot be dated in the future."),
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
        """A visit cannot be dated after today (in Pinghu's time zone)."""
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A visit cannot be dated in the future.")}, code="future_date")


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

    history = HistoricalRecords(excluded_fields=["visit_date"])

    class Meta:
        verbose_name = _("visit project")
        verbose_name_plural = _("visit projects")
        indexes = [models.Index(fields=["visit_date", "project"], name="projects_visitproject_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "project"],
                name="projects_visitproject_unique",
                violation_error_message=_("This project is already linked to this visit."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.project}"


# Rollups. The rows below are written only by database triggers (projects.triggers), on every write
# path (services, admin, bulk inserts, raw SQL), in the same transaction as the rows they sum.
# They let the dashboard add up a few thousand daily rows instead of joining 100,000s of visits and
# stage changes. ``projects.rollups.rebuild_rollups`` recomputes them from the source tables.


# The visit's history: each record also keeps its leaders, chains and projects as they were then,
# so an earlier version or a deleted visit can be restored whole (projects.restore).
register_history(
    InvestmentVisit,
    excluded_fields=["leader_count", "is_saturday"],
    m2m_fields=["leaders", "chains", "projects"],
    verbose_name=_("investment visit version"),
    verbose_name_plural=_("investment visit versions"),
    # The link models keep their own history too: their snapshots need other names.
    custom_model_name=lambda name: f"HistoricalInvestmentVisit{'' if name == 'InvestmentVisit' else name}",
)


class VisitDay(models.Model):
    """Visits and person-times dated on one day (all visits, whatever their chains)."""

    date = models.DateField(_("date"), unique=True)
    is_saturday = models.GeneratedField(
        expression=IsSaturday("date"),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("Saturday investment day"),
    )
    visit_count = models.PositiveIntegerField(_("visits"))
    leader_count = models.PositiveIntegerField(_("person-times"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("visits per day")
        verbose_name_plural = _("visits per day")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_count__gte=0) & Q(leader_count__gte=0), name="projects_visitday_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class VisitDayChain(models.Model):
    """Visits and person-times dated on one day that concern one chain (a visit counts once per chain)."""

    date = models.DateField(_("date"))
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="+", verbose_name=_("chain"))
    is_saturday = models.GeneratedField(
        expression=IsSaturday("date"),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("Saturday investment day"),
    )
    visit_count = models.PositiveIntegerField(_("visits"))
    leader_count = models.PositiveIntegerField(_("person-times"))

    class Meta:
        ordering = ["date", "chain"]
        verbose_name = _("visits per day and chain")
        verbose_name_plural = _("visits per day and chain")
        constraints = [
            models.UniqueConstraint(fields=["date", "chain"], name="projects_visitdaychain_unique"),
            models.CheckConstraint(
                condition=Q(visit_count__gte=0) & Q(leader_count__gte=0), name="projects_visitdaychain_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.chain_id}"


class PipelineDelta(models.Model):
    """The net change, on one day, of one chain's projects (and their investment) in one stage.

    Each stage change adds one project to its new stage and removes it from the old one on its
    date, so the sum of the rows dated on or before a day is the pipeline as of that day. Values
    are signed: a day on which projects leave a stage has a negative row.
    """

    date = models.DateField(_("date"))
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="+", verbose_name=_("chain"))
    stage = models.CharField(_("stage"), max_length=16, choices=ProjectStage.choices)
    projects = models.IntegerField(_("projects"))
    investment = models.DecimalField(_("total investment (万元)"), max_digits=20, decimal_places=2)

    class Meta:
        ordering = ["date", "chain", "stage"]
        verbose_name = _("pipeline change per day")
        verbose_name_plural = _("pipeline changes per day")
        constraints = [
            models.UniqueConstraint(fields=["date", "chain", "stage"], name="projects_pipelinedelta_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.chain_id} · {self.stage}"
