"""The targets' panels on other apps' pages (``pinghu.panels``): "目标完成" on the dashboard and a chain's
targets on its page, registered in ``TargetsConfig.ready``.

Each shows the current year's targets of its scope as of today: completion bar, time-progress marker,
status colour, a link to the targets page. The figures are cached per day, scope and data version (the
targets' triggers move it, as every table the actuals read does), so a warm page costs one query for
the version and a cold one a fixed number (``target_progress``: the targets, then each source once),
whatever the number of targets or of rows behind them.
"""

import hashlib

from django.utils import timezone

from pinghu import dataversion, figure_cache
from pinghu.permissions import may

from . import pages
from .choices import ScopeKind
from .selectors import target_progress

CACHE_SECONDS = 300
READ = "targets.view_target"


def _cached_progress(scope_kind: str, scope=None) -> list:
    today = timezone.localdate()
    scope_key = str(getattr(scope, "pk", scope) or "")
    version = dataversion.current()
    parts = ["pinghu", "targets-panel", today.isoformat(), scope_kind, scope_key, version]
    key = "pinghu:targets-panel:" + hashlib.sha256(":".join(parts).encode()).hexdigest()
    # Under its version, the dashboard's signed projects of this year serve the city targets (figure_cache).
    return figure_cache.get_or_compute(
        key,
        lambda: target_progress(today.year, today, scope_kind=scope_kind, scope=scope),
        CACHE_SECONDS,
        version=version,
    )


def dashboard_panel(request, **kwargs) -> dict | None:
    """Each city target of the current year; for bureau staff an invitation to set them when there is none."""
    rows = _cached_progress(ScopeKind.CITY)
    if not rows and not may(request.user, "targets.add_target"):
        return None
    return {
        "rows": pages.shown(rows),
        "year": timezone.localdate().year,
        "scope_kind": ScopeKind.CITY,
        "panel_id": "targets-panel",
    }


def chain_panel(request, chain=None, **kwargs) -> dict | None:
    """The chain's targets of the current year (nothing shown when it has none)."""
    if chain is None:
        return None
    rows = _cached_progress(ScopeKind.CHAIN, chain)
    if not rows:
        return None
    return {
        "rows": pages.shown(rows),
        "year": timezone.localdate().year,
        "scope_kind": ScopeKind.CHAIN,
        "panel_id": "chain-targets-panel",
    }
