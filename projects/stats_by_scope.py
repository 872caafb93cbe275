"""The statistics of ``projects`` grouped by scope (cluster, chain, town, responsible unit) or by month.

For the targets above this app (issue 17): the actuals of every target of a year, whatever their
number, in a few grouped queries. Nothing is defined here a second time: each function groups the
aggregates and conditions of the module that defines the figure:

- ``bands_by``: the signed figures and each size band's projects and investment (``projects.signed_groups``,
  ``projects.bands``), for the reports; ``counted_bands_by``: signed projects and investment, and the
  projects of each band a target counts, for the targets;
- ``funds_by``: domestic funds in place and actual foreign investment (``projects.funds_stats``);
- ``milestones_by``: projects whose start (开工) or production (投产) date falls in the period, by the
  dates that mark those milestones (``projects.milestone_stats.MILESTONE_REACHED``);
- ``visits_by``: visits and Saturday person-times (``projects.stats._visit_figures``).

A scope is named by its kind: ``"city"`` (no grouping), ``"cluster"``, ``"chain"``, ``"town"`` or
``"unit"``; a project's town is ``Project.town``, its unit the record ``Project.responsible_unit`` (a
funds record counts for its project's), a visit's unit is its host unit (``InvestmentVisit.host_unit``).
Visits have no town (they go to firms elsewhere), so ``visits_by(by="town")`` raises ``ValueError``.

``<source>_by_kinds(period, kinds)`` gives ``<source>_by(period, kind)`` for several kinds at once,
``{kind: {group value: {figure: value}}}``, from one grouped read of the rows at the finest grain of
those kinds (each kind's groups are sums of those: a row lies in one group of each kind), so a year's
targets of every scope scan the period's projects or funds records once (visits: one read per kind).

Every function returns ``{group value: {figure: value}}``: the cluster or chain id, the town code,
the unit's id, or ``None`` for the city (and for rows without a unit). ``only`` keeps the listed values
of the scope (ids or codes); ``monthly=True`` groups by month instead (first day of the
month as the key), over the scopes ``only`` keeps. Groups without rows are left out.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from chains.models import Cluster

from .bands import BANDS, signed_years
from .funds_stats import _funds_figures, city_funds_found, funds_in, funds_months_in
from .milestone_stats import MILESTONE_REACHED
from .models import InvestmentVisit, Project, VisitDay, VisitDayChain
from .periods import Period
from .signed_groups import CENT, MONEY, ZERO, signed_groups, signed_groups_by_chain
from .stats import _visit_figures
from .stats_monthly import city_visit_totals_found

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
# The size bands a target can count (projects.bands; targets.metrics checks its metrics against it).
COUNTED_BANDS = ("cny_100m", "cny_1bn", "usd_100m")


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


def _folded(queryset: QuerySet, fields: dict, aggregates: dict, *, city: dict | None = None) -> dict:
    """Per kind of ``fields`` (kind → the field grouping it, ``None`` for the city): ``{group value: figures}``.

    One grouped read over every field at once (the finest grain: a few hundred groups), then each
    kind's groups added up from those: a row lies in exactly one group of each kind, so a kind's
    counts and sums are the sums of the finest groups' (exact: decimals, rounded to the cent after).
    The scans of the rows happen once instead of once per kind. Groups without rows are left out;
    ``city``, if given, is the city's figures when there is no row (the funds and milestones keep it).
    """
    columns = sorted({field for field in fields.values() if field})
    if columns:
        rows = list(queryset.values(*columns).annotate(**aggregates).order_by())
    else:  # the city alone: one row, none when it counts no row
        total = queryset.aggregate(_rows=Count("pk"), **aggregates)
        rows = [total] if total.pop("_rows") else []
    result: dict = {kind: {} for kind in fields}
    for row in rows:
        for kind, field in fields.items():
            key = _month(row[field]) if field else None
            figures = result[kind].get(key)
            if figures is None:
                result[kind][key] = {name: row[name] for name in aggregates}
            else:
                for name in aggregates:
                    figures[name] += row[name]
    for kind, groups in result.items():
        for figures in groups.values():
            for name, value in figures.items():
                if isinstance(value, Decimal):  # SQLite sums decimals as floating point
                    figures[name] = value.quantize(CENT)
        if city is not None and fields[kind] is None and not groups:
            groups[None] = dict(city)
    return result


def _project_field(by: str, prefix: str = "") -> str | None:
    if by not in SCOPE_KINDS:
        raise ValueError(by)
    field = PROJECT_SCOPE[by]
    return f"{prefix}{field}" if field else None


def _project_fields(kinds, prefix: str = "") -> dict:
    return {kind: _project_field(kind, prefix) for kind in kinds}


def _one_kind(by: str, grouped: bool) -> dict:
    """``_folded``'s fields for a read of one kind, grouped by ``_scoped``'s ``_group`` (or the city)."""
    return {by: "_group" if grouped else None}


def _band_aggregates(period: Period) -> dict:
    """``signed_projects``, ``signed_investment`` (万元) and ``<band>__projects`` of each band a target counts.

    The figures ``projects.signed_groups`` gives, with each band's condition (``projects.bands``) as
    the filter of its count: one row per group instead of one per group and combination of flags
    (thousands at the finest grain of ``_folded``). Only what the targets read: each filtered
    aggregate is evaluated on every signed project of the period (all the bands' counts and sums
    took 2.5 times as long as these five).
    """
    signed_in = signed_years(period.start, period.end)
    aggregates = {
        "signed_projects": Count("pk"),
        "signed_investment": Coalesce(Sum("total_investment"), ZERO, output_field=MONEY),
    }
    for band in BANDS:
        if band.key in COUNTED_BANDS:
            aggregates[f"{band.key}__projects"] = Count("pk", filter=band.condition(signed_in=signed_in))
    return aggregates


def _signed_in(period: Period) -> QuerySet:
    return Project.objects.filter(signed_date__range=(period.start, period.end))


def bands_by(period: Period, by: str, *, only=None, monthly: bool = False) -> dict:
    """Per group, the signed figures of ``projects.signed_groups`` (``signed_projects``, ``signed_investment`` in
    万元, …) and ``{"<band>__projects": n, "<band>__investment": amount}`` of the projects signed in the period
    (the reports' figures; the targets read fewer: ``counted_bands_by``)."""
    queryset, grouped = _scoped(
        _signed_in(period), _project_field(by), only=only, month_of="signed_date" if monthly else None
    )
    figures = signed_groups(queryset, "_group" if grouped else None, signed_in=signed_years(period.start, period.end))
    return {_month(key): row for key, row in figures.items()}


def counted_bands_by(period: Period, by: str, *, only=None, monthly: bool = False) -> dict:
    """Per group, signed projects and signed investment (万元) of the period, and ``{"<band>__projects": n}`` of
    the bands a target counts (``_band_aggregates``): what the targets read of ``bands_by``, in less time."""
    queryset, grouped = _scoped(
        _signed_in(period), _project_field(by), only=only, month_of="signed_date" if monthly else None
    )
    return _folded(queryset, _one_kind(by, grouped), _band_aggregates(period))[by]


def bands_by_kinds(period: Period, kinds) -> dict:
    """``counted_bands_by(period, kind)`` for each of ``kinds`` (kind → groups), in one query.

    The city's and the chains' figures come from the period's signed projects per chain when the computation
    running has already read them (``signed_groups.signed_groups_by_chain``: the dashboard's, for the targets
    panel of the same year): no query then.
    """
    if set(kinds) <= {"city", "chain"}:
        groups = signed_groups_by_chain(period, if_read=True)
        if groups is not None:
            return _counted_of_chain_groups(groups, kinds, list(_band_aggregates(period)))
    return _folded(_signed_in(period), _project_fields(kinds), _band_aggregates(period))


def _counted_of_chain_groups(groups: dict, kinds, names: list[str]) -> dict:
    """``bands_by_kinds``'s city and chain figures (``names``) from ``signed_groups`` per chain id.

    A project has one chain, so the city's figures are the chains' sums (exact: the amounts are decimals to
    the cent); as ``_folded``'s, the groups without rows are left out.
    """
    chains = {pk: {name: figures[name] for name in names} for pk, figures in groups.items()}
    result: dict = {}
    for kind in kinds:
        if kind == "chain":
            result[kind] = chains
        elif chains:
            rows = list(chains.values())
            result[kind] = {None: {name: sum((row[name] for row in rows[1:]), rows[0][name]) for name in names}}
        else:
            result[kind] = {}
    return result


def _funds_fields(kinds) -> dict:
    # A record's copies of its project's chain and town (projects.triggers.previous_rows): no join for those.
    return {kind: FUNDS_SCOPE.get(kind) or _project_field(kind, "project__") for kind in kinds}


def _funds_rows(period: Period, fields: dict) -> QuerySet:
    """The rows to sum for ``fields``: the monthly rollup (``ProjectFundsMonth``, keyed by the records' copies of
    their project's chain and town), or the period's records when a kind groups by a field of the project
    the records do not copy (its responsible unit)."""
    if all(field is None or field in FUNDS_SCOPE.values() for field in fields.values()):
        return funds_months_in(period)
    return funds_in(period)


NO_FUNDS = {"funds_in_place": ZERO.quantize(CENT), "foreign_paid_in": ZERO.quantize(CENT)}


def funds_by(period: Period, by: str, *, only=None, monthly: bool = False) -> dict:
    """Domestic funds in place (``funds_in_place``, 万元), actual foreign investment (``foreign_paid_in``, 万美元)."""
    fields = _funds_fields([by])
    queryset, grouped = _scoped(
        _funds_rows(period, fields), fields[by], only=only, month_of="month" if monthly else None
    )
    # The targets read the two sums only (_funds_figures without a period).
    return _folded(queryset, _one_kind(by, grouped), _funds_figures(), city=NO_FUNDS)[by]


def funds_by_kinds(period: Period, kinds) -> dict:
    """``funds_by(period, kind)`` for each of ``kinds`` (kind → groups), in one query.

    The city's alone comes from the city's ``funds_summary`` of the period when the computation running has
    already read it (the dashboard's, for the targets panel of the same year): no query then.
    """
    if set(kinds) == {"city"}:
        found = city_funds_found(period)
        if found is not None:
            return {"city": {None: {name: found[name] for name in _funds_figures()}}}
    fields = _funds_fields(kinds)
    return _folded(_funds_rows(period, fields), fields, _funds_figures(), city=NO_FUNDS)


def _milestones(read) -> dict:
    """``read(name, date field)`` gives ``_folded``'s result for one milestone: merged, each group with both counts."""
    result: dict = {}
    for name in COUNTED_MILESTONES:
        for kind, groups in read(name, MILESTONE_REACHED[name]).items():
            for key, row in groups.items():
                empty = {f"{other}_projects": 0 for other in COUNTED_MILESTONES}
                result.setdefault(kind, {}).setdefault(key, empty).update(row)
    return result


def milestones_by(period: Period, by: str, *, only=None, monthly: bool = False) -> dict:
    """``started_projects`` (construction start date in the period) and ``in_production_projects`` (production
    start date in the period), in two queries."""

    def read(name: str, field: str) -> dict:
        queryset, grouped = _scoped(
            Project.objects.filter(**{f"{field}__range": (period.start, period.end)}),
            _project_field(by),
            only=only,
            month_of=field if monthly else None,
        )
        figure = f"{name}_projects"
        return _folded(queryset, _one_kind(by, grouped), {figure: Count("pk")}, city={figure: 0})

    return _milestones(read).get(by, {})


def milestones_by_kinds(period: Period, kinds) -> dict:
    """``milestones_by(period, kind)`` for each of ``kinds`` (kind → groups), in two queries."""
    fields = _project_fields(kinds)

    def read(name: str, field: str) -> dict:
        queryset = Project.objects.filter(**{f"{field}__range": (period.start, period.end)})
        figure = f"{name}_projects"
        return _folded(queryset, fields, {figure: Count("pk")}, city={figure: 0})

    found = _milestones(read)
    return {kind: found.get(kind, {}) for kind in kinds}


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


def visits_by_kinds(period: Period, kinds) -> dict:
    """``visits_by(period, kind)`` for each of ``kinds`` (kind → groups), one query each: the city, the
    chains, the clusters and the units read different rows (daily rollups, links, visits).

    The city's come from the city's monthly visit rows of the period when the computation running has already
    read them (``stats_monthly.visit_months``: the dashboard's, for the targets panel of the same year).
    """
    result = {}
    for kind in kinds:
        found = city_visit_totals_found(period) if kind == "city" else None
        result[kind] = (
            visits_by(period, kind) if found is None else {None: {name: found[name] for name in VISIT_FIGURES}}
        )
    return result
