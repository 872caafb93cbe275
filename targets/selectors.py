"""Read side of targets: progress, rankings, the monthly trend and the rows behind an actual.

Signatures (stable; pages, exports and the API build on them):

- ``targets_of_year(year, scope_kind=None, scope=None) -> QuerySet[Target]``: the targets whose years
  include ``year`` (one-year and multi-year), with cluster, chain and ``set_by`` selected.
- ``target_progress(year, as_of, scope_kind=None, scope=None) -> list[TargetProgress]``: every such
  target with its actual on ``as_of``, completion, time progress, gap in points, status and rank, in
  a number of queries that does not grow with the targets or the rows behind them. ``scope`` is a
  ``Cluster``/``Chain``/``Unit`` (or its id) for those kinds, or a town code;
  ``rank`` is the target's place among the targets of the same scope kind, metric and years by
  completion (competition ranking 1, 1, 3; ``None`` for the city).
- ``rankings(year, as_of, scope_kind="town") -> list[RankingRow]`` (``"town"`` or ``"unit"``): each
  town or unit with a target of ``year`` alone (multi-year targets are not ranked), its progress per
  metric with the rank per metric, its weighted score and the score's rank, best first.
- ``weights_of_year(year) -> dict[str, Decimal]``: every metric's weight (1 when the year has none).
- ``monthly_trend(target, year, as_of=None) -> list[TrendPoint]``: for each month of ``year`` up to
  ``as_of`` (today), the actual at the month's end (or ``as_of``), completion and time progress.
- ``rows_behind(target, as_of) -> QuerySet``: the projects, funds records, visits or per-mu figures
  that the actual counts (``targets.actuals``).
- ``parse_scope(text) -> (scope_kind, scope)``: ``"city"``, ``"cluster:<code>"``, ``"chain:<code>"``,
  ``"town:<code or name>"``, ``"unit:<name or id>"``; ``ValueError`` when unknown.
- ``progress_of(target, actual, as_of) -> TargetProgress``: the figures of one target given its actual
  (no query; ``rank`` left ``None``).

``TargetProgress``: ``target``, ``as_of``, ``period_start``/``period_end`` (``None`` before the target's
first year), ``actual`` (Decimal, in ``unit``), ``completion`` and ``time_progress`` (fractions, four
places: 0.4600 = 46%), ``gap_points`` (percentage points, two places), ``status``
(``targets.choices.ProgressStatus``), ``unit`` (``MetricUnit``), ``rank``; properties ``metric``,
``scope`` (code, town or unit; "" for the city) and ``remaining``. ``RankingRow``: ``scope``, ``label``,
``progress`` and ``ranks`` per metric, ``score``, ``rank``. ``TrendPoint``: ``month``, ``day``,
``actual``, ``completion``, ``time_progress``. Metric definitions, units and labels:
``targets.metrics.METRICS``; the arithmetic: ``targets.progress``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from chains.choices import Town
from chains.models import Chain, Cluster
from units.matching import find_unit
from units.models import Unit

from . import progress
from .actuals import actuals, monthly_actuals, rows_behind, scope_value, target_period
from .choices import Metric, MetricUnit, ProgressStatus, ScopeKind
from .models import AssessmentWeight, Target

__all__ = [
    "RankingRow",
    "TargetProgress",
    "TrendPoint",
    "monthly_trend",
    "parse_scope",
    "progress_of",
    "rankings",
    "rows_behind",
    "target_progress",
    "targets_of_year",
    "weights_of_year",
]


@dataclass
class TargetProgress:
    """A target's figures on a day (``completion`` and ``time_progress`` as fractions, ``gap_points`` in points)."""

    target: Target
    as_of: datetime.date
    period_start: datetime.date | None
    period_end: datetime.date | None
    actual: Decimal
    completion: Decimal
    time_progress: Decimal
    gap_points: Decimal
    status: ProgressStatus
    unit: MetricUnit
    rank: int | None = None

    @property
    def metric(self) -> str:
        return self.target.metric

    @property
    def scope(self) -> str:
        """The scope as the API names it: the cluster's or chain's code, the town, the unit ("" for the city)."""
        target = self.target
        if target.scope_kind == ScopeKind.CLUSTER:
            return target.cluster.code
        if target.scope_kind == ScopeKind.CHAIN:
            return target.chain.code
        return target.town or target.unit_name

    @property
    def remaining(self) -> Decimal:
        """What is left to reach the target (0 once reached)."""
        return max(self.target.value - self.actual, Decimal("0"))


@dataclass
class RankingRow:
    """A town or unit in the ranking: its progress and rank per metric, its weighted score and its rank."""

    scope: str
    label: str
    progress: dict[str, TargetProgress] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)
    score: Decimal | None = None
    rank: int | None = None


@dataclass
class TrendPoint:
    """One month of a target's trend: the actual at the month's end (or the as-of day) against time progress."""

    month: datetime.date
    day: datetime.date
    actual: Decimal
    completion: Decimal
    time_progress: Decimal


def _scope_filter(scope_kind: str, scope) -> Q:
    if scope_kind == ScopeKind.CLUSTER:
        return Q(cluster=scope)
    if scope_kind == ScopeKind.CHAIN:
        return Q(chain=scope)
    if scope_kind == ScopeKind.TOWN:
        return Q(town=scope)
    if scope_kind == ScopeKind.UNIT:
        return Q(unit=getattr(scope, "pk", scope))
    return Q()


def targets_of_year(year: int, scope_kind: str | None = None, scope=None) -> QuerySet:
    """Targets whose years include ``year``, of ``scope_kind`` (and ``scope``) if given, in one query."""
    targets = Target.objects.filter(year_from__lte=year, year_to__gte=year).select_related(
        "cluster", "chain", "unit", "set_by"
    )
    if scope_kind is not None:
        targets = targets.filter(scope_kind=scope_kind)
        if scope is not None:
            targets = targets.filter(_scope_filter(scope_kind, scope))
    return targets.order_by(
        "scope_kind", "cluster__sort_order", "chain__sort_order", "town", "unit__name", "metric", "pk"
    )


def progress_of(target: Target, actual: Decimal, as_of: datetime.date) -> TargetProgress:
    """A target's figures given its actual (no query)."""
    period = target_period(target, as_of)
    rate = progress.completion(actual, target.value)
    elapsed = progress.time_progress(target.year_from, target.year_to, as_of)
    return TargetProgress(
        target=target,
        as_of=as_of,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        actual=actual,
        completion=rate,
        time_progress=elapsed,
        gap_points=progress.gap_points(rate, elapsed),
        status=progress.status(rate, elapsed),
        unit=target.unit_of_measure,
    )


def _with_ranks(rows: list[TargetProgress]) -> None:
    groups: dict[tuple, list[TargetProgress]] = {}
    for row in rows:
        target = row.target
        if target.scope_kind != ScopeKind.CITY:
            groups.setdefault((target.scope_kind, target.metric, target.year_from, target.year_to), []).append(row)
    for group in groups.values():
        ranks = progress.competition_ranks(group, key=lambda row: row.completion)
        for row in group:
            row.rank = ranks[id(row)]


KIND_ORDER = {kind: index for index, kind in enumerate(ScopeKind.values)}
METRIC_ORDER = {metric: index for index, metric in enumerate(Metric.values)}


def _in_order(rows: list[TargetProgress]) -> list[TargetProgress]:
    """City first, then clusters, chains (in their order), towns, units; within a scope, the metrics' list order."""

    def key(row: TargetProgress):
        target = row.target
        return (
            KIND_ORDER[target.scope_kind],
            target.cluster.sort_order if target.cluster_id else 0,
            target.chain.sort_order if target.chain_id else 0,
            target.town,
            target.unit_name,
            METRIC_ORDER[target.metric],
            target.year_from,
            target.pk,
        )

    return sorted(rows, key=key)


def target_progress(year: int, as_of: datetime.date, scope_kind: str | None = None, scope=None) -> list[TargetProgress]:
    """Every target of ``year`` (of the scope kind, ranked among its kind) with its figures on ``as_of``.

    In the order pages, exports and the API list them: city first, then clusters, chains (in their
    order), towns, units; within a scope, the metrics in the list's order.
    """
    targets = list(targets_of_year(year, scope_kind))
    found = actuals(targets, as_of)
    rows = [progress_of(target, found[target.pk], as_of) for target in targets]
    _with_ranks(rows)
    if scope_kind is not None and scope is not None:
        wanted = _scope_value(scope_kind, scope)
        rows = [row for row in rows if scope_value(row.target) == wanted]
    return _in_order(rows)


def _scope_value(scope_kind: str, scope):
    """What ``actuals.scope_value`` gives for a target of this scope (an id, a town code)."""
    if scope_kind in (ScopeKind.CLUSTER, ScopeKind.CHAIN, ScopeKind.UNIT):
        return getattr(scope, "pk", scope)
    return scope


def weights_of_year(year: int) -> dict[str, Decimal]:
    """Each metric's weight in ``year``'s score: its recorded weight, else 1 (one query)."""
    recorded = dict(AssessmentWeight.objects.filter(year=year).values_list("metric", "weight"))
    return {metric: recorded.get(metric, Decimal("1")) for metric in Metric.values}


def rankings(year: int, as_of: datetime.date, scope_kind: str = ScopeKind.TOWN) -> list[RankingRow]:
    """Towns or units with targets of ``year`` alone: completion and rank per metric, weighted score and rank."""
    if scope_kind not in (ScopeKind.TOWN, ScopeKind.UNIT):
        raise ValueError(scope_kind)
    targets = list(targets_of_year(year, scope_kind).filter(year_from=year, year_to=year))
    found = actuals(targets, as_of)
    weights = weights_of_year(year)
    labels = dict(Town.choices)
    rows: dict[object, RankingRow] = {}
    for target in targets:
        if scope_kind == ScopeKind.TOWN:
            group = scope = target.town
        else:  # a unit, by its record (a name still to map by itself)
            group, scope = (target.unit_id or target.unit_text), target.unit_name
        row = rows.setdefault(group, RankingRow(scope=scope, label=str(labels.get(scope, scope))))
        row.progress[target.metric] = progress_of(target, found[target.pk], as_of)
    for metric in Metric.values:
        having = [row for row in rows.values() if metric in row.progress]
        ranks = progress.competition_ranks(having, key=lambda row, metric=metric: row.progress[metric].completion)
        for row in having:
            row.ranks[metric] = row.progress[metric].rank = ranks[id(row)]
    for row in rows.values():
        completions = {metric: item.completion for metric, item in row.progress.items() if weights[metric] > 0}
        row.score = progress.capped_score(completions, weights)
    score_ranks = progress.competition_ranks(rows.values(), key=lambda row: row.score)
    for row in rows.values():
        row.rank = score_ranks[id(row)]
    return sorted(rows.values(), key=lambda row: (row.rank is None, row.rank or 0, row.label))


def monthly_trend(target: Target, year: int, as_of: datetime.date | None = None) -> list[TrendPoint]:
    """The target's completion at each month's end of ``year`` (up to ``as_of``) against time progress."""
    as_of = as_of or timezone.localdate()
    points = []
    for month, actual in monthly_actuals(target, year, as_of).items():
        month_end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        day = min(month_end, as_of)
        points.append(
            TrendPoint(
                month=month,
                day=day,
                actual=actual,
                completion=progress.completion(actual, target.value),
                time_progress=progress.time_progress(target.year_from, target.year_to, day),
            )
        )
    return points


def parse_scope(text: str) -> tuple[str, object]:
    """``"city"``, ``"cluster:<code>"``, ``"chain:<code>"``, ``"town:<code or name>"`` or ``"unit:<name>"``."""
    kind, _sep, value = (text or "").partition(":")
    if kind == ScopeKind.CITY and not value:
        return ScopeKind.CITY, None
    if kind == ScopeKind.CLUSTER and value:
        cluster = Cluster.objects.filter(code=value).first()
        if cluster is not None:
            return ScopeKind.CLUSTER, cluster
    if kind == ScopeKind.CHAIN and value:
        chain = Chain.objects.filter(code=value).first()
        if chain is not None:
            return ScopeKind.CHAIN, chain
    if kind == ScopeKind.TOWN and value:
        for code, label in Town.choices:
            if value in (code, str(label), Town(code).name.lower()):
                return ScopeKind.TOWN, code
    if kind == ScopeKind.UNIT and value:
        unit = Unit.objects.filter(pk=int(value)).first() if value.isdigit() else find_unit(value)
        if unit is not None:
            return ScopeKind.UNIT, unit
    raise ValueError(text)
