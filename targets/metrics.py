"""The metrics a target can count: a closed list, each defined once by the statistics already in the database.

Each ``MetricDefinition`` names its unit, label, definition text (shown in the API schema and
docs/statistics.md), the scope kinds it supports, and the source that computes it: a grouped
statistic of ``projects.stats_by_scope`` (which groups the aggregates of ``projects.stats``,
``projects.band_stats``, ``projects.funds_stats`` and ``projects.milestone_stats``) or
``chains.stats.chain_output_by`` (the per-mu figures). Nothing here counts a row itself.

The period of a target is 1 January of its first year to the as-of day or 31 December of its last
year, whichever is earlier; dated events count when dated in it (so on or before the as-of day).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chains.stats import chain_output_by
from projects import stats_by_scope
from projects.periods import Period

from .choices import Metric, MetricUnit, ScopeKind

ALL_SCOPES = frozenset(ScopeKind.values)
# Visits go to firms elsewhere and carry no town of Pinghu: a visit target by town has no sound definition.
NO_TOWN = frozenset(ALL_SCOPES - {ScopeKind.TOWN})
# Output is read from the firms holding a role in a chain: it exists for chains, clusters and the city.
CHAIN_SCOPES = frozenset({ScopeKind.CITY, ScopeKind.CLUSTER, ScopeKind.CHAIN})


@dataclass(frozen=True)
class MetricDefinition:
    """One metric: how it is counted (``source`` and the ``figure`` of its rows), its unit and where it applies."""

    metric: Metric
    unit: MetricUnit
    source: str
    figure: str
    scopes: frozenset
    definition: Promise
    decimals: int = 0

    @property
    def label(self) -> str:
        return str(self.metric.label)

    def supports(self, scope_kind: str) -> bool:
        return scope_kind in self.scopes


METRICS: dict[str, MetricDefinition] = {
    definition.metric.value: definition
    for definition in [
        MetricDefinition(
            Metric.SIGNED_PROJECTS,
            MetricUnit.PROJECTS,
            "bands",
            "signed_projects",
            ALL_SCOPES,
            _(
                "Projects whose signed date falls in the period (on or before the as-of day); per town and unit, the "
                "project's town and responsible unit."
            ),
        ),
        MetricDefinition(
            Metric.SIGNED_INVESTMENT,
            MetricUnit.CNY_10K,
            "bands",
            "signed_investment",
            ALL_SCOPES,
            _("The total investment (万元) of the projects signed in the period, as the projects record it now."),
            decimals=2,
        ),
        MetricDefinition(
            Metric.SIGNED_CNY_100M,
            MetricUnit.PROJECTS,
            "bands",
            "cny_100m__projects",
            ALL_SCOPES,
            _("Projects signed in the period with a total investment of 10,000 万元 or more (the 亿元以上 band)."),
        ),
        MetricDefinition(
            Metric.SIGNED_CNY_1BN,
            MetricUnit.PROJECTS,
            "bands",
            "cny_1bn__projects",
            ALL_SCOPES,
            _("Projects signed in the period with a total investment of 100,000 万元 or more (the 10亿元以上 band)."),
        ),
        MetricDefinition(
            Metric.SIGNED_USD_100M,
            MetricUnit.PROJECTS,
            "bands",
            "usd_100m__projects",
            ALL_SCOPES,
            _(
                "Projects signed in the period whose total investment reaches US$100 million at the exchange rate "
                "of their signed year (the 总投资超亿美元 band)."
            ),
        ),
        MetricDefinition(
            Metric.FUNDS_IN_PLACE,
            MetricUnit.CNY_10K,
            "funds",
            "funds_in_place",
            ALL_SCOPES,
            _(
                "The sum of the monthly domestic funds in place (内资到位, 万元) of the months from January to the "
                "as-of day's month; per scope, the project's chain, town or responsible unit."
            ),
            decimals=2,
        ),
        MetricDefinition(
            Metric.FOREIGN_PAID_IN,
            MetricUnit.USD_10K,
            "funds",
            "foreign_paid_in",
            ALL_SCOPES,
            _(
                "The sum of the monthly actual foreign investment (实际外资, 万美元, money paid in, not contracted) of "
                "the months from January to the as-of day's month."
            ),
            decimals=2,
        ),
        MetricDefinition(
            Metric.PROJECTS_STARTED,
            MetricUnit.PROJECTS,
            "milestones",
            "started_projects",
            ALL_SCOPES,
            _("Projects whose construction start date (开工) falls in the period, whenever they signed."),
        ),
        MetricDefinition(
            Metric.PROJECTS_IN_PRODUCTION,
            MetricUnit.PROJECTS,
            "milestones",
            "in_production_projects",
            ALL_SCOPES,
            _("Projects whose production start date (投产) falls in the period, whenever they signed."),
        ),
        MetricDefinition(
            Metric.SATURDAY_PERSON_TIMES,
            MetricUnit.PERSON_TIMES,
            "visits",
            "saturday_person_times",
            NO_TOWN,
            _(
                "The sum of the leaders on each visit dated on a Saturday in the period; per chain, the visits "
                "concerning it; per unit, the visits it hosted. Visits have no town."
            ),
        ),
        MetricDefinition(
            Metric.VISITS,
            MetricUnit.VISITS,
            "visits",
            "visits",
            NO_TOWN,
            _(
                "Investment visits dated in the period; per chain, the visits concerning it (a visit counts for each "
                "chain it concerns, once per cluster); per unit, the visits it hosted. Visits have no town."
            ),
        ),
        MetricDefinition(
            Metric.CHAIN_OUTPUT,
            MetricUnit.CNY_10K,
            "output",
            "chain_output",
            CHAIN_SCOPES,
            _(
                "The industrial output (万元) in the per-mu figures of the firms holding a role in the chain (in "
                "the cluster's chains, in any chain for the city; each firm once), of the latest year of the "
                "target's years, up to the as-of day's year, that has figures."
            ),
            decimals=2,
        ),
    ]
}
assert set(METRICS) == set(Metric.values)
# stats_by_scope.counted_bands_by counts only the bands a target can count.
assert {d.figure for d in METRICS.values() if d.source == "bands" and d.figure.endswith("__projects")} == {
    f"{band}__projects" for band in stats_by_scope.COUNTED_BANDS
}

# The grouped statistics behind the sources: one scope kind (with ``only``, or by month), or every kind
# a period's targets need at once (each source read once per period, all kinds from the same rows).
SOURCES = {
    "bands": stats_by_scope.counted_bands_by,
    "funds": stats_by_scope.funds_by,
    "milestones": stats_by_scope.milestones_by,
    "visits": stats_by_scope.visits_by,
}
SOURCES_BY_KINDS = {
    "bands": stats_by_scope.bands_by_kinds,
    "funds": stats_by_scope.funds_by_kinds,
    "milestones": stats_by_scope.milestones_by_kinds,
    "visits": stats_by_scope.visits_by_kinds,
}
ZERO = Decimal("0")


def metric_definition(metric: str) -> MetricDefinition:
    return METRICS[metric]


def unit_of(metric: str) -> MetricUnit:
    """The unit a metric is counted in."""
    return METRICS[metric].unit


def source_rows(source: str, period: Period, scope_kind: str, *, only=None, monthly: bool = False) -> dict:
    """The grouped rows of ``source`` (not ``output``): ``{group value: {figure: value}}``, one or two queries."""
    return SOURCES[source](period, scope_kind, only=only, monthly=monthly)


def source_rows_by_kinds(source: str, period: Period, scope_kinds) -> dict:
    """``source_rows`` of each of ``scope_kinds``: ``{scope kind: {group value: {figure: value}}}``.

    One query for bands and funds, two for milestones (every kind from one grouped read of the
    finest grain), one per kind for visits (each kind reads its own rollup or rows).
    """
    return SOURCES_BY_KINDS[source](period, scope_kinds)


def output_rows(years, scope_kind: str, *, only=None) -> dict:
    """Chain output of ``years``: ``{(group value, year): output}``, one query."""
    return chain_output_by(years, scope_kind, only=only)


def as_decimal(value) -> Decimal:
    """A figure as a Decimal (counts and sums alike; ``None`` is 0)."""
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))
