"""Projects: the pipeline's amounts, dates, stages and levels; what makes a project major is ``projects.bands``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chains.choices import Town
from chains.models import Chain, Enterprise
from pinghu.models import TimeStampedModel, amount_field
from pinghu.plausibility import (
    EARLIEST_DATE,
    PlausibleMixin,
    amount_errors,
    date_errors,
    unconfirmed_amount_errors,
)
from pinghu.search import SearchKeyMixin, SearchKeyQuerySet, SearchSpec, search_key_field
from units.fields import unit_text_field

from ..bands import major_condition
from ..choices import PIPELINE, STAGE_DATE_FIELDS, ProjectLevel, ProjectSource, ProjectStage
from .conferences import SigningEvent
from .milestones import ProjectMilestones, milestone_constraints, milestone_errors

# Amount fields of a project, all ≥ 0 (万元 unless the label says otherwise).
PROJECT_AMOUNT_FIELDS = [
    "total_investment",
    "foreign_investment",
    "registered_capital",
    "land_area",
    "expected_output",
    "expected_tax",
]
# What the statistics group a period's projects by (chain, town, responsible unit), with the id they count:
# carried by the covering indexes of the projects' dates (Project.Meta.indexes).
SCOPE_COLUMNS = ["id", "chain", "town", "responsible_unit"]
# The dates of a project in the order the pipeline reaches them.
PROJECT_DATE_ORDER = ["first_contact_date", "signed_date", "registered_date", "construction_date", "production_date"]


def _not_before_earlier_dates(field: str) -> Q:
    """``field`` is empty or on/after every earlier pipeline date that is set."""
    condition = Q()
    for earlier in PROJECT_DATE_ORDER[: PROJECT_DATE_ORDER.index(field)]:
        condition &= (
            Q(**{f"{field}__isnull": True}) | Q(**{f"{earlier}__isnull": True}) | Q(**{f"{field}__gte": F(earlier)})
        )
    return condition


class ProjectQuerySet(SearchKeyQuerySet):
    def with_major(self) -> "ProjectQuerySet":
        """Annotate ``major``: the one definition of a major project (重大项目).

        The investor test (Fortune 500 or industry leader, ``projects.bands``) is a correlated EXISTS
        rather than a join, so ``count()`` on a list (which drops unused annotations) does not have to
        join the enterprises.
        """
        return self.annotate(
            major=ExpressionWrapper(
                major_project_condition(investor_as_subquery=True), output_field=models.BooleanField()
            )
        )


def major_project_condition(prefix: str = "", *, investor_as_subquery: bool = False, signed_in=None) -> Q:
    """The one definition of a major project: ``projects.bands.major_condition`` (issue 16)."""
    return major_condition(prefix, investor_as_subquery=investor_as_subquery, signed_in=signed_in)


class Project(SearchKeyMixin, PlausibleMixin, ProjectMilestones, TimeStampedModel):
    """An investment project (招商项目) moving through the pipeline; stage changes go through services."""

    name = models.CharField(_("name"), max_length=200)
    search_key = search_key_field()
    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="projects", verbose_name=_("chain"))
    investor = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="projects", verbose_name=_("investor")
    )
    source = models.CharField(_("source"), max_length=16, choices=ProjectSource.choices, default=ProjectSource.OTHER)
    stage = models.CharField(_("stage"), max_length=16, choices=ProjectStage.choices, default=ProjectStage.LEAD)
    total_investment = amount_field(
        _("total investment (10k CNY)"),
        null=False,
        help_text=_("In 万元. For a capital increase, only the increment."),
    )
    foreign_investment = amount_field(
        _("contracted foreign investment (10k USD)"),
        help_text=_("合同外资 at signing, in 万美元, if any; not money paid in (实际外资: the monthly funds records)."),
    )
    registered_capital = amount_field(_("registered capital (10k CNY)"))
    land_area = amount_field(_("land (mu)"))
    expected_output = amount_field(_("expected annual output (10k CNY)"))
    expected_tax = amount_field(_("expected annual tax (10k CNY)"))
    is_capital_increase = models.BooleanField(
        _("capital increase of an existing firm"),
        default=False,
        help_text=_("If set, the amounts are the increment only."),
    )
    town = models.CharField(_("town"), max_length=16, choices=Town.choices, blank=True)
    responsible_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_projects",
        verbose_name=_("responsible unit"),
    )
    responsible_unit_text = unit_text_field(_("responsible unit as written"))
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
    # Bands and levels (issue 16): the list the project was put on, and the year it was listed.
    level = models.CharField(
        _("project level"), max_length=24, choices=ProjectLevel.choices, blank=True, help_text=_("Empty if on none.")
    )
    level_year = models.PositiveSmallIntegerField(
        _("level year"), null=True, blank=True, help_text=_("The year the project was listed at that level.")
    )

    objects = ProjectQuerySet.as_manager()

    history = HistoricalRecords(
        verbose_name=_("investment project version"),
        verbose_name_plural=_("investment project versions"),
        excluded_fields=["search_key"],
    )
    search_spec = SearchSpec(text=("name",), key="search_key", key_sources=("name",), related=("investor",), chars=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        # Who answers for a project and its chain decide who may edit it (projects.rules): changing
        # them is its own permission (projects.services.project_update checks it), held by admins.
        permissions = [("assign_project", _("Can change a project's chain and responsible official"))]
        indexes = [
            models.Index(fields=["stage"], name="projects_project_stage_idx"),
            models.Index(fields=["chain", "stage"], name="projects_project_chain_stage"),
            # The statistics read a period's projects by one date and group them by chain, town or unit. On
            # PostgreSQL these indexes carry every column those aggregates read (INCLUDE), so each is an
            # index-only scan of a few MB instead of visits to most of the table's pages (the projects of a
            # period are spread over the whole heap; docs/benchmarks.md, issue 22). SQLite has no INCLUDE:
            # there they are the plain date indexes they were.
            models.Index(
                fields=["first_contact_date"],
                include=["id", "signed_date", "chain"],
                name="projects_project_contact_idx",
            ),
            # Projects started or in production in a period (the targets' 开工项目 and 投产项目).
            models.Index(fields=["construction_date"], include=SCOPE_COLUMNS, name="projects_project_started_idx"),
            models.Index(fields=["production_date"], include=SCOPE_COLUMNS, name="projects_project_producing_idx"),
            # The signed projects of a period: the signed summary and its bands, per chain, per month, the stage
            # durations and milestone rates, the targets' signed figures.
            models.Index(
                fields=["signed_date"],
                include=[
                    *SCOPE_COLUMNS,
                    "total_investment",
                    "foreign_investment",
                    "investor",
                    "first_contact_date",
                    "registered_date",
                    "construction_date",
                    "production_date",
                    "capacity_date",
                ],
                condition=models.Q(signed_date__isnull=False),
                name="projects_project_signed_cover",
            ),
            # A project's chain and town by its id without the table (projects engaged per chain, funds per
            # chain or town): a hash join reads this index only.
            models.Index(fields=["chain", "id"], include=["town"], name="projects_project_chain_id_idx"),
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
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": EARLIEST_DATE}),
                    name=f"projects_project_{field}_from_2000",
                    violation_error_message=_("Dates before 2000-01-01 are not accepted."),
                )
                for field in PROJECT_DATE_ORDER
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
                condition=Q(level="", level_year__isnull=True)
                | Q(
                    level__in=ProjectLevel.values, level_year__isnull=False, level_year__gte=2000, level_year__lte=2100
                ),
                name="projects_project_level_has_year",
                violation_error_message=_(
                    "Project level and level year go together: a level needs the year it was listed "
                    "(2000–2100), and a year needs a level."
                ),
            ),
            models.CheckConstraint(
                condition=Q(town__in=[*Town.values, ""]),
                name="projects_project_town_valid",
                violation_error_message=_("Town must be one of the towns of Pinghu."),
            ),
            # Approval milestones (milestones.py).
            *milestone_constraints(),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Plausible amounts and dates, date order and the conference date, with the offending field named."""
        super().clean()
        errors: dict[str, ValidationError] = {
            **unconfirmed_amount_errors(self, PROJECT_AMOUNT_FIELDS),
            **amount_errors(self, PROJECT_AMOUNT_FIELDS),
            **date_errors(self, PROJECT_DATE_ORDER),
        }
        for position, field in enumerate(PROJECT_DATE_ORDER[1:], start=1):
            value = getattr(self, field)
            if value is None:
                continue
            for earlier in reversed(PROJECT_DATE_ORDER[:position]):
                earlier_value = getattr(self, earlier)
                if earlier_value is not None and value < earlier_value:
                    errors.setdefault(
                        field,
                        ValidationError(
                            _("%(field)s (%(value)s) cannot be before %(earlier)s (%(earlier_value)s)."),
                            code="date_order",
                            params={
                                "field": self._meta.get_field(field).verbose_name,
                                "value": value,
                                "earlier": self._meta.get_field(earlier).verbose_name,
                                "earlier_value": earlier_value,
                            },
                        ),
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
        errors.update(milestone_errors(self, errors))
        # Bands and levels (issue 16): a level and its year go together (also a database constraint).
        if self.level and self.level_year is None:
            errors.setdefault(
                "level_year",
                ValidationError(_("Level year: required when a project level is set."), code="level_needs_year"),
            )
        if self.level_year is not None and not self.level:
            errors.setdefault(
                "level",
                ValidationError(_("Project level: required when a level year is set."), code="year_needs_level"),
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
