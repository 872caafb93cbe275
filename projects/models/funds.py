"""Funds in place (到位资金) and actual foreign investment (实际外资): one record per project and month.

Money actually paid in, as reported each month; never the contracted amounts a project carries
from its signing (``Project.total_investment``, ``Project.foreign_investment``: 合同外资). A
correction is an edit of the month's record (with its history), never a second row.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel, amount_field
from pinghu.plausibility import EARLIEST_DATE, PlausibleMixin, amount_errors
from pinghu.search import SearchSpec

from .pipeline import Project

# The amounts of a month's record: 内资到位 in 万元, 实际外资 in 万美元 (ceilings: settings.PINGHU_AMOUNT_CEILINGS).
FUNDS_AMOUNT_FIELDS = ["domestic_funds", "actual_foreign_investment"]


def first_of_month(day: datetime.date) -> datetime.date:
    """The month ``day`` falls in, as its first day (how a record's month is stored)."""
    return day.replace(day=1)


class ProjectFunds(PlausibleMixin, TimeStampedModel):
    """What a project had actually paid in during one month: domestic funds (万元) and foreign investment (万美元)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funds", verbose_name=_("project"))
    month = models.DateField(_("month"), help_text=_("The first day of the month the amounts were paid in."))
    domestic_funds = amount_field(
        _("domestic funds in place (10k CNY)"), null=False, help_text=_("内资到位 in the month, in 万元.")
    )
    actual_foreign_investment = amount_field(
        _("actual foreign investment (10k USD)"),
        null=False,
        help_text=_("实际外资: foreign capital actually paid in during the month, in 万美元 (not contracted)."),
    )
    source_note = models.CharField(
        _("source of the figures"),
        max_length=100,
        blank=True,
        help_text=_("Where the figures come from, e.g. 商务局外资统计 or 企业银行流水."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("entered by"),
    )

    # Kept by the database (projects.triggers.previous_rows): with them, the projects with money in during
    # a period are the period's records with money in that are their project's first there, and the
    # figures per chain or town read one covering index, without a DISTINCT or a join.
    previous_funded_month = models.DateField(
        _("previous month with money in"),
        null=True,
        editable=False,
        help_text=_("On a record with money in: the month of the project's record with money in before it, if any."),
    )
    project_chain = models.ForeignKey(
        "chains.Chain",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # read through the covering index of the period's rows
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("project's chain"),
        help_text=_("The project's chain, copied by the database."),
    )
    project_town = models.CharField(
        _("project's town"),
        max_length=16,
        blank=True,
        default="",
        editable=False,
        help_text=_("The project's town, copied by the database."),
    )

    history = HistoricalRecords(
        verbose_name=_("funds record version"),
        verbose_name_plural=_("funds record versions"),
        excluded_fields=["previous_funded_month", "project_chain", "project_town"],
    )
    search_spec = SearchSpec(text=("source_note",), related=("project",))

    class Meta:
        ordering = ["project", "month"]
        verbose_name = _("funds in place record")
        verbose_name_plural = _("funds in place records")
        # A period's records summed (and their projects counted) by an index-only scan on PostgreSQL (INCLUDE;
        # SQLite ignores it): the statistics read nothing else of a record (funds_stats, issue 22).
        indexes = [
            models.Index(
                fields=["month"],
                include=[
                    "project",
                    "domestic_funds",
                    "actual_foreign_investment",
                    "previous_funded_month",
                    "project_chain",
                    "project_town",
                ],
                name="projects_funds_month_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="projects_projectfunds_one_per_month",
                violation_error_message=_(
                    "Month: this project already has a funds record for this month; correct that record instead."
                ),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}),
                    name=f"projects_projectfunds_{field}_not_negative",
                    violation_error_message=_("Amounts cannot be negative."),
                )
                for field in FUNDS_AMOUNT_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="projects_projectfunds_month_first_day",
                violation_error_message=_("Month: store the first day of the month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=EARLIEST_DATE),
                name="projects_projectfunds_month_from_2000",
                violation_error_message=_("Month: months before 2000-01 are not accepted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.month:%Y-%m}"

    def clean(self) -> None:
        """The month is a month's first day, from 2000-01 and not in the future; amounts under their ceilings."""
        super().clean()
        errors = amount_errors(self, FUNDS_AMOUNT_FIELDS)
        if self.month is not None:
            if self.month.day != 1:
                self.month = first_of_month(self.month)
            if self.month < EARLIEST_DATE:
                errors["month"] = ValidationError(
                    _("Month: months before 2000-01 are not accepted."), code="before_earliest_date"
                )
            elif self.month > first_of_month(timezone.localdate()):
                errors["month"] = ValidationError(
                    _("Month: a month in the future cannot have funds in place yet."), code="future_month"
                )
        if errors:
            raise ValidationError(errors)
