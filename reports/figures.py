"""What a closed report holds: every figure, computed by the existing statistics as of the period's end.

Nothing is defined here a second time. Each section calls the statistics that define its figures
(``projects.stats``, ``band_stats``, ``funds_stats``, ``milestone_stats``, ``stats_by_scope``,
``stats_land``, ``aftercare.stats``, ``targets.selectors``) over the report's period, and every
"as of" figure is read as of the period's end, so that time passing is not drift:

- the milestone rates (落地率, 开工率, 投产率, 达产率) are ``milestone_rates(period, as_of=end)``, not
  ``signed_summary``'s 开工 (which counts starts after the period): ``started_projects`` and
  ``start_rate`` of the signed figures are left out;
- problems count as resolved when resolved by the period's end (``issue_summary(as_of=end)``);
- target progress is ``target_progress(year of the end, end)``.

``compute(template_sections, period)`` returns the sections as plain JSON-safe data (Decimals as
strings, dates as ISO text); ``reports.identities`` gives the rows behind the counts. A fixed number
of queries whatever the rows.
"""

import datetime
from decimal import Decimal

from django.db.models import F

from aftercare.stats import issue_summary
from chains.choices import Town
from projects.bands import BANDS
from projects.funds_stats import funds_by_chain, funds_by_cluster, funds_by_town, funds_summary
from projects.milestone_stats import _aggregates as _milestone_aggregates
from projects.milestone_stats import _figures as _milestone_figures
from projects.milestone_stats import milestone_rates
from projects.models import Project
from projects.periods import Period
from projects.stats import signed_by_chain, signed_by_cluster, signed_summary, visit_summary, visits_by_chain
from projects.stats_by_scope import bands_by, milestones_by, visits_by
from projects.stats_land import land_by_town, land_summary
from targets.selectors import target_progress

from .choices import Section

# signed_summary's figures read at the time of asking, replaced by the milestone rates as of the end.
NOT_AS_OF = ("started_projects", "start_rate")
MILESTONE_KEYS = [
    f"{name}_{suffix}"
    for name in ("registered", "started", "in_production", "at_capacity")
    for suffix in ("projects", "rate")
]
BAND_KEYS = [f"{band.key}__{figure}" for band in BANDS for figure in ("projects", "investment")]
ISSUE_KEYS = ("collected", "resolved", "resolution_rate", "average_days_to_resolve", "salons")


def jsonable(value):
    """``value`` with Decimals as strings and dates as ISO text, recursively (JSON keeps them exactly)."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _milestone_rates(queryset, as_of: datetime.date) -> dict:
    figures = _milestone_figures(queryset.aggregate(**_milestone_aggregates(as_of)), as_of)
    return {key: figures[key] for key in MILESTONE_KEYS}


def _rates_by(period: Period, field: str) -> dict:
    """``milestone_rates`` as of the period's end, grouped by a project field (one query)."""
    rows = (
        Project.objects.filter(signed_date__range=(period.start, period.end))
        .annotate(_group=F(field))
        .values("_group")
        .annotate(**_milestone_aggregates(period.end))
        .order_by()
    )
    result = {}
    for row in rows:
        key = row.pop("_group")
        figures = _milestone_figures(row, period.end)
        result[key] = {name: figures[name] for name in MILESTONE_KEYS}
    return result


def summary(period: Period) -> dict:
    """The city's headline figures."""
    signed = {k: v for k, v in signed_summary(period).items() if k not in NOT_AS_OF}
    signed.update(_bands(signed))
    rates = milestone_rates(period, as_of=period.end)
    counted = milestones_by(period, "city").get(None, {"started_projects": 0, "in_production_projects": 0})
    issues = issue_summary(period, as_of=period.end, today=period.end)
    land = land_summary(period)
    return {
        **visit_summary(period),
        **signed,
        **funds_summary(period),
        **{key: rates[key] for key in MILESTONE_KEYS},
        "started_in_period": counted["started_projects"],
        "in_production_in_period": counted["in_production_projects"],
        **{f"issues_{key}": issues[key] for key in ISSUE_KEYS},
        **land,
    }


def _zero_bands() -> dict:
    return {key: (0 if key.endswith("projects") else Decimal("0.00")) for key in BAND_KEYS}


def _bands(figures: dict | None) -> dict:
    """The band figures of a group (``projects.signed_groups``), amounts to the cent; zeros when it has none."""
    result = _zero_bands()
    for key in BAND_KEYS:
        if figures and key in figures:
            value = figures[key]
            result[key] = value if key.endswith("projects") else Decimal(value).quantize(Decimal("0.01"))
    return result


def _milestone_counts(row: dict | None) -> dict:
    row = row or {}
    return {
        "started_in_period": row.get("started_projects", 0),
        "in_production_in_period": row.get("in_production_projects", 0),
    }


def _empty_rates() -> dict:
    return {key: (0 if key.endswith("projects") else None) for key in MILESTONE_KEYS}


def by_chain(period: Period) -> list[dict]:
    """Per chain (zero rows included, in chain order)."""
    visits = {row["pk"]: row for row in visits_by_chain(period)}
    funds = funds_by_chain(period)
    bands = bands_by(period, "chain")
    started = milestones_by(period, "chain")
    rates = _rates_by(period, "chain")
    rows = []
    for row in signed_by_chain(period):
        pk = row["pk"]
        visit = visits.get(pk, {})
        rows.append(
            {
                "code": row["code"],
                "name": row["name"],
                "cluster": row["cluster__name"],
                **{k: visit.get(k, 0) for k in ("visits", "person_times", "saturday_person_times", "projects_engaged")},
                **{k: v for k, v in row.items() if k not in (*NOT_AS_OF, "pk", "code", "name") and "__" not in k},
                **_bands(bands.get(pk)),
                **funds.get(pk, {}),
                **_milestone_counts(started.get(pk)),
                **rates.get(pk, _empty_rates()),
            }
        )
    return [_only_figures(row) for row in rows]


def _only_figures(row: dict) -> dict:
    for key in ("signed_foreign_investment",):
        row.setdefault(key, Decimal("0.00"))
    row.setdefault("funds_in_place", Decimal("0.00"))
    row.setdefault("foreign_paid_in", Decimal("0.00"))
    row.setdefault("projects_with_funds", 0)
    return row


def by_cluster(period: Period) -> list[dict]:
    """Per cluster (zero rows included): a visit concerning two of its chains counts once."""
    visits = visits_by(period, "cluster")
    funds = funds_by_cluster(period)
    bands = bands_by(period, "cluster")
    started = milestones_by(period, "cluster")
    rates = _rates_by(period, "chain__cluster")
    rows = []
    for row in signed_by_cluster(period):
        pk = row["pk"]
        visit = visits.get(pk, {})
        rows.append(
            _only_figures(
                {
                    "code": row["code"],
                    "name": row["name"],
                    "visits": visit.get("visits", 0),
                    "saturday_person_times": visit.get("saturday_person_times", 0),
                    **{k: v for k, v in row.items() if k not in (*NOT_AS_OF, "pk", "code", "name")},
                    **_bands(bands.get(pk)),
                    **funds.get(pk, {}),
                    **_milestone_counts(started.get(pk)),
                    **rates.get(pk, _empty_rates()),
                }
            )
        )
    return rows


def by_town(period: Period) -> list[dict]:
    """Per town of Pinghu (zero rows included), then projects without a town when there are any."""
    bands = bands_by(period, "town")  # the signed figures and the bands, in one query
    signed = bands
    funds = {row["town"]: row for row in funds_by_town(period)}
    started = milestones_by(period, "town")
    rates = _rates_by(period, "town")
    land = {row["town"]: row for row in land_by_town(period)}
    towns = [(town.value, str(town.label)) for town in Town]
    if any("" in figures for figures in (signed, funds, started, land)):
        towns.append(("", "—"))
    rows = []
    for code, label in towns:
        fund = funds.get(code, {})
        parcels = land.get(code, {})
        rows.append(
            {
                "code": code,
                "name": label,
                "signed_projects": signed.get(code, {}).get("signed_projects", 0),
                "signed_investment": signed.get(code, {}).get("signed_investment", Decimal("0.00")),
                **_bands(bands.get(code)),
                "funds_in_place": fund.get("funds_in_place", Decimal("0.00")),
                "foreign_paid_in": fund.get("foreign_paid_in", Decimal("0.00")),
                **_milestone_counts(started.get(code)),
                **rates.get(code, _empty_rates()),
                "land_supplied": parcels.get("land_supplied", Decimal("0")),
                "parcels_supplied": parcels.get("parcels_supplied", 0),
            }
        )
    return rows


def targets(period: Period) -> list[dict]:
    """Every target of the end's year with its progress as of the period's end."""
    rows = []
    for item in target_progress(period.end.year, period.end):
        target = item.target
        rows.append(
            {
                "id": target.pk,
                "target": str(target),
                "scope_kind": target.scope_kind,
                "scope": target.scope_label,
                "metric": target.metric,
                "metric_label": str(target.get_metric_display()),
                "unit": str(item.unit.label) if hasattr(item.unit, "label") else str(item.unit),
                "value": target.value,
                "actual": item.actual,
                "completion": item.completion,
                "time_progress": item.time_progress,
                "gap_points": item.gap_points,
                "status": str(item.status),
                "rank": item.rank,
            }
        )
    return rows


PROJECT_FIELDS = ("pk", "name", "chain__name", "town", "total_investment", "signed_date")


def _project_list(queryset, date_field: str) -> list[dict]:
    fields = (*PROJECT_FIELDS, date_field) if date_field not in PROJECT_FIELDS else PROJECT_FIELDS
    rows = queryset.select_related(None).values(*fields)  # every row: the page shows the first ones
    return [
        {
            "id": row["pk"],
            "name": row["name"],
            "chain": row["chain__name"] or "",
            "town": row["town"],
            "total_investment": row["total_investment"],
            "date": row[date_field],
        }
        for row in rows
    ]


def major_signed(period: Period) -> list[dict]:
    """The 亿元以上 projects signed in the period, the largest first."""
    band = next(band for band in BANDS if band.key == "cny_100m")
    projects = Project.objects.filter(band.condition(), signed_date__range=(period.start, period.end))
    return _project_list(projects.order_by("-total_investment", "pk"), "signed_date")


def dated_in(period: Period, field: str) -> list[dict]:
    """Projects whose ``field`` (the start or production date) falls in the period."""
    projects = Project.objects.filter(**{f"{field}__range": (period.start, period.end)})
    return _project_list(projects.order_by(field, "pk"), field)


def land_towns(period: Period) -> list[dict]:
    """Land supplied per town (towns with a parcel supplied in the period)."""
    labels = dict(Town.choices)
    return [{"name": str(labels.get(row["town"], row["town"] or "—")), **row} for row in land_by_town(period)]


def compute(sections: list[str], period: Period) -> dict:
    """Every section of ``sections`` (the summary always) over ``period``, JSON-safe."""
    builders = {
        Section.CHAINS: by_chain,
        Section.CLUSTERS: by_cluster,
        Section.TOWNS: by_town,
        Section.TARGETS: targets,
        Section.MAJOR_SIGNED: major_signed,
        Section.STARTED: lambda p: dated_in(p, "construction_date"),
        Section.IN_PRODUCTION: lambda p: dated_in(p, "production_date"),
        Section.LAND: land_towns,
    }
    headline = summary(period)
    result = {"period": {"start": period.start, "end": period.end, "as_of": period.end}, "summary": headline}
    for section in sections:
        if section == Section.ISSUES:  # the summary's figures, as a section of their own
            result[section] = {key: headline[f"issues_{key}"] for key in ISSUE_KEYS}
        elif section in builders:
            result[section] = builders[section](period)
    return jsonable(result)
