"""The actuals of targets as of a day, month by month, and the rows behind them, by the metrics' sources.

``actuals(targets, as_of)`` reads every source once per period for all the scope kinds it is asked
for (one grouped query, two for milestones; visits one per kind), and chain output once per scope
kind and years, whatever the number of targets and of rows: targets of one year share their period.
A unit target counts the rows of its unit record (the sources group by the foreign key); a unit target
whose unit is still a name to map (``Target.unit_text``) counts nothing until the bureau maps it.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from chains.models import EnterpriseAnnualMetric, EnterpriseChainRole
from projects.bands import BANDS
from projects.funds_stats import funds_in
from projects.milestone_stats import MILESTONE_REACHED
from projects.models import InvestmentVisit, Project
from projects.periods import Period
from projects.stats import visits_in

from .choices import ScopeKind
from .metrics import METRICS, ZERO, as_decimal, output_rows, source_rows, source_rows_by_kinds
from .models import Target

MILESTONE_OF_FIGURE = {f"{name}_projects": name for name in MILESTONE_REACHED}


def target_period(target: Target, as_of: datetime.date) -> Period | None:
    """1 January of the first year to the as-of day or 31 December of the last year; ``None`` before it starts."""
    start = datetime.date(target.year_from, 1, 1)
    end = min(as_of, datetime.date(target.year_to, 12, 31))
    return Period(start, end) if end >= start else None


def scope_value(target: Target):
    """The value the sources group a target's scope by: ``None``, a cluster, chain or unit id, a town code."""
    return {
        ScopeKind.CITY: None,
        ScopeKind.CLUSTER: target.cluster_id,
        ScopeKind.CHAIN: target.chain_id,
        ScopeKind.TOWN: target.town,
        ScopeKind.UNIT: target.unit_id,
    }[target.scope_kind]


def _unmapped(target: Target) -> bool:
    """A unit target whose unit is a name still to map: it counts nothing (not the rows without a unit)."""
    return target.scope_kind == ScopeKind.UNIT and target.unit_id is None


def _output_years(target: Target, as_of: datetime.date) -> list[int]:
    return list(range(target.year_from, min(target.year_to, as_of.year) + 1))


def _latest_output(rows: dict, group, years: list[int]) -> tuple[int | None, Decimal]:
    """The latest of ``years`` with figures for ``group``, and its output (``None`` and 0 when none has)."""
    for year in reversed(years):
        if (group, year) in rows:
            return year, as_decimal(rows[(group, year)])
    return None, ZERO


def actuals(targets: list[Target], as_of: datetime.date) -> dict[int, Decimal]:
    """Target id → its actual on ``as_of``: each source read once per period, for every scope kind at once."""
    counted = {}  # target id → (source, period): the targets whose actual a grouped source gives
    kinds: dict[tuple, set] = defaultdict(set)
    output: dict[tuple, dict] = {}
    result: dict[int, Decimal] = {}
    for target in targets:
        definition = METRICS[target.metric]
        period = target_period(target, as_of)
        if period is None or _unmapped(target):
            result[target.pk] = ZERO
        elif definition.source == "output":
            years = _output_years(target, as_of)
            key = (target.scope_kind, tuple(years))
            if key not in output:
                output[key] = output_rows(years, target.scope_kind)
            result[target.pk] = _latest_output(output[key], scope_value(target), years)[1]
        else:
            counted[target.pk] = (definition.source, period)
            kinds[(definition.source, period)].add(target.scope_kind)
    read = {key: source_rows_by_kinds(*key, sorted(found)) for key, found in kinds.items()}
    for target in targets:
        if target.pk in counted:
            groups = read[counted[target.pk]][target.scope_kind]
            result[target.pk] = as_decimal(groups.get(scope_value(target), {}).get(METRICS[target.metric].figure))
    return result


def _only(target: Target):
    if target.scope_kind == ScopeKind.CITY:
        return None
    return [scope_value(target)]


def monthly_actuals(target: Target, year: int, as_of: datetime.date) -> dict[datetime.date, Decimal]:
    """First day of each month of ``year`` up to ``as_of`` → the target's actual at that month's end (or as_of).

    Cumulative from January of the target's first year; one or two grouped queries.
    Chain output is annual: every month shows the output of the latest year with figures.
    """
    definition = METRICS[target.metric]
    end = min(as_of, datetime.date(year, 12, 31), datetime.date(target.year_to, 12, 31))
    start = datetime.date(target.year_from, 1, 1)
    months = Period(datetime.date(year, 1, 1), end).months() if end >= datetime.date(year, 1, 1) else []
    if not months or end < start or _unmapped(target):
        return {month: ZERO for month in months}
    if definition.source == "output":
        years = list(range(target.year_from, year + 1))
        only = None if target.scope_kind == ScopeKind.CITY else [scope_value(target)]
        value = _latest_output(output_rows(years, target.scope_kind, only=only), scope_value(target), years)[1]
        return {month: value for month in months}
    rows = source_rows(definition.source, Period(start, end), target.scope_kind, only=_only(target), monthly=True)
    by_month: dict = defaultdict(lambda: ZERO)
    for month, figures in rows.items():
        by_month[month] += as_decimal(figures.get(definition.figure))
    opening = sum((value for month, value in by_month.items() if month < months[0]), ZERO)
    result, running = {}, opening
    for month in months:
        running += by_month.get(month, ZERO)
        result[month] = running
    return result


def _project_scope(queryset: QuerySet, target: Target, prefix: str = "") -> QuerySet:
    kind = target.scope_kind
    if kind == ScopeKind.CLUSTER:
        return queryset.filter(**{f"{prefix}chain__cluster": target.cluster_id})
    if kind == ScopeKind.CHAIN:
        return queryset.filter(**{f"{prefix}chain": target.chain_id})
    if kind == ScopeKind.TOWN:
        return queryset.filter(**{f"{prefix}town": target.town})
    if kind == ScopeKind.UNIT:
        if _unmapped(target):
            return queryset.none()
        return queryset.filter(**{f"{prefix}responsible_unit": target.unit_id})
    return queryset


def rows_behind(target: Target, as_of: datetime.date) -> QuerySet:
    """The rows a target's actual on ``as_of`` counts: projects, funds records, visits or per-mu figures.

    The same conditions as the sources; with ``select_related`` for a list page.
    """
    definition = METRICS[target.metric]
    period = target_period(target, as_of)
    if definition.source == "output":
        return _output_rows_behind(target, as_of)
    if definition.source == "funds":
        records = funds_in(period) if period else funds_in(Period(as_of, as_of)).none()
        return _project_scope(records, target, "project__").select_related("project", "project__chain")
    if definition.source == "visits":
        return _visits_behind(target, period)
    projects = Project.objects.select_related("chain", "investor")
    if period is None:
        return projects.none()
    span = (period.start, period.end)
    if definition.source == "milestones":
        projects = projects.filter(**{f"{MILESTONE_REACHED[MILESTONE_OF_FIGURE[definition.figure]]}__range": span})
    else:
        projects = projects.filter(signed_date__range=span)
    band = next((band for band in BANDS if definition.figure == f"{band.key}__projects"), None)
    if band is not None:  # a band's count; the bands source also gives all signed projects and their investment
        projects = projects.filter(band.condition())
    return _project_scope(projects, target)


def _visits_behind(target: Target, period: Period | None) -> QuerySet:
    if period is None:
        return InvestmentVisit.objects.none()
    kind = target.scope_kind
    if kind == ScopeKind.CHAIN:
        visits = visits_in(period, chain=target.chain)
    elif kind == ScopeKind.CLUSTER:
        visits = visits_in(period, cluster=target.cluster)
    else:
        visits = visits_in(period)
    if kind == ScopeKind.UNIT:
        visits = visits.filter(host_unit=target.unit_id) if target.unit_id else visits.none()
    if METRICS[target.metric].figure == "saturday_person_times":
        visits = visits.filter(is_saturday=True)
    return visits.select_related("enterprise", "host_unit").order_by("date", "pk")


def _output_rows_behind(target: Target, as_of: datetime.date) -> QuerySet:
    years = _output_years(target, as_of)
    only = None if target.scope_kind == ScopeKind.CITY else [scope_value(target)]
    year = _latest_output(output_rows(years, target.scope_kind, only=only), scope_value(target), years)[0]
    roles = EnterpriseChainRole.objects.filter(enterprise=OuterRef("enterprise"))
    if target.scope_kind == ScopeKind.CHAIN:
        roles = roles.filter(chain=target.chain_id)
    elif target.scope_kind == ScopeKind.CLUSTER:
        roles = roles.filter(chain__cluster=target.cluster_id)
    metrics = EnterpriseAnnualMetric.objects.filter(Exists(roles), year=year).select_related("enterprise")
    return metrics.order_by("-industrial_output", "pk") if year is not None else metrics.none()
