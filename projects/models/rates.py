"""The yearly CNY/USD exchange rate that converts a project's total investment for the US-dollar band."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel
from pinghu.search import SearchSpec


class ExchangeRate(TimeStampedModel):
    """Yuan per US dollar for one year (e.g. the annual average central parity); editable, with history.

    ``projects.bands`` reads the rate of a project's signed year (else the current year), falling
    back to the latest earlier year that has one.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    cny_per_usd = models.DecimalField(
        _("yuan per US dollar"),
        max_digits=8,
        decimal_places=4,
        help_text=_("How many yuan one US dollar is worth in that year, e.g. 7.1884."),
    )
    source = models.CharField(
        _("rate source"),
        max_length=255,
        blank=True,
        help_text=_("Where the rate comes from, e.g. the annual average central parity published by the PBoC."),
    )

    history = HistoricalRecords(
        verbose_name=_("exchange rate version"), verbose_name_plural=_("exchange rate versions")
    )
    search_spec = SearchSpec(text=("source",))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.CheckConstraint(
                condition=Q(cny_per_usd__gt=0),
                name="projects_exchangerate_rate_positive",
                violation_error_message=_("Yuan per US dollar must be greater than 0."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="projects_exchangerate_year_plausible",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.cny_per_usd}"
