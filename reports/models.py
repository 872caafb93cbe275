"""Period reports: templates (data), reports (a template and a period) and their closed versions.

A report moves draft → closed → sent (``reports.services``); an administrator may reopen it with a
written reason, and the next close makes a new version. A ``ReportVersion`` is written once, when
the report closes, with every figure the report shows and the row identities behind each count
(``reports.figures``); database triggers (``reports.triggers``) refuse any UPDATE or DELETE of it,
whatever path the write takes. Every version is kept.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel
from pinghu.search import SearchSpec

from .choices import PeriodKind, ReportStatus, Section

FIRST_MONTH_OF_QUARTER = (1, 4, 7, 10)


def period_bounds(kind: str, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month, quarter or year that begins on ``start`` (ValueError otherwise)."""
    if start.day != 1:
        raise ValueError("a period starts on the first day of a month")
    if kind == PeriodKind.MONTH:
        return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if kind == PeriodKind.QUARTER:
        if start.month not in FIRST_MONTH_OF_QUARTER:
            raise ValueError("a quarter starts in January, April, July or October")
        last = start.month + 2
        return start, datetime.date(start.year, last, calendar.monthrange(start.year, last)[1])
    if kind == PeriodKind.YEAR:
        if start.month != 1:
            raise ValueError("a year starts on 1 January")
        return start, datetime.date(start.year, 12, 31)
    raise ValueError(kind)


def default_sections() -> list[str]:
    return list(Section.values)


class ReportTemplate(TimeStampedModel):
    """A report's layout as data: its name, the unit that issues it and the sections it holds, in order."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("issuing unit"), max_length=100, blank=True)
    sections = models.JSONField(_("sections"), default=default_sections)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [s for s in self.sections or [] if s not in Section.values]
        if not isinstance(self.sections, list) or not self.sections or unknown:
            raise ValidationError(
                {"sections": _("Sections: a non-empty list of %(known)s.") % {"known": ", ".join(Section.values)}}
            )


class Report(TimeStampedModel):
    """A template's report for one period; its figures live in its versions, written when it closes."""

    template = models.ForeignKey(
        ReportTemplate, on_delete=models.PROTECT, related_name="reports", verbose_name=_("template")
    )
    period_kind = models.CharField(_("period kind"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    briefing = models.TextField(_("briefing"), blank=True)
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reference_number = models.CharField(_("reference number"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The last reopening, copied into the next version when the report closes again.
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    history = HistoricalRecords()
    search_spec = SearchSpec(text=("reference_number", "sent_to", "briefing", "reopen_reason"))

    class Meta:
        ordering = ["-period_start", "template__code", "period_kind"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("close_report", _("Can close and send reports")),
            ("reopen_report", _("Can reopen a closed report")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "period_kind", "period_start"], name="reports_report_one_per_template_period"
            ),
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")), name="reports_report_period_order"),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.SENT, sent_at__isnull=False) | ~Q(status=ReportStatus.SENT),
                name="reports_report_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report-detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        """``2025年3月``, ``2025年第1季度`` or ``2025年``."""
        start = self.period_start
        if self.period_kind == PeriodKind.MONTH:
            return f"{start.year}年{start.month}月"
        if self.period_kind == PeriodKind.QUARTER:
            return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
        return f"{start.year}年"

    def clean(self) -> None:
        if self.period_kind and self.period_start:
            try:
                _start, end = period_bounds(self.period_kind, self.period_start)
            except ValueError:
                raise ValidationError(
                    {
                        "period_start": _(
                            "Period start: a month starts on its first day, a quarter on 1 January, 1 April, "
                            "1 July or 1 October, a year on 1 January."
                        )
                    }
                ) from None
            self.period_end = end


class ReportVersion(models.Model):
    """A closed version of a report: written once, never changed (database triggers refuse it)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions", verbose_name=_("report"))
    number = models.PositiveSmallIntegerField(_("version"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"))
    # Why the version before this one was reopened (empty for version 1).
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous version reopened by"),
    )
    reopened_at = models.DateTimeField(_("previous version reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening the previous version"), blank=True)
    briefing = models.TextField(_("briefing"), blank=True)
    figures = models.JSONField(_("figures"), encoder=DjangoJSONEncoder)
    rows = models.JSONField(_("rows behind the figures"), encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_reportversion_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="reports_reportversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("A closed report version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A closed report version cannot be deleted."))
