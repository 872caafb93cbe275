"""The statistics of ``projects`` grouped by scope (cluster, chain, town, responsible unit) or by month.

For the targets above this app (issue 17): the actuals of every target of a year, whatever their
number, in a few grouped queries. Nothing is defined here a second time: each function groups the
aggregates and conditions of the module that defines the figure:

- ``bands_by``: signed projects and signed investment, and signed projects per size band
  (``projects.signed_groups``, ``projects.bands``);
- ``funds_by``: domestic funds in place and actual foreign investment (``projects.funds_stats``);
- ``milestones_by``: projects whose start (开工) or production (投产) date falls in the period, by the
  dates that mark those milestones (``projects.milestone_stats.MILESTONE_REACHED``);
- ``visits_by``: visits and Saturday person-times (``projects.stats._visit_figures``).

A scope is named by its kind: ``"city"`` (no grouping), ``"cluster"``, ``"chain"``, ``"town"`` or
``"unit"``; a project's town is ``Project.town``, its unit the record ``Project.responsible_unit`` (a
funds record counts for its project's), a visit's unit is its host unit (``InvestmentVisit.host_unit``).
Visits have no town (they go to firms elsewhere), so ``visits_by(by="town")`` raises ``ValueError``.

Every function returns ``{group value: {figure: value}}``: the cluster or chain id, the town code,
the unit's id, or ``None`` for the city (and for rows without a unit). ``only`` keeps the listed values
of the scope (ids or codes); ``monthly=True`` groups by month instead (first day of the
month as the key), over the scopes ``only`` keeps. Groups without rows are left out.
"""

import datetime

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth

from chains.models import Cluster

from .bands import signed_years
from .funds_stats import _cents as _funds_cents
from .funds_stats import _funds_figures, funds_in
from .milestone_stats import MILESTONE_REACHED
from .models import InvestmentVisit, Project, VisitDay, VisitDayChain
from .periods import Period
from .signed_groups import signed_groups
from .stats import _visit_figures

SCOPE_KINDS = ("city", "cluster", "chain", "town", "unit")
# The field of a project that places it in a scope of each kind.
PROJECT_SCOPE = {
    "city": None,
    "cluster": "chain__cluster",
    "chain": "chain",
    "town": "town",
    "unit": "responsible_unit",
}
FUNDS_SCOPE = {"cluster": "project_chain__cluster", "chain": "project_chain", "town": "project_town"}
# The milestones a target can count, by the date that marks each (projects.milestone_stats).
COUNTED_MILESTONES = ("started", "in_production")


def _month(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _scoped(queryset: QuerySet, field: str | None, *, only, month_of: str | None) -> tuple[QuerySet, bool]:
    """``queryset`` kept to ``only`` (values of ``field``) and annotated with ``_group``; whether it is grouped."""
    if only is not None and field is not None:
        queryset = queryset.filter(**{f"{field}__in": list(only)})
    if month_of is not None:
        return queryset.annotate(_group=TruncMonth(month_of)), True
    if field is not None:
        return queryset.annotate(_group=F(field)), True
    return queryset, False


def _rows(queryset: QuerySet, grouped: bool, aggregates: dict) -> dict:
    if not grouped:
        return {None: queryset.aggregate(**aggregates)}
    rows = queryset.values("_group").annotate(**aggregates).order_by()
    return {_month(row.pop("_group")): row for row in rows}


def _project_field(by: str, prefix: str = "") -> str | None:
    if by not in SCOPE_KINDS:
        raise ValueError(by)
    field = PROJECT_SCOPE[by]
    return f"{prefix}{field}" if field else None


def bands_by(period: Period, by: str, *, only=None, monthly: bool = False) -> dict:
    """Per group, the signed figures of ``projects.signed_groups`` (``signed_projects``, ``signed_investment`` in
    万元, …) and ``{"<band>__projects": n, "<band>__investment": amount}`` of the projects signed in the period."""
    queryset, grouped = _scoped(
        Project.objects.filter(signed_date__range=(period.start, period.end)),
        _project_field(by),
        only=only,
        month_of="signed_date" if monthly else None,
    )
    figures = signed_groups(queryset, "_group" if grouped else None, signed_in=signed_years(period.start, period.end))
    return {_month(key): row for key, row in figures.items()}


def funds_by(period: Period, by: str, *, only=None, monthly: bool = False) -> dict:
    """Domestic funds in place (``funds_in_place``, 万元), actual foreign investment (``foreign_paid_in``, 万美元)."""
    # A record's copies of its project's chain and town (projects.triggers.previous_rows): no join for those.
    field = FUNDS_SCOPE.get(by) or _project_field(by, "project__")
    queryset, grouped = _scoped(funds_in(period), field, only=only, month_of="month" if monthly else None)
    figures = _funds_figures()  # the targets read the two sums only
    return {key: _funds_cents(row) for key, row in _rows(queryset, grouped, figures).items()}


def milestones_by(period: Period, by: str, *, only=None, monthly: bool = False) -> dict:
    """``started_projects`` (construction start date in the period) and ``in_production_projects`` (production
    start date in the period), in two queries."""
    result: dict = {}
    for name in COUNTED_MILESTONES:
        field = MILESTONE_REACHED[name]
        queryset, grouped = _scoped(
            Project.objects.filter(**{f"{field}__range": (period.start, period.end)}),
            _project_field(by),
            only=only,
            month_of=field if monthly else None,
        )
        for key, row in _rows(queryset, grouped, {f"{name}_projects": Count("pk")}).items():
            result.setdefault(key, {f"{other}_projects": 0 for other in COUNTED_MILESTONES}).update(row)
    return result


VISIT_FIGURES = ("visits", "saturday_person_times")


def _visit_aggregates(*, rollup: bool) -> dict:
    figures = _visit_figures(rollup=rollup)
    return {key: figures[key] for key in VISIT_FIGURES}


def _concerning_cluster(**condition) -> Exists:
    """A visit concerns a chain of the cluster(s) ``condition`` names: it counts once, however many chains."""
    through = InvestmentVisit.chains.through.objects.filter(investmentvisit=OuterRef("pk"))
    return Exists(through.filter(**{f"chain__{key}": value for key, value in condition.items()}))


def _total(queryset: QuerySet, function: str, field: str) -> Coalesce:
    """``COUNT`` or ``SUM`` of ``field`` over ``queryset`` as a scalar subquery (0 when it has no rows)."""
    value = queryset.order_by().annotate(_total=Func(F(field), function=function, output_field=IntegerField()))
    return Coalesce(Subquery(value.values("_total")[:1], output_field=IntegerField()), Value(0))


def _visits_by_cluster(period: Period, only) -> dict:
    """Per cluster, its visits and Saturday person-times, each visit once, in one query."""
    visits = InvestmentVisit.objects.filter(
        _concerning_cluster(cluster=OuterRef(OuterRef("pk"))), date__range=(period.start, period.end)
    )
    clusters = Cluster.objects.order_by()
    if only is not None:
        clusters = clusters.filter(pk__in=list(only))
    rows = clusters.annotate(
        visits=_total(visits, "COUNT", "pk"),
        saturday_person_times=_total(visits.filter(is_saturday=True), "SUM", "leader_count"),
    ).values("pk", *VISIT_FIGURES)
    return {row.pop("pk"): row for row in rows if row["visits"]}


def visits_by(period: Period, by: str, *, only=None, monthly: bool = False) -> dict:
    """Visits (``visits``) and Saturday person-times (``saturday_person_times``), one query.

    The city and chains read the daily rollups (a visit counts once for each chain it concerns); a
    cluster counts each visit once; a unit is the host unit of the visit.
    """
    span = (period.start, period.end)
    month_of = "date" if monthly else None
    if by == "town":
        raise ValueError("visits have no town")
    if by == "cluster":
        if not monthly:
            return _visits_by_cluster(period, only)
        visits = InvestmentVisit.objects.filter(date__range=span)
        if only is not None:
            visits = visits.filter(_concerning_cluster(cluster__in=list(only)))
        queryset, grouped = _scoped(visits, None, only=None, month_of=month_of)
        return _rows(queryset, grouped, _visit_aggregates(rollup=False))
    if by == "unit":
        queryset, grouped = _scoped(
            InvestmentVisit.objects.filter(date__range=span), "host_unit", only=only, month_of=month_of
        )
        return _rows(queryset, grouped, _visit_aggregates(rollup=False))
    if by == "chain":
        queryset, grouped = _scoped(
            VisitDayChain.objects.filter(date__range=span), "chain", only=only, month_of=month_of
        )
    elif by == "city":
        queryset, grouped = _scoped(VisitDay.objects.filter(date__range=span), None, only=None, month_of=month_of)
    else:
        raise ValueError(by)
    return _rows(queryset, grouped, _visit_aggregates(rollup=True))
