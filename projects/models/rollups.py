"""Rollup rows written only by database triggers, summed by the dashboard instead of raw visits and stage changes."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chains.models import Chain, Leader

from ..choices import ProjectStage
from ..expressions import IsSaturday

# Rollups. The rows below are written only by database triggers (projects.triggers), on every write
# path (services, admin, bulk inserts, raw SQL), in the same transaction as the rows they sum.
# They let the dashboard add up a few thousand daily rows instead of joining 100,000s of visits and
# stage changes. ``projects.rollups.rebuild_rollups`` recomputes them from the source tables.


def saturday_of_date() -> models.GeneratedField:
    """Whether the row's ``date`` is a Saturday (周六招商日), computed and stored by the database."""
    return models.GeneratedField(
        expression=IsSaturday("date"),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("Saturday investment day"),
    )


class VisitDay(models.Model):
    """Visits and person-times dated on one day (all visits, whatever their chains)."""

    date = models.DateField(_("date"), unique=True)
    is_saturday = saturday_of_date()
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
    is_saturday = saturday_of_date()
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


class VisitDayLeader(models.Model):
    """Visits dated on one day in which one leader took part: that leader's person-times on the day.

    Summed with the leader's current flags (``Leader.is_top_official``) at query time, so a flag
    changed later counts in every period at once, as it does over the visits themselves.
    """

    date = models.DateField(_("date"))
    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, related_name="+", verbose_name=_("leader"))
    is_saturday = saturday_of_date()
    visit_count = models.PositiveIntegerField(_("visits"))

    class Meta:
        ordering = ["date", "leader"]
        verbose_name = _("visits per day and leader")
        verbose_name_plural = _("visits per day and leader")
        constraints = [
            models.UniqueConstraint(fields=["date", "leader"], name="projects_visitdayleader_unique"),
            models.CheckConstraint(condition=Q(visit_count__gte=0), name="projects_visitdayleader_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.leader_id}"


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


class PipelineMonth(models.Model):
    """The ``PipelineDelta`` rows of one month summed per chain and stage: the month's net change of the pipeline.

    The pipeline as of a day is then the sum of the month rows of the months before the day's
    month and of the daily rows of its month up to the day: about 8 chains × 6 stages a month
    instead of every day of the history (``projects.stats``). Kept from the daily rows by
    triggers on ``projects_pipelinedelta`` (``projects.triggers.pipeline_months``); signed, and a
    row summing to zero is kept, as its daily rows are.
    """

    month = models.DateField(_("month"))
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="+", verbose_name=_("chain"))
    stage = models.CharField(_("stage"), max_length=16, choices=ProjectStage.choices)
    projects = models.IntegerField(_("projects"))
    investment = models.DecimalField(_("total investment (万元)"), max_digits=20, decimal_places=2)

    class Meta:
        ordering = ["month", "chain", "stage"]
        verbose_name = _("pipeline change per month")
        verbose_name_plural = _("pipeline changes per month")
        constraints = [
            models.UniqueConstraint(fields=["month", "chain", "stage"], name="projects_pipelinemonth_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="projects_pipelinemonth_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.chain_id} · {self.stage}"


class ProjectContactDay(models.Model):
    """The projects of one chain first contacted on one day, and how many of them have signed (now).

    Keyed on the projects' ``first_contact_date`` and ``chain``; a project without a first contact date
    is in no row. Lead → signed conversion (``projects.stats.conversion``) adds up a period's rows (a few
    thousand a year) instead of the period's tens of thousands of projects; a project that signs or
    unsigns later moves ``converted_projects`` of its contact day, so every period sees it at once.
    """

    date = models.DateField(_("first contact date"))
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="+", verbose_name=_("chain"))
    contacted_projects = models.IntegerField(_("projects first contacted"))
    converted_projects = models.IntegerField(_("projects signed"))

    class Meta:
        ordering = ["date", "chain"]
        verbose_name = _("projects first contacted per day and chain")
        verbose_name_plural = _("projects first contacted per day and chain")
        constraints = [
            models.UniqueConstraint(fields=["date", "chain"], name="projects_projectcontactday_unique"),
            models.CheckConstraint(
                condition=Q(converted_projects__gte=0) & Q(converted_projects__lte=models.F("contacted_projects")),
                name="projects_projectcontactday_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.chain_id}"


# The key of a ``ProjectFundsMonth`` row whose records have no earlier month with money in (or no money in
# at all): earlier than any period, so "previous month before the period's first" holds for them too.
NO_FUNDED_MONTH = datetime.date(1, 1, 1)


class ProjectFundsMonth(models.Model):
    """The funds records (``ProjectFunds``) of one month, one chain, one town and one previous month with money in.

    Keyed on the records' copies of their project's chain and town and on their previous month with
    money in (``NO_FUNDED_MONTH`` when none), all kept by the database (``projects.triggers.previous_rows``):
    a period's sums per chain, cluster or town add up a few thousand rows instead of the period's
    100,000 records, and its projects with money in are the ``funded_records`` of the rows whose
    previous month is before the period's first (each project's first record with money in there).
    Records are counted once their chain is copied (the statement that inserts one copies it).
    """

    month = models.DateField(_("month"))
    project_chain = models.ForeignKey(
        Chain,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # as the records' copy it sums
        db_index=False,  # read by month (the unique key's first column)
        related_name="+",
        verbose_name=_("project's chain"),
    )
    project_town = models.CharField(_("project's town"), max_length=16, blank=True)
    previous_funded_month = models.DateField(_("previous month with money in"))
    domestic_funds = models.DecimalField(_("domestic funds in place (10k CNY)"), max_digits=20, decimal_places=2)
    actual_foreign_investment = models.DecimalField(
        _("actual foreign investment (10k USD)"), max_digits=20, decimal_places=2
    )
    records = models.IntegerField(_("records"))
    funded_records = models.IntegerField(_("records with money in"))

    class Meta:
        ordering = ["month", "project_chain", "project_town", "previous_funded_month"]
        verbose_name = _("funds per month")
        verbose_name_plural = _("funds per month")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "project_chain", "project_town", "previous_funded_month"],
                name="projects_projectfundsmonth_unique",
            ),
            models.CheckConstraint(
                condition=Q(records__gte=0) & Q(funded_records__gte=0) & Q(funded_records__lte=models.F("records")),
                name="projects_projectfundsmonth_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.project_chain_id} · {self.project_town}"
