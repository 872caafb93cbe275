"""Demo targets and weights for ``generate_demo_data`` (registered with ``projects.demo_apps``), set through
the services like any target, each with the source 演示… so ``--replace`` finds and removes them.

For the demo's last year (the end date's year): a city target for every metric but chain output, targets for every chain
(signed projects, signed investment, funds in place), for every town (signed projects, signed investment,
funds in place, projects started) and for the demo's host units (signed projects, visits), and the year's
weights. Each value is the year's pace in its scope (the actual on the end date over the months done, by
``targets.actuals``: the figures the pages show; last year's actual in January) times a factor drawn
from a generator seeded with the demo's seed, rounded as a review sheet would, so some targets are ahead
of the time progress and others behind; two towns get signed-projects targets equal to their actual on
the end date (both at 100%: a tie in the ranking). Chain output is known once a year's per-mu figures
are in, so its targets are for the year before (the city and each chain, near the demo's per-mu figures,
``projects.demo_per_mu``); the machine-tool chain also gets the article's goal: output above 250亿元 over
2023–2025 (``DOMAIN.md``).
Same seed and end date, same targets.
"""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.models import Chain
from pinghu.history import attributed_to, delete_with_history
from projects.demo_apps import DemoGenerator
from units.demo import DEMO_UNITS as DEMO_UNIT_KINDS
from units.models import Unit

from .actuals import actuals
from .choices import Metric, ScopeKind
from .metrics import METRICS
from .models import AssessmentWeight, Target
from .progress import months_elapsed
from .services import target_create, weight_save

DEMO_MARK = "演示"
DEMO_REASON = "演示数据"
DEMO_SOURCE = "演示：平湖市{year}年度招商引资目标任务（演示数据）"
CNC_SOURCE = "演示：到2025年全市机床产业产值预计将突破250亿元（文章所述目标，演示录入）"
CNC_OUTPUT_WAN = Decimal("2500000")  # 250亿元 in 万元
CHAIN_METRICS = [Metric.SIGNED_PROJECTS, Metric.SIGNED_INVESTMENT, Metric.FUNDS_IN_PLACE]
TOWN_METRICS = [Metric.SIGNED_PROJECTS, Metric.SIGNED_INVESTMENT, Metric.FUNDS_IN_PLACE, Metric.PROJECTS_STARTED]
UNIT_METRICS = [Metric.SIGNED_PROJECTS, Metric.VISITS]
# The demo's host and responsible units (units.demo, written by projects.demo).
DEMO_UNITS = [name for name, _kind in DEMO_UNIT_KINDS]
WEIGHTS = {
    Metric.SIGNED_PROJECTS: Decimal("2"),
    Metric.SIGNED_INVESTMENT: Decimal("3"),
    Metric.FUNDS_IN_PLACE: Decimal("3"),
    Metric.PROJECTS_STARTED: Decimal("2"),
}


def demo_targets():
    return Target.objects.filter(source__startswith=DEMO_MARK)


def _rounded(value: Decimal, metric: str) -> Decimal:
    """Counts to whole numbers (at least 1); amounts to hundreds of 万 (at least 100)."""
    if METRICS[metric].decimals:
        return max(Decimal("100"), (value / 100).quantize(Decimal("1")) * 100)
    return max(Decimal("1"), value.quantize(Decimal("1")))


def _figures(specs: list[dict], year: int, as_of: datetime.date) -> list[Decimal]:
    """The actual on ``as_of`` of a target of ``year`` for each spec (unsaved targets, in one pass of the sources)."""
    probes = []
    for number, spec in enumerate(specs, start=1):
        probe = Target(year_from=year, year_to=year, **spec)
        probe.pk = -number  # a key for ``actuals`` only; never saved
        probes.append(probe)
    found = actuals(probes, as_of)
    return [found[probe.pk] for probe in probes]


def _specs(chains: list[Chain]) -> list[dict]:
    specs = [{"scope_kind": ScopeKind.CITY, "metric": metric} for metric in Metric.values]
    specs += [
        {"scope_kind": ScopeKind.CHAIN, "chain": chain, "metric": metric}
        for chain in chains
        for metric in CHAIN_METRICS
    ]
    specs += [
        {"scope_kind": ScopeKind.TOWN, "town": town, "metric": metric}
        for town in Town.values
        for metric in TOWN_METRICS
    ]
    specs += [
        {"scope_kind": ScopeKind.UNIT, "unit": unit, "metric": metric}
        for unit in Unit.objects.filter(name__in=DEMO_UNITS).order_by("pk")
        for metric in UNIT_METRICS
    ]
    return specs


def _tied_towns(rng: random.Random, current: dict[str, Decimal]) -> set[str]:
    """Two towns with signed projects this year, drawn: their signed-projects targets equal their actuals."""
    candidates = sorted(town for town, actual in current.items() if actual > 0)
    return set(rng.sample(candidates, 2)) if len(candidates) >= 2 else set()


def _create(data: dict) -> int:
    """Set one target through the service; 0 when the bureau already set one for the years, scope and metric."""
    try:
        target_create(data=data, by=None)
    except ValidationError:
        return 0
    return 1


def _expected(current: Decimal, baseline: Decimal, months: int) -> Decimal:
    """The year's likely figure: this year's pace over the months done, else last year's (January, or nothing yet)."""
    if months and current > 0:
        return current * 12 / months
    return baseline


def _last_year_output(rng: random.Random, chains: list[Chain], year: int) -> int:
    """Chain output targets of ``year`` for the city and each chain with per-mu figures that year, near them."""
    specs = [{"scope_kind": ScopeKind.CITY, "metric": Metric.CHAIN_OUTPUT}]
    specs += [{"scope_kind": ScopeKind.CHAIN, "chain": chain, "metric": Metric.CHAIN_OUTPUT} for chain in chains]
    created = 0
    for spec, output in zip(specs, _figures(specs, year, datetime.date(year, 12, 31)), strict=True):
        if output > 0:
            value = _rounded(output * Decimal(rng.randint(90, 115)) / 100, Metric.CHAIN_OUTPUT)
            source = DEMO_SOURCE.format(year=year)
            created += _create({**spec, "year": year, "value": value, "source": source, "note": DEMO_REASON})
    return created


def generate_demo_targets(*, seed: int, end: datetime.date, user=None) -> int:
    """Write the demo's targets and weights for ``end``'s year; returns the number of targets."""
    rng = random.Random(f"targets-{seed}")
    year = end.year
    months = months_elapsed(year, year, end)
    chains = list(Chain.objects.order_by("sort_order", "pk"))
    specs = _specs(chains)
    baselines = _figures(specs, year - 1, datetime.date(year - 1, 12, 31))
    currents = _figures(specs, year, end)
    town_signed = {
        spec["town"]: actual
        for spec, actual in zip(specs, currents, strict=True)
        if spec["scope_kind"] == ScopeKind.TOWN and spec["metric"] == Metric.SIGNED_PROJECTS
    }
    tied = _tied_towns(rng, town_signed)
    source = DEMO_SOURCE.format(year=year)
    created = 0
    with attributed_to(user, DEMO_REASON):
        for spec, baseline, current in zip(specs, baselines, currents, strict=True):
            metric = spec["metric"]
            if metric == Metric.CHAIN_OUTPUT:
                continue  # a year's output is known once its per-mu figures are in: set for last year, below
            # Around the year's pace: some targets within reach, most a stretch, a few far off.
            factor = Decimal(rng.randint(85, 140)) / 100
            expected = _expected(current, baseline, months)
            if spec["scope_kind"] == ScopeKind.TOWN and metric == Metric.SIGNED_PROJECTS and spec["town"] in tied:
                value = current  # two towns exactly at 100%: a tie in the ranking
            elif expected > 0:
                value = _rounded(expected * factor, metric)
            elif spec["scope_kind"] == ScopeKind.CITY:
                value = _rounded(Decimal("10") * factor, metric)
            else:
                continue  # no figure in this scope: no target handed down
            data = {**spec, "year": year, "value": value, "source": source, "note": DEMO_REASON}
            created += _create(data)
        created += _last_year_output(rng, chains, year - 1)
        cnc = Chain.objects.filter(code="cnc").first()
        if cnc is not None:
            created += _create(
                {
                    "year_from": 2023,
                    "year_to": 2025,
                    "scope_kind": ScopeKind.CHAIN,
                    "chain": cnc,
                    "metric": Metric.CHAIN_OUTPUT,
                    "value": CNC_OUTPUT_WAN,
                    "source": CNC_SOURCE,
                    "note": DEMO_REASON,
                }
            )
        if not AssessmentWeight.objects.filter(year=year).exists():  # the bureau's own weights stay
            for metric, weight in WEIGHTS.items():
                weight_save(year=year, metric=metric, weight=weight, by=None)
    return created


def _demo_weights():
    """Weights the demo created (their creation carries its reason) and nobody changed since."""
    history = AssessmentWeight.history.model.objects
    created = history.filter(history_type="+", history_change_reason=DEMO_REASON).values("id")
    changed = history.filter(history_type="~").values("id")
    return AssessmentWeight.objects.filter(pk__in=created).exclude(pk__in=changed)


def delete_demo_targets(*, user=None) -> None:
    delete_with_history(demo_targets(), reason=DEMO_REASON, user=user)
    delete_with_history(_demo_weights(), reason=DEMO_REASON, user=user)


DEMO_TARGETS = DemoGenerator(
    name="targets",
    label=_("%(count)d demo targets (目标任务) and the year's assessment weights."),
    generate=generate_demo_targets,
    delete=delete_demo_targets,
)
