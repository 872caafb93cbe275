"""The rows behind a report's counts: which visits, projects, funds records, problems and parcels each counts.

Stored with each closed version (``ReportVersion.rows``) so that a figure can be traced to its rows
after later edits, and compared by ``reports.drift``. The row sets are those the statistics count
(``projects.stats.visits_in`` and ``engaged_projects``, the signed projects and the band conditions
of ``projects.bands``, the milestone dates of ``projects.milestone_stats``, ``funds_stats.funds_in``,
``aftercare.stats.issues_in``, ``stats_land.parcels_supplied_in``), read as of the period's end.

``identities(period)`` returns ``{"<figure>": [ids…], …, "projects": {id: [name, chain code, town]}}``:
the keys name the summary's figures (``visits``, ``signed_projects``, ``cny_100m__projects``,
``started_projects``…) and, for the signed projects, each chain's, cluster's and town's
(``chains.<code>.signed_projects``…), derived from the projects' chain and town recorded here. The
projects' names let the drift name what was added or removed. Eight queries whatever the rows.
"""

from django.db.models import BooleanField, ExpressionWrapper, F, Q

from aftercare.stats import issues_in, resolved_condition
from projects.bands import BANDS
from projects.funds_stats import funds_in
from projects.milestone_stats import MILESTONE_REACHED
from projects.models import Project
from projects.periods import Period
from projects.stats import engaged_projects, visits_in
from projects.stats_land import RECYCLED, parcels_supplied_in

MONEY_IN = Q(domestic_funds__gt=0) | Q(actual_foreign_investment__gt=0)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def _signed(period: Period) -> tuple[dict, dict]:
    """The signed projects' ids per figure, and each one's name, chain code, cluster code and town: one query."""
    flags = {f"in_{band.key}": ExpressionWrapper(band.condition(), output_field=BooleanField()) for band in BANDS}
    dates = list(MILESTONE_REACHED.values())
    rows = (
        Project.objects.filter(signed_date__range=(period.start, period.end))
        .annotate(**flags, chain_code=F("chain__code"), cluster_code=F("chain__cluster__code"))
        .values("pk", "name", "chain_code", "cluster_code", "town", *flags, *dates)
        .order_by("pk")
    )
    result: dict[str, list[int]] = {"signed_projects": []}
    for band in BANDS:
        result[f"{band.key}__projects"] = []
    result["major_projects"] = result["major__projects"]
    for name in MILESTONE_REACHED:
        result[f"{name}_projects"] = []
    projects = {}
    for row in rows:
        pk = row["pk"]
        projects[pk] = [row["name"], row["chain_code"] or "", row["town"] or ""]
        result["signed_projects"].append(pk)
        for band in BANDS:
            if row[f"in_{band.key}"]:
                result[f"{band.key}__projects"].append(pk)
        for name, field in MILESTONE_REACHED.items():
            if row[field] is not None and row[field] <= period.end:
                result[f"{name}_projects"].append(pk)
        for scope, code in (("chains", row["chain_code"]), ("clusters", row["cluster_code"]), ("towns", row["town"])):
            result.setdefault(f"{scope}.{code or ''}.signed_projects", []).append(pk)
    return result, projects


def _named(queryset) -> dict:
    return {row["pk"]: [row["name"], row["chain__code"] or "", row["town"] or ""] for row in queryset}


def identities(period: Period) -> dict:
    """The rows behind the report's counts over ``period`` (JSON-safe: ids as numbers, keys as text)."""
    span = (period.start, period.end)
    signed, projects = _signed(period)
    visits = visits_in(period).values_list("pk", "is_saturday").order_by("pk")
    engaged = engaged_projects(period).values("pk", "name", "chain__code", "town").order_by("pk")
    started = Project.objects.filter(construction_date__range=span).values("pk", "name", "chain__code", "town")
    producing = Project.objects.filter(production_date__range=span).values("pk", "name", "chain__code", "town")
    funds = funds_in(period).values_list("pk", "project_id", _flag(MONEY_IN)).order_by("pk")
    issues = issues_in(period).values_list("pk", _flag(resolved_condition(period.end))).order_by("pk")
    parcels = parcels_supplied_in(period).values_list("pk", _flag(RECYCLED)).order_by("pk")
    visit_rows, engaged_rows = list(visits), list(engaged)
    started_rows, producing_rows = list(started), list(producing)
    fund_rows, issue_rows, parcel_rows = list(funds), list(issues), list(parcels)
    for group in (engaged_rows, started_rows, producing_rows):
        projects.update(_named(group))
    result = {
        "visits": [pk for pk, _saturday in visit_rows],
        "saturday_visits": [pk for pk, saturday in visit_rows if saturday],
        "projects_engaged": [row["pk"] for row in engaged_rows],
        **signed,
        "started_in_period": sorted(row["pk"] for row in started_rows),
        "in_production_in_period": sorted(row["pk"] for row in producing_rows),
        "funds_records": [pk for pk, _project, _money in fund_rows],
        "projects_with_funds": sorted({project for _pk, project, money in fund_rows if money}),
        "issues_collected": [pk for pk, _resolved in issue_rows],
        "issues_resolved": [pk for pk, resolved in issue_rows if resolved],
        "parcels_supplied": [pk for pk, _recycled in parcel_rows],
        "parcels_recycled": [pk for pk, recycled in parcel_rows if recycled],
    }
    result["projects"] = {str(pk): value for pk, value in sorted(projects.items())}
    return result
