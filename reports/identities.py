"""The rows behind a report's counts: which visits, projects, funds records, problems and parcels each counts.

Stored with each closed version (``ReportVersion.rows``) so that every count can be traced to its
rows after later edits, and compared by ``reports.drift``. The row sets are those the statistics
count (``projects.stats.visits_in`` and ``engaged_projects``, the signed projects and the band
conditions of ``projects.bands``, the milestone dates of ``projects.milestone_stats``,
``funds_stats.funds_in``, ``aftercare.stats.issues_in``, ``stats_land.parcels_supplied_in``,
``targets.actuals.rows_behind``), read as of the period's end.

``identities(period, targets=…)`` returns ``{"<key>": [ids…], …}`` with

- the summary's keys (``visits``, ``signed_projects``, ``cny_100m__projects``, ``started_in_period``…);
- the same per scope, ``chains.<code>.<key>``, ``clusters.<code>.<key>``, ``towns.<code>.<key>``, for
  the figures each scope's table shows (a visit counts for every chain it concerns; a project, a
  funds record, for its project's chain, cluster and town; a parcel for its own town);
- with ``targets``, ``targets.<id>``: the rows behind each target's count as of the period's end (the
  money targets sum records and have none);
- ``projects``: ``{id: [name, chain code, town]}`` of every project named, so the drift can name
  what was added or removed; ``models``: the kind of row of each key that does not hold projects;
- ``format``: 2 (versions closed before per-scope rows were kept have no ``format``).

``rows_key(path)`` maps a figure's path to the key of its rows (``chains.nev.person_times`` →
``chains.nev.visits``). A fixed number of queries whatever the rows: eleven, and one per distinct row
set of the targets.
"""

from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, ExpressionWrapper, F, Q

from aftercare.models import SalonEvent
from aftercare.stats import issues_in, resolved_condition
from projects.bands import BANDS
from projects.funds_stats import funds_in
from projects.milestone_stats import MILESTONE_REACHED
from projects.models import Project, VisitProject
from projects.periods import Period
from projects.stats import visits_in
from projects.stats_land import RECYCLED, parcels_supplied_in
from projects.stats_saturday import SATURDAY
from targets.actuals import rows_behind
from targets.metrics import METRICS
from targets.selectors import targets_of_year

FORMAT = 2
MONEY_IN = Q(domestic_funds__gt=0) | Q(actual_foreign_investment__gt=0)
SCOPES = ("chains", "clusters", "towns")
BAND_ROWS = [f"{band.key}__projects" for band in BANDS]
MILESTONE_ROWS = [f"{name}_projects" for name in MILESTONE_REACHED]
PROJECT_ROWS = ["signed_projects", "major_projects", *BAND_ROWS, *MILESTONE_ROWS]
PROJECT_ROWS += ["started_in_period", "in_production_in_period"]
FUNDS_ROWS = ["funds_records", "projects_with_funds"]
# The keys each scope's table has figures for (the figures of reports.figures.by_chain, by_cluster, by_town).
SCOPE_ROWS = {
    "chains": {"visits", "saturday_visits", "projects_engaged", *PROJECT_ROWS, *FUNDS_ROWS},
    "clusters": {"visits", "saturday_visits", *PROJECT_ROWS, *FUNDS_ROWS},
    "towns": {*PROJECT_ROWS, *FUNDS_ROWS, "parcels_supplied", "parcels_recycled"} - {"major_projects"},
}
# A figure counted or summed over the rows of another key.
FIGURE_ROWS = {
    "person_times": "visits",
    "saturday_person_times": "saturday_visits",
    "signed_investment": "signed_projects",
    "signed_foreign_investment": "signed_projects",
    "funds_in_place": "funds_records",
    "foreign_paid_in": "funds_records",
    "land_supplied": "parcels_supplied",
    "land_recycled": "parcels_recycled",
    "issues_resolution_rate": "issues_resolved",
    "issues_average_days_to_resolve": "issues_resolved",
    **{f"{band.key}__investment": f"{band.key}__projects" for band in BANDS},
    **{f"{name}_rate": f"{name}_projects" for name in MILESTONE_REACHED},
}
# The rows that are not projects, by key (a scope's key ends with one of these).
ROW_MODELS = {
    "visits": "projects.investmentvisit",
    "saturday_visits": "projects.investmentvisit",
    "funds_records": "projects.projectfunds",
    "issues_collected": "aftercare.enterpriseissue",
    "issues_resolved": "aftercare.enterpriseissue",
    "issues_salons": "aftercare.salonevent",
    "parcels_supplied": "projects.landparcel",
    "parcels_recycled": "projects.landparcel",
}


def rows_key(path: str) -> str | None:
    """The key of the rows behind the figure at ``path`` (``summary.visits``, ``towns.X.land_supplied``…)."""
    section, _sep, rest = path.partition(".")
    prefix = ""
    if section == "summary":
        figure = rest
    elif section in SCOPES or section == "land":
        code, _sep, figure = rest.rpartition(".")
        prefix = f"{'towns' if section == 'land' else section}.{code}."
    elif section == "issues":
        figure = f"issues_{rest}"
    elif section == "targets":
        target, _sep, figure = rest.rpartition(".")
        return f"targets.{target}" if figure == "actual" else None
    else:
        return None
    return prefix + FIGURE_ROWS.get(figure, figure)


def row_model(key: str, rows: dict) -> str:
    """The kind of row a key holds (``projects.project`` unless recorded or known otherwise)."""
    recorded = rows.get("models", {}).get(key)
    return recorded or ROW_MODELS.get(key.rpartition(".")[2], "projects.project")


class _Rows:
    """Row ids gathered per key, each key also per scope (chain, cluster, town) where that scope shows it."""

    def __init__(self):
        self.keys: dict[str, set] = defaultdict(set)
        self.projects: dict[int, list] = {}

    def add(self, key: str, pk: int, **scopes) -> None:
        self.keys[key].add(pk)
        for scope, code in scopes.items():
            if key in SCOPE_ROWS[scope] and code is not None and (code != "" or scope == "towns"):
                self.keys[f"{scope}.{code}.{key}"].add(pk)

    def name(self, row: dict) -> dict:
        """The scopes of a project row (read with ``_PROJECT``), its name kept for the drift."""
        self.projects[row["pk"]] = [row["name"], row["chain_code"] or "", row["town"] or ""]
        return {"chains": row["chain_code"], "clusters": row["cluster_code"], "towns": row["town"] or ""}


_PROJECT = {"chain_code": F("chain__code"), "cluster_code": F("chain__cluster__code")}
_PROJECT_FIELDS = ("pk", "name", "chain_code", "cluster_code", "town")


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _signed(rows: _Rows, period: Period) -> None:
    """The signed projects, their bands and the milestones they reached by the period's end: one query."""
    flags = {f"in_{band.key}": _flag(band.condition()) for band in BANDS}
    dates = list(MILESTONE_REACHED.values())
    signed = Project.objects.filter(signed_date__range=(period.start, period.end))
    for row in signed.annotate(**flags, **_PROJECT).values(*_PROJECT_FIELDS, *flags, *dates).order_by("pk"):
        pk, scopes = row["pk"], rows.name(row)
        rows.add("signed_projects", pk, **scopes)
        for band in BANDS:
            if row[f"in_{band.key}"]:
                rows.add(f"{band.key}__projects", pk, **scopes)
                if band.key == "major":
                    rows.add("major_projects", pk, **scopes)
        for name, field in MILESTONE_REACHED.items():
            if row[field] is not None and row[field] <= period.end:
                rows.add(f"{name}_projects", pk, **scopes)


def _projects(rows: _Rows, period: Period) -> None:
    """Projects engaged (and on Saturdays), started and in production in the period: three queries."""
    span = (period.start, period.end)
    links = VisitProject.objects.filter(visit_date__range=span)
    saturday = set(links.filter(visit_date__week_day=SATURDAY).values_list("project", flat=True))
    engaged = Project.objects.filter(pk__in=links.values("project")).annotate(**_PROJECT).values(*_PROJECT_FIELDS)
    for row in engaged:
        scopes = rows.name(row)
        rows.add("projects_engaged", row["pk"], **scopes)
        if row["pk"] in saturday:
            rows.add("saturday_projects_engaged", row["pk"])
    for key, field in (("started_in_period", "construction_date"), ("in_production_in_period", "production_date")):
        dated = Project.objects.filter(**{f"{field}__range": span}).annotate(**_PROJECT).values(*_PROJECT_FIELDS)
        for row in dated:
            rows.add(key, row["pk"], **rows.name(row))


def _visits(rows: _Rows, period: Period) -> None:
    """Visits and Saturday visits, per chain and cluster concerned (a row per visit and chain): one query."""
    for pk, saturday, chain, cluster in visits_in(period).values_list(
        "pk", "is_saturday", "chains__code", "chains__cluster__code"
    ):
        for key in ("visits", "saturday_visits") if saturday else ("visits",):
            rows.add(key, pk, chains=chain, clusters=cluster)


def _records(rows: _Rows, period: Period) -> None:
    """Funds records, problems, salons and parcels: four queries."""
    funds = funds_in(period).annotate(money=_flag(MONEY_IN))
    for pk, project, money, chain, cluster, town in funds.values_list(
        "pk", "project_id", "money", "project__chain__code", "project__chain__cluster__code", "project__town"
    ):
        scopes = {"chains": chain, "clusters": cluster, "towns": town or ""}
        rows.add("funds_records", pk, **scopes)
        if money:
            rows.add("projects_with_funds", project, **scopes)
    for pk, resolved in issues_in(period).values_list("pk", _flag(resolved_condition(period.end))):
        rows.add("issues_collected", pk)
        if resolved:
            rows.add("issues_resolved", pk)
    for pk in SalonEvent.objects.filter(date__range=(period.start, period.end)).values_list("pk", flat=True):
        rows.add("issues_salons", pk)
    for pk, recycled, town in parcels_supplied_in(period).values_list("pk", _flag(RECYCLED), "town"):
        rows.add("parcels_supplied", pk, towns=town or "")
        if recycled:
            rows.add("parcels_recycled", pk, towns=town or "")


def _targets(rows: _Rows, period: Period) -> dict:
    """The rows behind each target's actual on the period's end; their kinds, by key.

    One query per distinct row set: the targets that count the same rows (a chain's signed projects and
    their investment, visits and person-times) share it. Not the money targets (funds in place, actual
    foreign investment): they sum the year's monthly records, not count rows; the period's records
    behind the report's own funds figures are kept (``funds_records``).
    """
    models, read = {}, {}
    for target in targets_of_year(period.end.year):
        if METRICS[target.metric].source == "funds":
            continue
        behind = rows_behind(target, period.end).select_related(None).order_by()
        key, model = f"targets.{target.pk}", behind.model._meta.label_lower
        try:
            sql, params = behind.values_list("pk").query.sql_with_params()
        except EmptyResultSet:  # ``.none()``: a target with nothing to count yet (no output figures)
            sql, params = "", ()
        same = (model, sql, tuple(params))
        if same not in read:
            if model == "projects.project":
                read[same] = {
                    rows.name(row) and row["pk"] for row in behind.annotate(**_PROJECT).values(*_PROJECT_FIELDS)
                }
            else:
                read[same] = set(behind.values_list("pk", flat=True))
        rows.keys[key] = read[same]
        if model != "projects.project":
            models[key] = model
    return models


def identities(period: Period, *, targets: bool = False) -> dict:
    """The rows behind the report's counts over ``period`` (JSON-safe: ids as numbers, keys as text)."""
    rows = _Rows()
    _signed(rows, period)
    _projects(rows, period)
    _visits(rows, period)
    _records(rows, period)
    models = _targets(rows, period) if targets else {}
    result = {key: sorted(ids) for key, ids in sorted(rows.keys.items())}
    result["projects"] = {str(pk): value for pk, value in sorted(rows.projects.items())}
    result["models"] = models
    result["format"] = FORMAT
    return result
