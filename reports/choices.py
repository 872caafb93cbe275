"""The closed lists of the reports app: period kinds, report statuses and the sections a template may hold."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """What a report covers: a calendar month, quarter or year."""

    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ReportStatus(models.TextChoices):
    """Draft → closed (figures frozen) → sent; an administrator may reopen a closed or sent report."""

    DRAFT = "draft", _("Draft")
    CLOSED = "closed", _("Closed")
    SENT = "sent", _("Sent")


class Section(models.TextChoices):
    """The sections a report template can hold, each computed by ``reports.figures``."""

    SUMMARY = "summary", _("Summary")
    CHAINS = "chains", _("By chain")
    CLUSTERS = "clusters", _("By cluster")
    TOWNS = "towns", _("By town")
    TARGETS = "targets", _("Target progress")
    MAJOR_SIGNED = "major_signed", _("Signed projects of 100 million yuan or more")
    STARTED = "started", _("Projects started")
    IN_PRODUCTION = "in_production", _("Projects put into production")
    ISSUES = "issues", _("Enterprise problems")
    LAND = "land", _("Land supplied")
