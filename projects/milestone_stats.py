"""Rates and average days of the approval milestones (落地率, 开工率, 投产率, 达产率), in the database.

Definitions (docs/statistics.md, "Milestone rates"), for a period, a day ``as_of`` and optionally a chain or cluster:

- the projects counted are those signed in the period, on or before ``as_of`` (a project not yet signed on
  that day is not counted as of it);
- of them, registered (落地) are those with a registered date on or before ``as_of``; started (开工) with a
  construction start date on or before it (the 开工 of ``stats.signed_summary``, read as of a day); in
  production (投产) with a production start date on or before it; at design capacity (达产) with a design
  capacity date on or before it;
- each rate is that count over the projects counted (``None`` when none is);
- the average days from signing to each are over the projects that reached it by ``as_of``.

One aggregate query whatever the number of projects; on the dashboard it is the same query as the stage
durations (``stage_durations_and_milestone_rates``).
"""

import datetime

from django.db.models import Count, Q, Sum

from chains.models import Chain, Cluster
from pinghu.figures import average_days, ratio

from .models import Project
from .periods import Period
from .stage_days import DaysBetween, stage_interval_aggregates, stage_interval_days
from .stats import projects_of
from .stats_monthly import signings

# name of the figure → the date that marks it.
MILESTONE_REACHED = {
    "registered": "registered_date",
    "started": "construction_date",
    "in_production": "production_date",
    "at_capacity": "capacity_date",
}


def _aggregates(as_of: datetime.date, *, signed_by_as_of: bool = False) -> dict:
    """The counts and average days as aggregates over projects already filtered to the period.

    ``signed_by_as_of``: every project aggregated was signed on or before ``as_of`` (the period ends by then),
    so the filters leave that condition out: PostgreSQL evaluated it nine times per project, for nothing.
    """
    signed = Q() if signed_by_as_of else Q(signed_date__lte=as_of)
    aggregates = {"signed_projects": Count("pk", filter=signed or None)}
    for name, field in MILESTONE_REACHED.items():
        reached = signed & Q(**{f"{field}__lte": as_of})
        aggregates[f"{name}_projects"] = Count("pk", filter=reached)
        # Summed here, averaged over the count above (stage_days.DaysBetween says why).
        aggregates[f"signed_to_{name}_days"] = Sum(DaysBetween(field, "signed_date"), filter=reached)
    return aggregates


def _figures(result: dict, as_of: datetime.date) -> dict:
    for name in MILESTONE_REACHED:
        result[f"{name}_rate"] = ratio(result[f"{name}_projects"], result["signed_projects"])
        result[f"signed_to_{name}_days"] = average_days(result[f"signed_to_{name}_days"], result[f"{name}_projects"])
    result["as_of"] = as_of
    return result


def milestone_rates(
    period: Period,
    *,
    as_of: datetime.date,
    chain: Chain | None = None,
    cluster: Cluster | None = None,
) -> dict:
    """Projects signed in ``period`` (by ``as_of``), how many reached each milestone by ``as_of``, rates, days."""
    result = (
        projects_of(chain=chain, cluster=cluster)
        .filter(signed_date__range=(period.start, min(period.end, as_of)))
        .aggregate(**_aggregates(as_of, signed_by_as_of=True))
    )
    return _figures(result, as_of)


def stage_durations_and_milestone_rates(
    period: Period, *, as_of: datetime.date, chain: Chain | None = None, cluster: Cluster | None = None
) -> tuple[dict, dict]:
    """``stats.stage_durations`` and ``milestone_rates`` in the one query they can share (the dashboard's).

    Both read the projects signed in the period; the rates' conditions carry ``as_of`` in their filters.
    """
    result = (
        projects_of(chain=chain, cluster=cluster)
        .filter(signed_date__range=(period.start, period.end))
        .aggregate(**stage_interval_aggregates(), **_aggregates(as_of, signed_by_as_of=period.end <= as_of))
    )
    durations = stage_interval_days(result)
    return durations, _figures(result, as_of)


def stage_durations_milestone_rates_and_signings(period: Period, *, as_of: datetime.date) -> tuple[dict, dict, list]:
    """``stage_durations_and_milestone_rates`` of the city and its signings per signed date (``stats_monthly.monthly``'s
    ``signed_days``), from one scan of the period's signed projects (the dashboard's).

    The projects are grouped by signed date (a year: at most 366 rows) and the counts and sums of days added up
    here: exact integers, a sum with no value (no project with both dates) staying ``None`` as the database's.
    """
    rows = list(
        Project.objects.filter(signed_date__range=(period.start, period.end))
        .values("signed_date")
        .annotate(
            # Prefixed: the milestones count their own signed_projects (those signed by as_of).
            **{f"_day_{name}": aggregate for name, aggregate in signings().items()},
            **stage_interval_aggregates(),
            **_aggregates(as_of, signed_by_as_of=period.end <= as_of),
        )
        .order_by()
    )
    aggregates = {**stage_interval_aggregates(), **_aggregates(as_of)}
    # COUNT over no row is 0, SUM NULL.
    result = {name: 0 if isinstance(aggregate, Count) else None for name, aggregate in aggregates.items()}
    for row in rows:
        for name in aggregates:
            if row[name] is not None:
                result[name] = row[name] if result[name] is None else result[name] + row[name]
    # The names once: signings() builds its aggregates anew at each call.
    day_names = [(name, f"_day_{name}") for name in signings()]
    signed_days = [{"signed_date": row["signed_date"], **{name: row[day] for name, day in day_names}} for row in rows]
    return stage_interval_days(result), _figures(result, as_of), signed_days
