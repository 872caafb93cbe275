"""Statistics the city reports upward, defined once (DOMAIN.md, "Statistics, defined once").

Every function takes a :class:`Period` (start and end dates, both inclusive) and optionally a
chain or a cluster, and runs aggregated queries in the database: no Python loop over rows.

Definitions:
- visits: investment visits dated in the period.
- person-times (人次): the sum over those visits of the number of leaders on each visit.
- per chain, a visit counts once for each chain it concerns; the city total (and a cluster's)
  counts it once, so the chains' visit figures can add up to more than the total.
- Saturday person-times: the same over visits dated on a Saturday.
- projects engaged (对接项目): distinct projects linked to visits in the period (with a chain or
  cluster filter, the projects of that chain or cluster so linked, whatever chains the visit was
  tagged with: a project belongs to one chain, so the chains' figures add up to the total).
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

Visit counts, the pipeline as of a past date and the conversion are read from rollups that database
triggers keep (``VisitDay``, ``VisitDayChain``, ``PipelineDelta`` and ``PipelineMonth``, ``ProjectContactDay``;
see ``projects.rollups`` and ``projects.stats_pipeline``): a year is a few hundred daily rows instead of tens
of thousands of visits. A cluster filter on visit figures reads the visits themselves, since a visit concerning
two chains of one cluster counts once.
"""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from chains.models import Chain, Cluster
from pinghu.figures import ratio

from .bands import signed_years
from .choices import ProjectStage
from .models import (
    InvestmentVisit,
    Project,
    ProjectContactDay,
    VisitDay,
    VisitDayChain,
    major_project_condition,
)
from .periods import Period
from .signed_groups import SIGNED_KEYS, empty_figures, signed_groups, signed_groups_by_chain
from .stage_days import stage_interval_aggregates, stage_interval_days
from .stats_pipeline import of_scope, pipeline_sums
from .stats_saturday import engaged_by_chain, engaged_figures, top_official_person_times

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


def _visit_days(period: Period, chain: Chain | None) -> QuerySet:
    """The daily visit rollup of the period: every visit, or the visits concerning ``chain``."""
    if chain is None:
        return VisitDay.objects.filter(date__range=(period.start, period.end))
    return VisitDayChain.objects.filter(chain=chain, date__range=(period.start, period.end))


def _visit_figures(*, rollup: bool) -> dict:
    """Visits, Saturday visits, person-times and Saturday person-times as aggregates.

    Over a rollup the visits are summed from ``visit_count``; over visits they are counted. Both
    hold the person-times in ``leader_count``.
    """
    saturday = Q(is_saturday=True)
    visits = Sum("visit_count") if rollup else Count("pk")
    saturday_visits = Sum("visit_count", filter=saturday) if rollup else Count("pk", filter=saturday)
    return {
        "visits": Coalesce(visits, 0),
        "saturday_visits": Coalesce(saturday_visits, 0),
        "person_times": Coalesce(Sum("leader_count"), 0),
        "saturday_person_times": Coalesce(Sum("leader_count", filter=saturday), 0),
    }


def visit_summary(
    period: Period,
    *,
    chain: Chain | None = None,
    cluster: Cluster | None = None,
    engaged: dict | None = None,
    visits: dict | None = None,
) -> dict:
    """Visits, person-times and projects engaged, each also on Saturdays only, in two queries.

    ``engaged``: the projects engaged of the same filter when the caller already has them
    (``engaged_total`` of ``engaged_by_chain``); ``visits``: the visit figures likewise (``stats_monthly``'s
    ``visit_totals`` of the period's months). Each given saves its query.
    """
    if visits is not None:
        result = dict(visits)
    elif cluster is None:
        result = _visit_days(period, chain).aggregate(**_visit_figures(rollup=True))
    else:
        result = visits_in(period, cluster=cluster).aggregate(**_visit_figures(rollup=False))
    return result | (engaged if engaged is not None else engaged_figures(period, chain=chain, cluster=cluster))


def _signed_aggregates(period: Period, prefix: str = "", signed: Q | None = None) -> dict:
    """Aggregates over signed projects reached through ``prefix``.

    On a project queryset pass the period condition as ``signed``; through a relation, pass the
    prefix of a ``FilteredRelation`` that already holds only the projects signed in the period
    (the join then carries the date condition, so no row is counted twice and no DISTINCT is needed).
    Either way the projects counted were signed in ``period`` (the US-dollar rate: ``bands.usd_rate``).
    """
    conditions = {
        "signed_projects": Q(),
        "major_projects": major_project_condition(prefix, signed_in=signed_years(period.start, period.end)),
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
    """Signed projects, their investment and foreign investment, major projects, 开工率 and the size bands, one query.

    The band figures come as ``<band>__projects`` and ``<band>__investment`` (``projects.signed_groups``).
    """
    signed = projects_of(chain=chain, cluster=cluster).filter(signed_date__range=(period.start, period.end))
    result = signed_groups(signed, signed_in=signed_years(period.start, period.end)).get(None) or empty_figures()
    result["start_rate"] = ratio(result["started_projects"], result["signed_projects"])
    return _cents(result)


def signed_summary_and_by_chain(period: Period) -> tuple[dict, dict[int, dict]]:
    """``signed_summary(period)`` and each chain's signed figures (as ``signed_by_chain``'s), from one scan.

    The signed projects are grouped by chain and band flags (``signed_groups``); a project has one chain,
    so the city's figures are the chains' sums. Chain id → figures, chains with none signed left out
    (``empty_signed_figures`` gives theirs). The dashboard reads both: one scan of the period's signed
    projects instead of two.
    """
    groups = signed_groups_by_chain(period)
    city = empty_figures()
    for figures in groups.values():
        for key, value in figures.items():
            city[key] += value
    city["start_rate"] = ratio(city["started_projects"], city["signed_projects"])
    by_chain = {pk: _with_start_rate({key: figures[key] for key in SIGNED_KEYS}) for pk, figures in groups.items()}
    return _cents(city), by_chain


def empty_signed_figures() -> dict:
    """A chain's figures in ``signed_summary_and_by_chain`` when none of its projects signed in the period."""
    empty = empty_figures()
    return _with_start_rate({key: empty[key] for key in SIGNED_KEYS})


def signed_total(rows: list[dict]) -> dict:
    """The signed figures (``SIGNED_KEYS``) of ``signed_by_chain`` rows added up, with their 开工率: a project has
    one chain, so the rows of every chain (of a cluster) add up to the city's (the cluster's) ``signed_summary``."""
    total = empty_signed_figures()
    for row in rows:
        for key in SIGNED_KEYS:
            total[key] += row[key]
    return _with_start_rate(total)


def summary(
    period: Period,
    *,
    chain: Chain | None = None,
    cluster: Cluster | None = None,
    signed: dict | None = None,
    engaged: dict | None = None,
    visits: dict | None = None,
) -> dict:
    """The dashboard's headline figures: visit figures, signing figures and lead → signed conversion.

    ``signed``: the period's ``signed_summary`` when the caller already has it (the dashboard's comes with
    the chains' figures, ``signed_summary_and_by_chain``); ``engaged``: the city's projects engaged, likewise
    (``engaged_total`` of ``engaged_by_chain``); ``visits``: the city's visit figures, likewise (``visit_totals``
    of the monthly chart's rows). The city's only, so not with a chain or cluster.
    """
    if (signed is not None or engaged is not None or visits is not None) and (chain is not None or cluster is not None):
        raise ValueError(
            "summary(signed=…, engaged=…, visits=…) takes the city's figures: give no chain or cluster with them"
        )
    return {
        **visit_summary(period, chain=chain, cluster=cluster, engaged=engaged, visits=visits),
        **(signed if signed is not None else signed_summary(period, chain=chain, cluster=cluster)),
        **conversion(period, chain=chain, cluster=cluster),
        # Saturday figures as the article counts them (issue 16, projects.stats_saturday): the
        # Saturday projects engaged come with visit_summary's projects engaged, in its query.
        **top_official_person_times(period, chain=chain, cluster=cluster),
    }


def signed_by_chain(period: Period, *, cluster: Cluster | None = None) -> list[dict]:
    """Signed figures for every chain (zero rows included), in chain order, in one query."""
    chains = Chain.objects.select_related("cluster").order_by("cluster__sort_order", "sort_order", "code")
    if cluster is not None:
        chains = chains.filter(cluster=cluster)
    rows = (
        chains.annotate(signed_in_period=_signed_in(period, "projects"))
        .values("pk", "code", "name", "cluster__code", "cluster__name")
        .annotate(**_signed_aggregates(period, "signed_in_period__"))
    )
    return [_with_start_rate(row) for row in rows]


def signed_by_cluster(period: Period) -> list[dict]:
    """Signed figures for every cluster (zero rows included), in cluster order, in one query."""
    rows = (
        Cluster.objects.order_by("sort_order", "code")
        .annotate(signed_in_period=_signed_in(period, "chains__projects"))
        .values("pk", "code", "name")
        .annotate(**_signed_aggregates(period, "signed_in_period__"))
    )
    return [_with_start_rate(row) for row in rows]


def _with_start_rate(row: dict) -> dict:
    row["start_rate"] = ratio(row["started_projects"], row["signed_projects"])
    return _cents(row)


def visits_by_chain(
    period: Period, *, cluster: Cluster | None = None, engaged: dict[int, dict] | None = None
) -> list[dict]:
    """Visits, person-times and projects engaged per chain concerned (zero rows included), in three queries.

    A visit concerning two chains counts in both rows: the rows' visits can add up to more than
    ``visit_summary``'s; projects engaged add up, a project counting for its own chain. ``engaged``: the
    period's ``engaged_by_chain`` (of ``cluster``) when the caller already has it: then two queries.
    """
    chains = Chain.objects.order_by("cluster__sort_order", "sort_order", "code")
    if cluster is not None:
        chains = chains.filter(cluster=cluster)
    days = VisitDayChain.objects.filter(date__range=(period.start, period.end), chain__in=chains.values("pk"))
    figures = {row.pop("chain"): row for row in days.values("chain").annotate(**_visit_figures(rollup=True)).order_by()}
    if engaged is None:
        engaged = engaged_by_chain(period, cluster=cluster)
    empty = {name: 0 for name in _visit_figures(rollup=True)}
    rows = []
    for chain in chains.values("pk", "code"):
        row = {
            **chain,
            **figures.get(chain["pk"], empty),
            "projects_engaged": engaged.get(chain["pk"], {}).get("projects_engaged", 0),
        }
        del row["saturday_visits"]
        rows.append(row)
    return rows


def pipeline(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Projects and their total investment by stage as of the period's end, every stage listed, in one query."""
    return _pipeline_rows(pipeline_sums(period.end, chain=chain, cluster=cluster))


def pipeline_and_by_chain(period: Period) -> tuple[list[dict], dict[int, dict[str, int]]]:
    """``pipeline(period)`` and the projects per chain id and stage as of the period's end (stages with none
    left out), from one scan of the stage rollups (the dashboard's).

    The rollups are summed per chain and stage; a rollup row has one chain, so the city's rows are the
    chains' sums (the dashboard read the 33,000 deltas of the bench database twice, 6–8 ms each).
    """
    city: dict[str, dict] = {}
    by_chain: dict[int, dict[str, int]] = {}
    for row in pipeline_sums(period.end, by_chain=True):
        total = city.setdefault(row["stage_then"], {"stage_then": row["stage_then"], "projects": 0, "investment": ZERO})
        total["projects"] += row["projects"]
        total["investment"] += row["investment"]
        if row["projects"] > 0:
            by_chain.setdefault(row["chain"], {})[row["stage_then"]] = row["projects"]
    return _pipeline_rows(city.values()), by_chain


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
    """Of the projects first contacted in the period, how many have signed (lead → signed), in one query.

    Read from the daily rollup ``ProjectContactDay`` (per first contact date and chain): a year is a few
    thousand rows instead of its tens of thousands of projects. A project has one chain, so a cluster's
    figures are its chains' rows.
    """
    days = of_scope(ProjectContactDay.objects.filter(date__range=(period.start, period.end)), chain, cluster)
    result = days.aggregate(
        contacted_projects=Coalesce(Sum("contacted_projects"), 0),
        converted_projects=Coalesce(Sum("converted_projects"), 0),
    )
    result["conversion_rate"] = ratio(result["converted_projects"], result["contacted_projects"])
    return result


def stage_durations(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """Average days between consecutive stage dates, over projects signed in the period, in one query.

    Each average uses only the projects that have both dates; ``None`` when none has.
    """
    result = (
        projects_of(chain=chain, cluster=cluster)
        .filter(signed_date__range=(period.start, period.end))
        .aggregate(**stage_interval_aggregates())
    )
    return stage_interval_days(result)
