"""Drift: which stored figures of a closed version differ from their live recomputation for the same period.

The live figures are computed exactly as at closing (``reports.figures.compute`` and
``reports.identities.identities`` over the report's period, as of its end), so time passing is not
drift: a project that started after the period changes no figure. What differs is a correction of
the data behind the report (a signed date corrected, a visit deleted, a funds record entered late).

``drift(version)`` returns one ``DriftItem`` per differing figure: its path (``summary.visits``,
``chains.<code>.signed_projects``, ``targets.<id>.actual``…), the stored and the live value, and for
the counts whose rows are stored, the ids added and removed (with the projects' names where known).
Rows that changed behind a count that did not (one visit deleted, another entered) are listed too,
as ``rows.<key>`` with the same count on both sides: no figure is marked, the rows are shown.
"""

from dataclasses import dataclass, field

from .figures import compute
from .identities import identities
from .models import ReportVersion
from .services import report_period

LIST_SECTIONS = ("major_signed", "started", "in_production")
# The identities that are not projects' ids (only projects carry names in the stored rows).
OTHER_ROWS = {
    "visits",
    "saturday_visits",
    "person_times",
    "saturday_person_times",
    "funds_records",
    "issues_collected",
    "issues_resolved",
    "parcels_supplied",
    "parcels_recycled",
}


@dataclass
class DriftItem:
    """One figure whose live value differs from the stored one."""

    path: str
    stored: object
    live: object
    added: list = field(default_factory=list)  # [(id, name)]
    removed: list = field(default_factory=list)


def _flatten(figures: dict) -> dict:
    """``{"summary.visits": "12", "chains.nev.visits": 3, "targets.7.actual": "10", ...}`` of the figures."""
    flat = {}
    for section, value in figures.items():
        if section == "period":
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                flat[f"{section}.{key}"] = item
        elif section in LIST_SECTIONS:
            flat[f"{section}.ids"] = [row["id"] for row in value]
        else:
            for row in value:
                key = row.get("code", row.get("id", row.get("town")))
                for name, item in row.items():
                    if name not in ("code", "id", "name", "town", "cluster", "target", "scope", "metric_label", "unit"):
                        flat[f"{section}.{key}.{name}"] = item
    return flat


def _rows_key(path: str) -> str | None:
    """The identities' key behind a figure's path: ``summary.visits`` → ``visits``; a scope's signed projects."""
    section, _sep, rest = path.partition(".")
    if section == "summary":
        return {"person_times": "visits", "saturday_person_times": "saturday_visits"}.get(rest, rest)
    if section in ("chains", "clusters", "towns") and rest.endswith(".signed_projects"):
        return path
    return None


def _name(pk, *projects: dict) -> str:
    for known in projects:
        if str(pk) in known:
            return known[str(pk)][0]
    return ""


def compare(stored: dict, stored_rows: dict, live: dict, live_rows: dict) -> list[DriftItem]:
    """The differing figures of two figure sets and the rows behind them."""
    before, after = _flatten(stored), _flatten(live)
    items = []
    for path in sorted(set(before) | set(after)):
        if before.get(path) == after.get(path):
            continue
        item = DriftItem(path, before.get(path), after.get(path))
        key = _rows_key(path)
        old_ids = set(stored_rows.get(key, [])) if key else set()
        new_ids = set(live_rows.get(key, [])) if key else set()
        if path.endswith(".ids"):
            old_ids, new_ids = set(before.get(path) or []), set(after.get(path) or [])
        names = () if key in OTHER_ROWS else (live_rows.get("projects", {}), stored_rows.get("projects", {}))
        item.added = [(pk, _name(pk, *names)) for pk in sorted(new_ids - old_ids)]
        item.removed = [(pk, _name(pk, *names)) for pk in sorted(old_ids - new_ids)]
        items.append(item)
    return items + _swapped_rows(stored_rows, live_rows, {item.path for item in items})


def _swapped_rows(stored_rows: dict, live_rows: dict, drifted: set) -> list[DriftItem]:
    """Rows that changed behind a count that did not (a visit deleted and another entered): ``rows.<key>``.

    The figure is the same, so it is not marked; the rows are listed, for the bureau to judge.
    """
    items = []
    for key in sorted(set(stored_rows) | set(live_rows)):
        if key == "projects" or f"summary.{key}" in drifted or key in drifted:
            continue
        old_ids, new_ids = set(stored_rows.get(key, [])), set(live_rows.get(key, []))
        if old_ids == new_ids:
            continue
        names = () if key in OTHER_ROWS else (live_rows.get("projects", {}), stored_rows.get("projects", {}))
        item = DriftItem(f"rows.{key}", len(old_ids), len(new_ids))
        item.added = [(pk, _name(pk, *names)) for pk in sorted(new_ids - old_ids)]
        item.removed = [(pk, _name(pk, *names)) for pk in sorted(old_ids - new_ids)]
        items.append(item)
    return items


def drift(version: ReportVersion) -> list[DriftItem]:
    """The version's figures that differ from the live ones for the same period (as of its end)."""
    period = report_period(version.report)
    live = compute(version.report.template.sections, period)
    return compare(version.figures, version.rows, live, identities(period))
