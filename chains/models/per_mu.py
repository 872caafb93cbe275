"""Per-mu evaluation (亩均论英雄): a firm's annual figures and the grade thresholds that rank them."""

from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel, amount_field
from pinghu.plausibility import amount_errors
from pinghu.search import SearchSpec

from .enterprises import Enterprise

# ---------------------------------------------------------------- per-mu evaluation (亩均论英雄)

# Years a per-mu evaluation may cover: Zhejiang's evaluations began in the 2000s; the upper bound
# only keeps typing errors out.
METRIC_YEAR_MIN = 2000
METRIC_YEAR_MAX = 2100


# The figures a plausibility ceiling applies to (settings.PINGHU_AMOUNT_CEILINGS).
METRIC_AMOUNT_FIELDS = ["land_area", "tax_paid", "industrial_output", "revenue", "rd_spending"]


def _year_field(help_text) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(METRIC_YEAR_MIN), MaxValueValidator(METRIC_YEAR_MAX)],
        help_text=help_text,
    )


class EnterpriseAnnualMetric(TimeStampedModel):
    """One enterprise's figures for one year, the input of the per-mu evaluation (亩均论英雄).

    Amounts in 万元, land in 亩, energy in tonnes of standard coal (吨标准煤). Tax per mu, output per
    mu, energy per output, the grade and the rank are derived in the database (``chains.stats``).
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="annual_metrics", verbose_name=_("enterprise")
    )
    year = _year_field(_("The evaluation year the figures cover."))
    land_area = models.DecimalField(
        _("land (mu)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Land used, in 亩 (1 mu ≈ 666.7 m²); must be more than zero."),
    )
    tax_paid = amount_field(
        _("tax paid (10k CNY)"), null=False, help_text=_("Taxes actually paid in the year, in 万元.")
    )
    industrial_output = amount_field(_("industrial output (10k CNY)"), null=False)
    revenue = amount_field(_("revenue (10k CNY)"), null=False)
    energy_use = amount_field(
        _("energy use (tonnes of standard coal)"), null=True, help_text=_("Leave empty if not reported.")
    )
    employees = models.IntegerField(_("employees"), validators=[MinValueValidator(0)])
    rd_spending = amount_field(_("R&D spending (10k CNY)"), null=True, help_text=_("Leave empty if not reported."))

    history = HistoricalRecords()
    search_spec = SearchSpec(related=("enterprise",))

    class Meta:
        ordering = ["-year", "enterprise__name"]
        indexes = [models.Index(fields=["year"], name="chains_metric_year_idx")]
        verbose_name = _("enterprise annual metric")
        verbose_name_plural = _("enterprise annual metrics")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="chains_enterpriseannualmetric_unique_enterprise_year",
                violation_error_message=_("This enterprise already has figures for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=METRIC_YEAR_MIN, year__lte=METRIC_YEAR_MAX),
                name="chains_enterpriseannualmetric_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(land_area__gt=0),
                name="chains_enterpriseannualmetric_land_positive",
                violation_error_message=_("Land must be more than zero mu."),
            ),
            models.CheckConstraint(
                condition=Q(tax_paid__gte=0, industrial_output__gte=0, revenue__gte=0),
                name="chains_enterpriseannualmetric_amounts_not_negative",
                violation_error_message=_("Tax, output and revenue cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(energy_use__isnull=True) | Q(energy_use__gte=0))
                & (Q(rd_spending__isnull=True) | Q(rd_spending__gte=0)),
                name="chains_enterpriseannualmetric_optional_amounts_not_negative",
                violation_error_message=_("Energy use and R&D spending cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(employees__gte=0),
                name="chains_enterpriseannualmetric_employees_not_negative",
                violation_error_message=_("Employees cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year}" if self.enterprise_id else str(self.year)

    def clean(self) -> None:
        """Figures are for a year that has begun (in Asia/Shanghai), amounts under their ceilings (settings)."""
        super().clean()
        errors = amount_errors(self, METRIC_AMOUNT_FIELDS)
        if self.year is not None and self.year > timezone.localdate().year:
            errors["year"] = ValidationError(_("The year cannot be in the future."))
        if errors:
            raise ValidationError(errors)


class GradeThresholds(NamedTuple):
    """Tax per mu (万元/亩) a firm needs at least for grade A, B and C; below C is grade D."""

    a: Decimal
    b: Decimal
    c: Decimal


# The scheme used for a year without a PerMuGradeScheme row. A product choice, not a figure from the
# article or an official document: round steps of tax per mu for a county-level industrial city, to
# be replaced by the bureau's own thresholds for each year (admin, "per-mu grade schemes").
DEFAULT_GRADE_THRESHOLDS = GradeThresholds(a=Decimal("30.00"), b=Decimal("15.00"), c=Decimal("5.00"))


class PerMuGradeScheme(TimeStampedModel):
    """The per-mu grade thresholds of one evaluation year, kept by the bureau.

    A firm's grade is A when its tax per mu is at least ``tax_per_mu_a``, else B when at least
    ``tax_per_mu_b``, else C when at least ``tax_per_mu_c``, else D. A year without a row is
    graded by ``DEFAULT_GRADE_THRESHOLDS``.
    """

    year = _year_field(_("The evaluation year these thresholds grade."))
    tax_per_mu_a = models.DecimalField(
        _("grade A from tax per mu (10k CNY/mu)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    tax_per_mu_b = models.DecimalField(
        _("grade B from tax per mu (10k CNY/mu)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    tax_per_mu_c = models.DecimalField(
        _("grade C from tax per mu (10k CNY/mu)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Below this, grade D."),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("E.g. the document the thresholds come from."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("per-mu grade scheme")
        verbose_name_plural = _("per-mu grade schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="chains_permugradescheme_unique_year",
                violation_error_message=_("This year already has a grade scheme."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=METRIC_YEAR_MIN, year__lte=METRIC_YEAR_MAX),
                name="chains_permugradescheme_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(tax_per_mu_a__gte=F("tax_per_mu_b"))
                & Q(tax_per_mu_b__gte=F("tax_per_mu_c"))
                & Q(tax_per_mu_c__gte=0),
                name="chains_permugradescheme_thresholds_ordered",
                violation_error_message=_("Thresholds must satisfy A ≥ B ≥ C ≥ 0."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def thresholds(self) -> GradeThresholds:
        return GradeThresholds(self.tax_per_mu_a, self.tax_per_mu_b, self.tax_per_mu_c)
