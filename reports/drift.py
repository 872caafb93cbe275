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

import hashlib
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from pinghu import dataversion, figure_cache

from .choices import Section
from .figures import compute
from .identities import FORMAT, identities, row_model, rows_key
from .models import ReportVersion
from .services import report_period

LIST_SECTIONS = ("major_signed", "started", "in_production")
# Not row keys: the names of the projects named, the kinds of rows, the format.
NOT_ROWS = {"projects", "models", "format"}
CACHE_SECONDS = 300


@dataclass
class DriftItem:
    """One figure whose live value differs from the stored one."""

    path: str
    stored: object
    live: object
    added: list = field(default_factory=list)  # [(id, name)]
    removed: list = field(default_factory=list)
    rows_model: str = ""  # the kind of row added and removed ("projects.project", …)
    label: str = ""  # set by the page (with_labels): the figure's readable name, its values as printed
    shown: tuple = ()


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


def _name(pk, *projects: dict) -> str:
    for known in projects:
        if str(pk) in known:
            return known[str(pk)][0]
    return ""


def _complete(stored_rows: dict) -> bool:
    """Whether the version kept the rows of every key (per scope and target too); older ones kept fewer."""
    return stored_rows.get("format", 1) >= FORMAT


def _with_rows(item: "DriftItem", key: str | None, old_ids: set, new_ids: set, stored_rows: dict, live_rows: dict):
    projects = row_model(key or "", live_rows) == "projects.project" if key else True
    names = (live_rows.get("projects", {}), stored_rows.get("projects", {})) if projects else ()
    item.rows_model = row_model(key or "", live_rows) if key else ""
    item.added = [(pk, _name(pk, *names)) for pk in sorted(new_ids - old_ids)]
    item.removed = [(pk, _name(pk, *names)) for pk in sorted(old_ids - new_ids)]
    return item


def compare(stored: dict, stored_rows: dict, live: dict, live_rows: dict) -> list[DriftItem]:
    """The differing figures of two figure sets and the rows behind them."""
    before, after = _flatten(stored), _flatten(live)
    complete = _complete(stored_rows)
    items = []
    for path in sorted(set(before) | set(after)):
        if before.get(path) == after.get(path):
            continue
        item = DriftItem(path, before.get(path), after.get(path))
        key = None if path.endswith(".ids") else rows_key(path)
        if path.endswith(".ids"):
            old_ids, new_ids = set(before.get(path) or []), set(after.get(path) or [])
        elif key is None or (not complete and key not in stored_rows):
            old_ids = new_ids = set()  # rows this version did not keep
        else:
            old_ids, new_ids = set(stored_rows.get(key, [])), set(live_rows.get(key, []))
        items.append(_with_rows(item, key, old_ids, new_ids, stored_rows, live_rows))
    return items + _swapped_rows(stored_rows, live_rows, {rows_key(item.path) for item in items})


def _swapped_rows(stored_rows: dict, live_rows: dict, drifted_keys: set) -> list[DriftItem]:
    """Rows that changed behind a count that did not (a visit deleted and another entered): ``rows.<key>``.

    The figure is the same, so it is not marked; the rows are listed, for the bureau to judge.
    """
    keys = set(stored_rows) | set(live_rows) if _complete(stored_rows) else set(stored_rows)
    items = []
    for key in sorted(keys - NOT_ROWS - drifted_keys):
        old_ids, new_ids = set(stored_rows.get(key, [])), set(live_rows.get(key, []))
        if old_ids != new_ids:
            item = DriftItem(f"rows.{key}", len(old_ids), len(new_ids))
            items.append(_with_rows(item, key, old_ids, new_ids, stored_rows, live_rows))
    return items


def with_labels(items: list[DriftItem], figures: dict) -> list[DriftItem]:
    """``items`` named as the page's tables name their figures; rows behind a figure by that figure's name."""
    from .layout import display, figure_labels

    labels = figure_labels(figures)
    by_rows = {}
    for path, (label, _kind) in labels.items():
        by_rows.setdefault(rows_key(path), label)
    for item in items:
        if item.path.startswith("rows."):
            behind = by_rows.get(item.path.removeprefix("rows."))
            item.label = _("%(figure)s: the rows behind it") % {"figure": behind} if behind else ""
            item.shown = (item.stored, item.live)
        else:
            item.label, kind = labels.get(item.path, ("", "text"))
            item.shown = (display(item.stored, kind), display(item.live, kind))
    return items


def _cached(kind: str, ident: str, compute):
    """``compute()`` once per ``ident`` and data version (``pinghu.dataversion``), from the cache otherwise.

    A closed report's page is read far more often than the data behind it changes, and any write, by
    whatever path, moves the version: what the cache holds is never stale.
    """
    version = dataversion.current()
    key = f"pinghu:report-{kind}:" + hashlib.sha256(f"{ident}|{version}".encode()).hexdigest()
    return figure_cache.get_or_compute(key, compute, CACHE_SECONDS)


def live(version: ReportVersion) -> tuple[dict, dict]:
    """The version's figures and rows recomputed now, for the same period as of its end."""
    period = report_period(version.report)
    sections = version.report.template.sections
    return compute(sections, period), identities(period, targets=Section.TARGETS in sections)


def drift(version: ReportVersion) -> list[DriftItem]:
    """The version's figures that differ from the live ones for the same period (as of its end); cached."""

    def recompute():
        figures, rows = live(version)
        return compare(version.figures, version.rows, figures, rows)

    return _cached("drift", f"{version.pk}|{','.join(version.report.template.sections)}", recompute)


def preview(report) -> dict:
    """A draft's figures as they would be stored if it closed now; cached like the drift (per language)."""
    sections = report.template.sections
    ident = f"{report.pk}|{','.join(sections)}|{translation.get_language()}"
    return _cached("preview", ident, lambda: compute(sections, report_period(report)))
