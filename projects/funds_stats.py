"""Funds in place (到位资金) and actual foreign investment (实际外资): their statistics, defined once.

Aggregates in the database, no Python loop over records (``docs/statistics.md``):

- A monthly record (``ProjectFunds``) counts in a period when its month lies in the period: from
  the month of the period's first day to the period's last day (a record is dated on its month's
  first day, so a period ending on 15 March includes March).
- domestic funds in place (内资到位, 万元; key ``funds_in_place``) and actual foreign investment
  (实际外资, 万美元; key ``foreign_paid_in``): the sums of the period's records. The two are
  never added together (different currencies).
- projects with money in (到位项目数): distinct projects with a record in the period whose
  domestic funds or actual foreign investment is above zero.
- per project: cumulative domestic funds in place and cumulative actual foreign investment (every
  record, whatever its month) and 到位率 = cumulative domestic funds in place ÷ total investment
  (both 万元; the US dollar amounts do not enter it; ``None`` when the total investment is 0).

Per chain and cluster a record counts for its project's chain; per town, for its project's town.

The figures of a period are read from the trigger-kept monthly rollup of the records (``ProjectFundsMonth``,
``funds_months_in``): a few thousand rows instead of the period's records (100,000 at 100,000 projects).
"""

from decimal import Decimal

from django.db import connections
from django.db.models import (
    Case,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.sql.constants import LOUTER
from django_cte import CTE, with_cte

from chains.choices import Town
from chains.models import Chain, Cluster
from pinghu import figure_cache

from .models import Project, ProjectFunds, ProjectFundsMonth
from .periods import Period

ZERO = Decimal("0")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=20, decimal_places=2)
RATE = DecimalField(max_digits=12, decimal_places=4)
FUNDS_MONEY_KEYS = ("funds_in_place", "foreign_paid_in")
# The name of with_funds(joined=True)'s table (a CTE) of per-project sums.
FUNDS_TOTALS = "funds_totals"


def _cents(row: dict) -> dict:
    """Round sums to the cent (SQLite sums decimals as floating point)."""
    for key in FUNDS_MONEY_KEYS:
        if row.get(key) is not None:
            row[key] = Decimal(str(row[key])).quantize(CENT)
    return row


def _of_period(rows: QuerySet, period: Period, chain: Chain | None, cluster: Cluster | None) -> QuerySet:
    """``rows`` (records or their monthly rollup) of the months of ``period``, of ``chain`` or ``cluster``: a
    record counts from the month of the period's first day to its last day; both keep the project's chain."""
    rows = rows.filter(month__range=(period.start.replace(day=1), period.end))
    # The record's copies of its project's chain and town (projects.triggers.previous_rows): no join.
    if chain is not None:
        rows = rows.filter(project_chain=chain)
    if cluster is not None:
        rows = rows.filter(project_chain__cluster=cluster)
    return rows


def funds_in(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> QuerySet:
    """The monthly records of ``period`` (of projects of ``chain`` or of any chain of ``cluster``)."""
    return _of_period(ProjectFunds.objects.all(), period, chain, cluster)


def funds_months_in(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> QuerySet:
    """The rollup rows (``ProjectFundsMonth``) of the months of ``funds_in(period, chain=…, cluster=…)``.

    The rows with records only: the triggers keep a row whose records have all gone (at zero).
    """
    return _of_period(ProjectFundsMonth.objects.filter(records__gt=0), period, chain, cluster)


def _funds_figures(period: Period | None = None) -> dict:
    """The funds aggregates over ``funds_months_in(period)``; without ``period``, the two sums only (what the
    targets read), which the records (``funds_in``) give too: the rollup names its sums as the records' fields.

    The projects with money in are counted as their first record with money in of the period: the one
    whose previous record with money in (``ProjectFunds.previous_funded_month``, kept by the database)
    is missing or before the period's first month. A project counts once, without a DISTINCT (which
    sorted every record of the period: 100–150 ms at 100,000 projects grouped by chain or town). The
    rollup counts those records per previous month (``NO_FUNDED_MONTH``, before any, when missing).
    """
    figures = {
        "funds_in_place": Coalesce(Sum("domestic_funds"), ZERO, output_field=MONEY),
        "foreign_paid_in": Coalesce(Sum("actual_foreign_investment"), ZERO, output_field=MONEY),
    }
    if period is not None:
        first = Q(previous_funded_month__lt=period.start.replace(day=1))
        figures["projects_with_funds"] = Coalesce(Sum("funded_records", filter=first), 0, output_field=IntegerField())
    return figures


EMPTY = {"funds_in_place": ZERO, "foreign_paid_in": ZERO, "projects_with_funds": 0}


def funds_summary(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """Domestic funds in place, actual foreign investment and projects with money in, in one query.

    The city's is kept for the other figures computed under the same data version (``figure_cache.shared_read``):
    the targets panel of the same year counts its two sums again (``city_funds_found``).
    """

    def read() -> dict:
        return _cents(funds_months_in(period, chain=chain, cluster=cluster).aggregate(**_funds_figures(period)))

    if chain is not None or cluster is not None:
        return read()
    return figure_cache.shared_read(_city_funds_name(period), read)


def _city_funds_name(period: Period) -> str:
    return f"projects:city-funds:{period.start}:{period.end}"


def city_funds_found(period: Period) -> dict | None:
    """The city's ``funds_summary`` of ``period`` if the computation running has already read it, else ``None``."""
    return figure_cache.shared_found(_city_funds_name(period))


def _grouped(period: Period, records: QuerySet, key: str) -> dict:
    rows = records.values(key).annotate(**_funds_figures(period)).order_by()
    return {row.pop(key): _cents(row) for row in rows}


def funds_by_chain(period: Period, *, cluster: Cluster | None = None) -> dict[int, dict]:
    """Chain id → the period's funds figures, chains without records left out, in one query."""
    return _grouped(period, funds_months_in(period, cluster=cluster), "project_chain")


def funds_total(by_chain: dict[int, dict]) -> dict:
    """The figures of ``funds_by_chain`` added up: ``funds_summary`` of the same filter (a project has one chain)."""
    return {key: sum((figures[key] for figures in by_chain.values()), EMPTY[key]) for key in EMPTY}


def funds_by_cluster(period: Period) -> dict[int, dict]:
    """Cluster id → the period's funds figures, clusters without records left out, in one query."""
    return _grouped(period, funds_months_in(period), "project_chain__cluster")


def funds_by_town(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """One row per town (zero rows included, in the list's order), then projects with no town if any; one query."""
    found = _grouped(period, funds_months_in(period, chain=chain, cluster=cluster), "project_town")
    rows = [{"town": town.value, "label": str(town.label), **found.pop(town.value, EMPTY)} for town in Town]
    if "" in found:
        rows.append({"town": "", "label": "", **found.pop("")})
    return rows


def _project_sum(field: str) -> Subquery:
    sums = (
        ProjectFunds.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(sums, output_field=MONEY), ZERO, output_field=MONEY)


def with_funds(projects: QuerySet | None = None, *, joined: bool = False) -> QuerySet:
    """Projects annotated with ``funds_in_place`` (万元), ``foreign_paid_in`` (万美元) and ``funds_rate`` (到位率).

    Each a correlated subquery, so a page of 50 projects costs one query whatever the number of records.
    ``joined``, for a read of many projects (an export) on PostgreSQL: the same sums from one grouped pass
    over the records, LEFT JOINed as a common table expression (django-cte; a 100,000-project export ran
    three index scans per project). Elsewhere (SQLite, whose sums of decimals are floating point, hence
    order-dependent) ``joined`` keeps the subqueries. The joined form is read as the outer query, filtered
    with Q objects: django-cte does not rename its columns when the queryset is or'ed with another or put
    inside another query.
    """
    projects = Project.objects.all() if projects is None else projects
    if joined and connections[projects.db].vendor == "postgresql":
        totals = CTE(
            ProjectFunds.objects.order_by()
            .values("project_id")
            .annotate(domestic=Sum("domestic_funds"), foreign=Sum("actual_foreign_investment")),
            name=FUNDS_TOTALS,
        )
        # A LEFT JOIN: projects without records keep their row (and read zero below).
        projects = with_cte(totals, select=totals.join(projects, pk=totals.col.project_id, _join_type=LOUTER))
        domestic, foreign = (
            Coalesce(column, ZERO, output_field=MONEY) for column in (totals.col.domestic, totals.col.foreign)
        )
    else:
        domestic, foreign = _project_sum("domestic_funds"), _project_sum("actual_foreign_investment")
    return projects.annotate(funds_in_place=domestic, foreign_paid_in=foreign).annotate(
        funds_rate=Case(
            When(
                total_investment__gt=0,
                # The quotient rounded to four places, as a decimal on both databases (SQLite would
                # divide integers stored without their decimals as integers).
                then=Cast(Cast(F("funds_in_place"), FloatField()) / F("total_investment"), RATE),
            ),
            default=None,
            output_field=RATE,
        )
    )


def project_funds_months(project: Project) -> QuerySet:
    """A project's monthly records in month order, each with the running totals to its month (a window, one query)."""
    running = {"order_by": [F("month").asc()], "partition_by": [F("project")]}
    return (
        ProjectFunds.objects.filter(project=project)
        .select_related("entered_by")
        .annotate(
            cumulative_domestic=Window(Sum("domestic_funds"), **running),
            cumulative_foreign=Window(Sum("actual_foreign_investment"), **running),
        )
        .order_by("month")
    )
