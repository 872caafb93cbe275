"""Statistics the city reports upward, defined once (DOMAIN.md, "Statistics, defined once").

Every function takes a :class:`Period` (start and end dates, both inclusive) and optionally a
chain or a cluster, and runs aggregated queries in the database: no Python loop over rows.

Definitions:
- visits: investment visits dated in the period.
- person-times (人次): the sum over those visits of the number of leaders on each visit.
- Saturday person-times: the same over visits dated on a Saturday.
- projects engaged (对接项目): distinct projects linked to those visits (with a chain or cluster
  filter, only the linked projects of that chain or cluster).
- signed projects: projects whose signed date falls in the period; their investment is the sum
  of ``total_investment`` (万元), their foreign investment the sum of ``foreign_investment`` (万美元).
- major projects: signed projects that meet ``major_project_condition``.
- 开工率 (contract-to-start rate): signed projects in the period that have a construction start
  date (by the time of asking), divided by the signed projects in the period.
- conversion lead → signed: of the projects first contacted in the period, the share that has a
  signed date.
- pipeline: each project's stage as of the period's end, from its stage-change history.

A chain filter keeps visits concerned with that chain and projects of that chain; a cluster
filter does the same for any chain of the cluster.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from chains.models import Chain, Cluster

from .choices import ProjectStage
from .models import InvestmentVisit, Project, ProjectStageChange, major_project_condition

ZERO = Decimal("0")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=20, decimal_places=2)
MONEY_KEYS = ("signed_investment", "signed_foreign_investment", "investment")


def _cents(row: dict) -> dict:
    """Round summed amounts to the cent. PostgreSQL sums numerics exactly; SQLite sums them as floating
    point, which can leave a trace in the last of its 15 digits (874091390.990001 for …0.99)."""
    for key in MONEY_KEYS:
        if key in row and row[key] is not None:
            row[key] = Decimal(row[key]).quantize(CENT)
    return row


@dataclass(frozen=True)
class Period:
    """A closed date range [start, end]."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("Period start must not be after its end.")

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, in order."""
        month = self.start.replace(day=1)
        result = []
        while month <= self.end:
            result.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return result


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    """A ratio rounded to four places, or ``None`` when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def _days(value: datetime.timedelta | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


def visits_in(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> QuerySet:
    """Visits dated in ``period``, concerned with ``chain`` or any chain of ``cluster``."""
    visits = InvestmentVisit.objects.filter(date__range=(period.start, period.end))
    if chain is not None or cluster is not None:
        concerned = InvestmentVisit.chains.through.objects.filter(investmentvisit=OuterRef("pk"))
        concerned = concerned.filter(chain=chain) if chain is not None else concerned.filter(chain__cluster=cluster)
        visits = visits.filter(Exists(concerned))
    return visits


def projects_of(*, chain: Chain | None = None, cluster: Cluster | None = None) -> QuerySet:
    """Projects of ``chain`` or of any chain of ``cluster`` (all projects if neither)."""
    projects = Project.objects.all()
    if chain is not None:
        projects = projects.filter(chain=chain)
    if cluster is not None:
        projects = projects.filter(chain__cluster=cluster)
    return projects


def _engaged_filter(prefix: str, chain: Chain | None, cluster: Cluster | None) -> Q | None:
    """Limit engaged projects to those of the chain or cluster asked for."""
    if chain is not None:
        return Q(**{f"{prefix}project_links__project__chain": chain})
    if cluster is not None:
        return Q(**{f"{prefix}project_links__project__chain__cluster": cluster})
    return None


def visit_summary(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """Visits, Saturday visits, person-times, Saturday person-times and projects engaged, in two queries.

    Person-times sum each visit's ``leader_count`` (kept by the database from its leader rows), so
    the visits are read once without joining the links; projects engaged need the project links, in
    a second query, since that join repeats a visit once per linked project.
    """
    visits = visits_in(period, chain=chain, cluster=cluster)
    result = visits.aggregate(
        visits=Count("pk"),
        saturday_visits=Count("pk", filter=Q(is_saturday=True)),
        person_times=Coalesce(Sum("leader_count"), 0),
        saturday_person_times=Coalesce(Sum("leader_count", filter=Q(is_saturday=True)), 0),
    )
    result |= visits.aggregate(
        projects_engaged=Count("project_links__project", distinct=True, filter=_engaged_filter("", chain, cluster))
    )
    return result


def _signed_aggregates(prefix: str = "", signed: Q | None = None) -> dict:
    """Aggregates over signed projects reached through ``prefix``.

    On a project queryset pass the period condition as ``signed``; through a relation, pass the
    prefix of a ``FilteredRelation`` that already holds only the projects signed in the period
    (the join then carries the date condition, so no row is counted twice and no DISTINCT is needed).
    """
    conditions = {
        "signed_projects": Q(),
        "major_projects": major_project_condition(prefix),
        "started_projects": Q(**{f"{prefix}construction_date__isnull": False}),
    }
    if signed is not None:
        conditions = {name: signed & condition for name, condition in conditions.items()}
    counts = {name: Count(f"{prefix}id", filter=condition or None) for name, condition in conditions.items()}
    return {
        **counts,
        "signed_investment": Coalesce(Sum(f"{prefix}total_investment", filter=signed), ZERO, output_field=MONEY),
        "signed_foreign_investment": Coalesce(
            Sum(f"{prefix}foreign_investment", filter=signed), ZERO, output_field=MONEY
        ),
    }


def _signed_in(period: Period, relation: str) -> FilteredRelation:
    return FilteredRelation(relation, condition=Q(**{f"{relation}__signed_date__range": (period.start, period.end)}))


def signed_summary(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """Signed projects, their investment and foreign investment, major projects and 开工率, in one query."""
    signed = Q(signed_date__range=(period.start, period.end))
    result = projects_of(chain=chain, cluster=cluster).aggregate(**_signed_aggregates(signed=signed))
    result["start_rate"] = _ratio(result["started_projects"], result["signed_projects"])
    return _cents(result)


def summary(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """The dashboard's headline figures: visit figures, signing figures and lead → signed conversion."""
    return {
        **visit_summary(period, chain=chain, cluster=cluster),
        **signed_summary(period, chain=chain, cluster=cluster),
        **conversion(period, chain=chain, cluster=cluster),
    }


def signed_by_chain(period: Period, *, cluster: Cluster | None = None) -> list[dict]:
    """Signed figures for every chain (zero rows included), in chain order, in one query."""
    chains = Chain.objects.select_related("cluster").order_by("cluster__sort_order", "sort_order", "code")
    if cluster is not None:
        chains = chains.filter(cluster=cluster)
    rows = (
        chains.annotate(signed_in_period=_signed_in(period, "projects"))
        .values("pk", "code", "name", "cluster__code", "cluster__name")
        .annotate(**_signed_aggregates("signed_in_period__"))
    )
    return [_with_start_rate(row) for row in rows]


def signed_by_cluster(period: Period) -> list[dict]:
    """Signed figures for every cluster (zero rows included), in cluster order, in one query."""
    rows = (
        Cluster.objects.order_by("sort_order", "code")
        .annotate(signed_in_period=_signed_in(period, "chains__projects"))
        .values("pk", "code", "name")
        .annotate(**_signed_aggregates("signed_in_period__"))
    )
    return [_with_start_rate(row) for row in rows]


def _with_start_rate(row: dict) -> dict:
    row["start_rate"] = _ratio(row["started_projects"], row["signed_projects"])
    return _cents(row)


def visits_by_chain(period: Period, *, cluster: Cluster | None = None) -> list[dict]:
    """Visits, person-times and projects engaged per chain concerned (zero rows included), in two queries."""
    chains = Chain.objects.order_by("cluster__sort_order", "sort_order", "code")
    if cluster is not None:
        chains = chains.filter(cluster=cluster)
    in_period = Q(visits__date__range=(period.start, period.end))
    rows = list(
        chains.values("pk", "code").annotate(
            # Named apart from the "visits" relation, which the sums traverse.
            visit_count=Count("visits", filter=in_period),
            person_times=Coalesce(Sum("visits__leader_count", filter=in_period), 0),
            saturday_person_times=Coalesce(
                Sum("visits__leader_count", filter=in_period & Q(visits__is_saturday=True)), 0
            ),
        )
    )
    engaged = dict(
        chains.values_list("pk").annotate(
            n=Count(
                "visits__project_links__project",
                filter=in_period & Q(visits__project_links__project__chain=F("pk")),
                distinct=True,
            )
        )
    )
    for row in rows:
        row["visits"] = row.pop("visit_count")
        row["projects_engaged"] = engaged[row["pk"]]
    return rows


def pipeline(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Projects and their total investment by stage as of the period's end, every stage listed, in one query.

    A period ending today or later reads each project's current stage (no stage change can be dated
    in the future, so it is the stage as of the end); an earlier end reads the stage history.
    """
    if period.end >= timezone.localdate():
        rows = (
            projects_of(chain=chain, cluster=cluster)
            .values(stage_then=F("stage"))
            .annotate(projects=Count("pk"), investment=Coalesce(Sum("total_investment"), ZERO, output_field=MONEY))
            .order_by()
        )
        return _pipeline_rows(rows)
    stage_then = Subquery(
        ProjectStageChange.objects.filter(project=OuterRef("pk"), at__lte=period.end)
        .order_by("-at", "-pk")
        .values("to_stage")[:1]
    )
    rows = (
        projects_of(chain=chain, cluster=cluster)
        .annotate(stage_then=stage_then)
        .filter(stage_then__isnull=False)
        .values("stage_then")
        .annotate(projects=Count("pk"), investment=Coalesce(Sum("total_investment"), ZERO, output_field=MONEY))
        .order_by()
    )
    return _pipeline_rows(rows)


def _pipeline_rows(rows) -> list[dict]:
    found = {row["stage_then"]: _cents(row) for row in rows}
    return [
        {
            "stage": stage.value,
            "label": str(stage.label),
            "projects": found.get(stage.value, {}).get("projects", 0),
            "investment": found.get(stage.value, {}).get("investment", ZERO),
        }
        for stage in ProjectStage
    ]


def conversion(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """Of the projects first contacted in the period, how many have signed (lead → signed), in one query."""
    result = (
        projects_of(chain=chain, cluster=cluster)
        .filter(first_contact_date__range=(period.start, period.end))
        .aggregate(
            contacted_projects=Count("pk"),
            converted_projects=Count("pk", filter=Q(signed_date__isnull=False)),
        )
    )
    result["conversion_rate"] = _ratio(result["converted_projects"], result["contacted_projects"])
    return result


STAGE_INTERVALS = [
    ("contact_to_signed", "first_contact_date", "signed_date"),
    ("signed_to_registered", "signed_date", "registered_date"),
    ("registered_to_construction", "registered_date", "construction_date"),
    ("construction_to_production", "construction_date", "production_date"),
]


def stage_durations(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """Average days between consecutive stage dates, over projects signed in the period, in one query.

    Each average uses only the projects that have both dates; ``None`` when none has.
    """
    averages = (
        projects_of(chain=chain, cluster=cluster)
        .filter(signed_date__range=(period.start, period.end))
        .aggregate(
            **{
                name: Avg(ExpressionWrapper(F(later) - F(earlier), output_field=DurationField()))
                for name, earlier, later in STAGE_INTERVALS
            }
        )
    )
    return {f"{name}_days": _days(value) for name, value in averages.items()}


def monthly(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Per month of the period: visits, person-times, Saturday person-times, signed projects and investment.

    Two grouped queries (visits by month, signings by month); months with nothing are listed with zeros.
    """
    visit_rows = (
        visits_in(period, chain=chain, cluster=cluster)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            visits=Count("pk"),
            person_times=Coalesce(Sum("leader_count"), 0),
            saturday_person_times=Coalesce(Sum("leader_count", filter=Q(is_saturday=True)), 0),
        )
        .order_by()
    )
    signed_rows = (
        projects_of(chain=chain, cluster=cluster)
        .filter(signed_date__range=(period.start, period.end))
        .annotate(month=TruncMonth("signed_date"))
        .values("month")
        .annotate(
            signed_projects=Count("pk"), signed_investment=Coalesce(Sum("total_investment"), ZERO, output_field=MONEY)
        )
        .order_by()
    )
    visits_by_month = {_month(row["month"]): row for row in visit_rows}
    signed_by_month = {_month(row["month"]): _cents(row) for row in signed_rows}
    series = []
    for month in period.months():
        visit_row = visits_by_month.get(month, {})
        signed_row = signed_by_month.get(month, {})
        series.append(
            {
                "month": month,
                "visits": visit_row.get("visits", 0),
                "person_times": visit_row.get("person_times", 0),
                "saturday_person_times": visit_row.get("saturday_person_times", 0),
                "signed_projects": signed_row.get("signed_projects", 0),
                "signed_investment": signed_row.get("signed_investment", ZERO),
            }
        )
    return series


def _month(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
