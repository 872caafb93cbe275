"""The rows behind a report's counts: which visits, projects, funds records, problems and parcels each counts.

Stored with each closed version (``ReportVersion.rows``) so that every count can be traced to its
rows after later edits, and compared by ``reports.drift``. The row sets are those the statistics
count (``projects.stats.visits_in``, the projects linked to the period's visits, the signed projects and the band
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
``chains.nev.visits``). A fixed number of queries whatever the rows: eleven, one per distinct row set
of the targets and one naming their projects (on SQLite, one per 999 of them: its limit of parameters).
"""

from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.expressions import RawSQL

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


# The scopes that show each key: a key is kept per scope only where the scope's table has its figure.
_SHOWN_IN = {
    key: tuple(scope for scope in SCOPES if key in SCOPE_ROWS[scope]) for key in set().union(*SCOPE_ROWS.values())
}


class _Rows:
    """Row ids gathered per key, each key also per scope (chain, cluster, town) where that scope shows it."""

    def __init__(self):
        self.keys: dict[str, set] = defaultdict(set)
        self.projects: dict[int, list] = {}

    def add(self, key: str, pk: int, scopes: dict | None = None) -> None:
        """``pk`` under ``key`` and, for each scope of ``scopes`` that shows ``key``, under the scope's key."""
        self.keys[key].add(pk)
        if scopes:
            for scope in _SHOWN_IN.get(key, ()):
                code = scopes.get(scope)
                if code is not None and (code != "" or scope == "towns"):
                    self.keys[f"{scope}.{code}.{key}"].add(pk)

    def named(self, row: tuple) -> None:
        """Keep the name of a project row (read with ``_PROJECT``, as ``_PROJECT_FIELDS``) for the drift."""
        pk, name, chain_code, _cluster_code, town = row
        self.projects[pk] = [name, chain_code or "", town or ""]

    def name(self, row: tuple) -> dict:
        """The scopes of a project row (read with ``_PROJECT``, as ``_PROJECT_FIELDS``), its name kept."""
        self.named(row)
        return {"chains": row[2], "clusters": row[3], "towns": row[4] or ""}


_PROJECT = {"chain_code": F("chain__code"), "cluster_code": F("chain__cluster__code")}
_PROJECT_FIELDS = ("pk", "name", "chain_code", "cluster_code", "town")


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _signed(rows: _Rows, period: Period) -> None:
    """The signed projects, their bands and the milestones they reached by the period's end: one query."""
    flags = {f"in_{band.key}": _flag(band.condition()) for band in BANDS}
    # Per band, the keys it counts under (the 重大 band is also the major projects).
    band_keys = [[f"{band.key}__projects", *(["major_projects"] if band.key == "major" else [])] for band in BANDS]
    reached = [f"{name}_projects" for name in MILESTONE_REACHED]
    signed = Project.objects.filter(signed_date__range=(period.start, period.end))
    fields = (*_PROJECT_FIELDS, *flags, *MILESTONE_REACHED.values())
    width = len(_PROJECT_FIELDS)
    for row in signed.annotate(**flags, **_PROJECT).values_list(*fields).order_by("pk"):
        pk, scopes = row[0], rows.name(row[:width])
        rows.add("signed_projects", pk, scopes)
        for keys, flag in zip(band_keys, row[width : width + len(BANDS)], strict=True):
            if flag:
                for key in keys:
                    rows.add(key, pk, scopes)
        for key, day in zip(reached, row[width + len(BANDS) :], strict=True):
            if day is not None and day <= period.end:
                rows.add(key, pk, scopes)


def _projects(rows: _Rows, period: Period) -> None:
    """Projects engaged (and on Saturdays), started and in production in the period: three queries."""
    span = (period.start, period.end)
    links = VisitProject.objects.filter(visit_date__range=span)
    saturday = set(links.filter(visit_date__week_day=SATURDAY).values_list("project", flat=True))
    engaged = Project.objects.filter(pk__in=links.values("project")).annotate(**_PROJECT).values_list(*_PROJECT_FIELDS)
    for row in engaged:
        rows.add("projects_engaged", row[0], rows.name(row))
        if row[0] in saturday:
            rows.add("saturday_projects_engaged", row[0])
    for key, field in (("started_in_period", "construction_date"), ("in_production_in_period", "production_date")):
        dated = Project.objects.filter(**{f"{field}__range": span}).annotate(**_PROJECT)
        for row in dated.values_list(*_PROJECT_FIELDS):
            rows.add(key, row[0], rows.name(row))


def _visits(rows: _Rows, period: Period) -> None:
    """Visits and Saturday visits, per chain and cluster concerned (a row per visit and chain): one query."""
    for pk, saturday, chain, cluster in visits_in(period).values_list(
        "pk", "is_saturday", "chains__code", "chains__cluster__code"
    ):
        scopes = {"chains": chain, "clusters": cluster}
        rows.add("visits", pk, scopes)
        if saturday:
            rows.add("saturday_visits", pk, scopes)


def _records(rows: _Rows, period: Period) -> None:
    """Funds records, problems, salons and parcels: four queries."""
    funds = funds_in(period).annotate(money=_flag(MONEY_IN))
    for pk, project, money, chain, cluster, town in funds.values_list(
        "pk", "project_id", "money", "project__chain__code", "project__chain__cluster__code", "project__town"
    ):
        scopes = {"chains": chain, "clusters": cluster, "towns": town or ""}
        rows.add("funds_records", pk, scopes)
        if money:
            rows.add("projects_with_funds", project, scopes)
    for pk, resolved in issues_in(period).values_list("pk", _flag(resolved_condition(period.end))):
        rows.add("issues_collected", pk)
        if resolved:
            rows.add("issues_resolved", pk)
    for pk in SalonEvent.objects.filter(date__range=(period.start, period.end)).values_list("pk", flat=True):
        rows.add("issues_salons", pk)
    for pk, recycled, town in parcels_supplied_in(period).values_list("pk", _flag(RECYCLED), "town"):
        scopes = {"towns": town or ""}
        rows.add("parcels_supplied", pk, scopes)
        if recycled:
            rows.add("parcels_recycled", pk, scopes)


def _targets(rows: _Rows, period: Period) -> dict:
    """The rows behind each target's actual on the period's end; their kinds, by key.

    One query per distinct row set: the targets that count the same rows (a chain's signed projects and
    their investment, visits and person-times) share it; each reads only the ids, and one more query
    names the projects of them all (a year's targets count tens of thousands of projects, read with
    their names and scopes once rather than once per target). Not the money targets (funds in place,
    actual foreign investment): they sum the year's monthly records, not count rows; the period's
    records behind the report's own funds figures are kept (``funds_records``).
    """
    models, read, projects = {}, {}, set()
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
            read[same] = _ids(behind, sql, params) if sql else set()
            if model == "projects.project":
                projects |= read[same]
        rows.keys[key] = read[same]
        if model != "projects.project":
            models[key] = model
    _name_projects(rows, projects - rows.projects.keys())
    return models


def _ids(queryset, sql: str, params) -> set:
    """The primary keys of ``queryset`` (``sql`` and ``params``: its ``values_list("pk")``).

    On PostgreSQL they come back as one array (``array_agg``), parsed by the driver: a year's visits
    behind a target are a hundred thousand rows, which Django would turn into as many tuples.
    """
    if connection.vendor != "postgresql":
        return set(queryset.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT array_agg(s.pk) FROM ({sql}) AS s(pk)", params)
        return set(cursor.fetchone()[0] or ())


def _name_projects(rows: _Rows, ids: set) -> None:
    """Name the projects ``ids``: one query (on SQLite, one per ``max_query_params`` ids).

    On PostgreSQL the ids are one array parameter: an ``IN`` list of tens of thousands costs Django
    a quarter of a second to prepare, one parameter at a time.
    """
    ordered = sorted(ids)
    if connection.vendor == "postgresql":
        batches = [RawSQL("SELECT unnest(%s::bigint[])", (ordered,))]  # one query, even for none
    else:
        size = connection.features.max_query_params or len(ordered) or 1
        batches = [ordered[start : start + size] for start in range(0, len(ordered), size)]
    for batch in batches:
        named = Project.objects.filter(pk__in=batch).annotate(**_PROJECT).order_by()
        for row in named.values_list(*_PROJECT_FIELDS):
            rows.named(row)


def identities(period: Period, *, targets: bool = False) -> dict:
    """The rows behind the report's counts over ``period`` (JSON-safe: ids as numbers, keys as text)."""
    rows = _Rows()
    _signed(rows, period)
    _projects(rows, period)
    _visits(rows, period)
    _records(rows, period)
    models = _targets(rows, period) if targets else {}
    ordered: dict[int, list] = {}  # targets that count the same rows share one set: sorted once
    result = {}
    for key, ids in sorted(rows.keys.items()):
        if id(ids) not in ordered:
            ordered[id(ids)] = sorted(ids)
        result[key] = ordered[id(ids)]
    result["projects"] = {str(pk): value for pk, value in sorted(rows.projects.items())}
    result["models"] = models
    result["format"] = FORMAT
    return result
