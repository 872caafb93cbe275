"""Monthly series of the statistics (``projects.stats`` definitions): visits, person-times and signings per month.

Two grouped queries, one over the daily visit rollup (or the visits, with a cluster filter, as
``stats.visit_summary`` reads them) and one over the period's signed projects; the months with
nothing are listed with zeros.
"""

import datetime

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncMonth

from chains.models import Chain, Cluster
from pinghu import figure_cache

from .periods import Period
from .stats import MONEY, ZERO, _cents, _visit_days, _visit_figures, projects_of, visits_in


def signings() -> dict:
    """Signed projects and their investment, as aggregates per signed date (``monthly`` adds the days up)."""
    return {
        "signed_projects": Count("pk"),
        "signed_investment": Coalesce(Sum("total_investment"), ZERO, output_field=MONEY),
    }


def visit_months(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Per month of the period with visits: ``month`` and ``stats.visit_summary``'s four visit figures, one query.

    The city's are kept for the other figures computed under the same data version (``figure_cache.shared_read``):
    the targets panel of the same year counts the visits again (``city_visit_totals_found``).
    """

    def read() -> list[dict]:
        if cluster is None:
            visits, figures = _visit_days(period, chain), _visit_figures(rollup=True)
        else:
            visits, figures = visits_in(period, cluster=cluster), _visit_figures(rollup=False)
        return list(visits.annotate(month=TruncMonth("date")).values("month").annotate(**figures).order_by())

    if chain is not None or cluster is not None:
        return read()
    return figure_cache.shared_read(_city_months_name(period), read)


def _city_months_name(period: Period) -> str:
    return f"projects:city-visit-months:{period.start}:{period.end}"


def city_visit_totals_found(period: Period) -> dict | None:
    """``visit_totals`` of the city's ``visit_months`` if the computation running has already read them, else
    ``None``."""
    months = figure_cache.shared_found(_city_months_name(period))
    return None if months is None else visit_totals(months)


def visit_totals(months: list[dict]) -> dict:
    """``visit_months``'s figures added up: the period's ``stats.visit_summary`` visit figures (whole numbers)."""
    return {name: sum(row[name] for row in months) for name in _visit_figures(rollup=True)}


def monthly(
    period: Period,
    *,
    chain: Chain | None = None,
    cluster: Cluster | None = None,
    signed_days: list[dict] | None = None,
    visit_rows: list[dict] | None = None,
) -> list[dict]:
    """Per month of the period: visits, person-times, Saturday person-times, signed projects and investment.

    Two grouped queries (visits by month, signings by month); months with nothing are listed with zeros.
    ``signed_days``: the period's signings per signed date (``signed_date`` and ``signings()``'s figures)
    when the caller already has them (the dashboard's come with the milestones, ``milestone_stats``);
    ``visit_rows``: the period's ``visit_months`` likewise (the dashboard's give its visit totals too). Each
    given saves its query.
    """
    if (signed_days is not None or visit_rows is not None) and (chain is not None or cluster is not None):
        raise ValueError("monthly(signed_days=…, visit_rows=…) takes the city's rows: give no chain or cluster")
    if visit_rows is None:
        visit_rows = visit_months(period, chain=chain, cluster=cluster)
    # Signings per day, added up per month here: on PostgreSQL DATE_TRUNC of a date goes through a
    # timestamp with time zone, which took half of the query's time (9 of 16 ms over this year's
    # 22,000 projects signed in the bench database); a year is at most 366 rows.
    signed_rows = signed_days
    if signed_rows is None:
        signed_rows = (
            projects_of(chain=chain, cluster=cluster)
            .filter(signed_date__range=(period.start, period.end))
            .values("signed_date")
            .annotate(**signings())
            .order_by()
        )
    visits_by_month = {_month(row["month"]): row for row in visit_rows}
    signed_by_month: dict[datetime.date, dict] = {}
    for row in signed_rows:
        month = signed_by_month.setdefault(
            row["signed_date"].replace(day=1), {"signed_projects": 0, "signed_investment": ZERO}
        )
        month["signed_projects"] += row["signed_projects"]
        month["signed_investment"] += row["signed_investment"]
    signed_by_month = {month: _cents(row) for month, row in signed_by_month.items()}
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
