"""How a report's stored figures are laid out: the rows and columns of each section, with labels and formats.

The page and the XLSX workbook read the same layout, and both show the stored values (never
recomputed), so the three formats (page, workbook, API) carry the same numbers. Each column is
``(key, label, kind)``; the kinds: ``int`` (a count), ``wan`` (万元, two decimals), ``usd`` (万美元),
``mu`` (亩), ``rate`` (a fraction shown as a percentage), ``text``, ``date``.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .choices import Section

SUMMARY = [
    ("visits", _("Investment visits"), "int"),
    ("saturday_visits", _("Saturday visits"), "int"),
    ("person_times", _("Person-times"), "int"),
    ("saturday_person_times", _("Saturday person-times"), "int"),
    ("projects_engaged", _("Projects engaged"), "int"),
    ("signed_projects", _("Signed projects"), "int"),
    ("signed_investment", _("Signed investment (万元)"), "wan"),
    ("cny_100m__projects", _("Signed projects of 100 million yuan or more"), "int"),
    ("cny_100m__investment", _("Their investment (万元)"), "wan"),
    ("cny_1bn__projects", _("Signed projects of 1 billion yuan or more"), "int"),
    ("cny_1bn__investment", _("Their investment (万元)"), "wan"),
    ("usd_100m__projects", _("Signed projects over US$100 million"), "int"),
    ("foreign_usd_30m__projects", _("Projects with foreign investment of US$30 million or more"), "int"),
    ("major_projects", _("Major projects"), "int"),
    ("funds_in_place", _("Domestic funds in place (万元)"), "wan"),
    ("foreign_paid_in", _("Actual foreign investment (万美元)"), "usd"),
    ("projects_with_funds", _("Projects with funds in place"), "int"),
    ("started_in_period", _("Projects started in the period"), "int"),
    ("in_production_in_period", _("Projects put into production in the period"), "int"),
    ("registered_rate", _("Registration rate of the period's signings (落地率)"), "rate"),
    ("started_rate", _("Start rate of the period's signings (开工率)"), "rate"),
    ("in_production_rate", _("Production rate of the period's signings (投产率)"), "rate"),
    ("issues_collected", _("Problems collected"), "int"),
    ("issues_resolved", _("Problems resolved"), "int"),
    ("issues_resolution_rate", _("Resolution rate"), "rate"),
    ("land_supplied", _("Land supplied (亩)"), "mu"),
    ("land_recycled", _("Land recycled from low-efficiency firms (亩)"), "mu"),
]

_SCOPE = [
    ("signed_projects", _("Signed projects"), "int"),
    ("signed_investment", _("Signed investment (万元)"), "wan"),
    ("cny_100m__projects", _("100 million yuan or more"), "int"),
    ("cny_1bn__projects", _("1 billion yuan or more"), "int"),
    ("funds_in_place", _("Domestic funds in place (万元)"), "wan"),
    ("foreign_paid_in", _("Actual foreign investment (万美元)"), "usd"),
    ("started_in_period", _("Started"), "int"),
    ("in_production_in_period", _("In production"), "int"),
    ("started_rate", _("Start rate (开工率)"), "rate"),
]
_VISITS = [
    ("visits", _("Investment visits"), "int"),
    ("saturday_person_times", _("Saturday person-times"), "int"),
]
_PROJECTS = [
    ("name", _("Project"), "text"),
    ("chain", _("Chain"), "text"),
    ("town", _("Town"), "text"),
    ("total_investment", _("Total investment (万元)"), "wan"),
    ("date", _("Date"), "date"),
]

COLUMNS = {
    Section.CHAINS: [
        ("name", _("Chain"), "text"),
        *_VISITS,
        ("projects_engaged", _("Projects engaged"), "int"),
        *_SCOPE,
    ],
    Section.CLUSTERS: [("name", _("Cluster"), "text"), *_VISITS, *_SCOPE],
    Section.TOWNS: [("name", _("Town"), "text"), *_SCOPE, ("land_supplied", _("Land supplied (亩)"), "mu")],
    Section.TARGETS: [
        ("scope", _("Scope"), "text"),
        ("metric_label", _("Metric"), "text"),
        ("unit", _("Unit"), "text"),
        ("value", _("Target"), "wan"),
        ("actual", _("Actual"), "wan"),
        ("completion", _("Completion"), "rate"),
        ("time_progress", _("Time progress"), "rate"),
        ("gap_points", _("Gap (points)"), "wan"),
        ("rank", _("Rank"), "int"),
    ],
    Section.MAJOR_SIGNED: _PROJECTS,
    Section.STARTED: _PROJECTS,
    Section.IN_PRODUCTION: _PROJECTS,
    Section.LAND: [
        ("name", _("Town"), "text"),
        ("parcels_supplied", _("Parcels supplied"), "int"),
        ("land_supplied", _("Land supplied (亩)"), "mu"),
        ("land_recycled", _("Land recycled from low-efficiency firms (亩)"), "mu"),
    ],
    Section.ISSUES: [
        ("collected", _("Problems collected"), "int"),
        ("resolved", _("Problems resolved"), "int"),
        ("resolution_rate", _("Resolution rate"), "rate"),
        ("average_days_to_resolve", _("Average days to resolve"), "wan"),
        ("salons", _("Salons held"), "int"),
    ],
}


def number(value, kind: str):
    """The stored value as a number for a cell (Decimal or int), ``None`` when empty; text as it is."""
    if value in (None, ""):
        return None
    if kind == "text":
        return value
    if kind == "date":
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return int(value) if kind == "int" else Decimal(str(value))


def display(value, kind: str) -> str:
    """The stored value as the page prints it: a rate as a percentage with two decimals."""
    value = number(value, kind)
    if value is None:
        return "—"
    if kind == "rate":
        return f"{(value * 100).quantize(Decimal('0.01'))}%"
    return str(value)


# The sections that list projects (capped on the page).
LISTS = (Section.MAJOR_SIGNED, Section.STARTED, Section.IN_PRODUCTION)


def sections(figures: dict, *, limit: int | None = None) -> list[dict]:
    """The stored figures as tables: ``[{"key", "label", "columns", "rows": [[(raw, shown, kind, path)]], "more"}]``.

    With ``limit``, a list of projects shows its first ``limit`` rows and ``more`` counts the others (the
    page; a year's list can run to thousands); the workbook and the API hold every row.
    """
    from .choices import Section as S

    tables = [
        {
            "key": "summary",
            "label": S.SUMMARY.label,
            "columns": [_("Figure"), _("Value")],
            "rows": [
                [(str(label), str(label), "text", ""), _cell(figures["summary"].get(key), kind, f"summary.{key}")]
                for key, label, kind in SUMMARY
                if key in figures["summary"]
            ],
        }
    ]
    for section in S:
        if section == S.SUMMARY or section not in figures:
            continue
        columns = COLUMNS[section]
        value = figures[section]
        rows = [value] if isinstance(value, dict) else value
        more = max(0, len(rows) - limit) if limit is not None and section in LISTS else 0
        rows = rows[: len(rows) - more]
        tables.append(
            {
                "key": section.value,
                "label": section.label,
                "columns": [label for _key, label, _kind in columns],
                "rows": [
                    [_cell(row.get(key), kind, _path(section, row, key)) for key, _l, kind in columns] for row in rows
                ],
                "more": more,
            }
        )
    return tables


def figure_labels(figures: dict) -> dict[str, tuple[str, str]]:
    """Each figure the tables show, by path → its readable name and its kind (how its value prints).

    The name joins the section, the row and the column: ``chains.a.signed_projects`` → "按产业链 · 链A ·
    签约项目"; a target's row is named by its scope and metric; a summary amount that follows its count
    ("其总投资") by that count. The drift names its items with these.
    """
    labels = {}
    for table in sections(figures):
        if table["key"] in LISTS:
            continue
        previous = ""
        for row in table["rows"]:
            for index, (_raw, _shown, kind, path) in enumerate(row):
                if not path or kind == "text":
                    continue
                if table["key"] == "summary":
                    name = row[0][1]
                    parts = [table["label"], f"{previous} · {name}" if path.endswith("__investment") else name]
                    previous = name
                elif table["key"] == Section.ISSUES:
                    parts = [table["label"], table["columns"][index]]
                elif table["key"] == Section.TARGETS:
                    parts = [table["label"], row[0][1], row[1][1], table["columns"][index]]
                else:
                    parts = [table["label"], row[0][1], table["columns"][index]]
                labels.setdefault(path, (" · ".join(str(part) for part in parts), kind))
    return labels


def _path(section, row: dict, key: str) -> str:
    """The figure's path as ``reports.drift`` names it."""
    if section == Section.ISSUES:
        return f"issues.{key}"
    ident = row.get("code", row.get("id", row.get("town")))
    return f"{section.value}.{ident}.{key}"


def _cell(value, kind: str, path: str) -> tuple:
    return (value, display(value, kind), kind, path)
