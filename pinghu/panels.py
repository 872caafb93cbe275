"""Page panels: apps above an app add sections to its pages without that app importing them.

``pinghu`` names no page or panel of the apps: a page's template asks for the panels registered under
its name (``{% page_panels "dashboard" %}``, ``{% page_panels "chain" chain=chain %}``), and an app
registers a panel in its ``AppConfig.ready()`` with ``add_panel(page, name, template=..., context=...)``.
``context(request, **kwargs)`` receives what the page passed and returns the panel's template context,
or ``None`` to show nothing (no data, or a role that may not read it). ``permission``: the model
permission a user needs for the panel to be considered at all (checked with ``pinghu.permissions.may``).
Panels render in ``order`` (lower first), then by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .permissions import may


@dataclass(frozen=True)
class Panel:
    """One registered panel of a page: its template, the function giving its context, who sees it, its place."""

    page: str
    name: str
    template: str
    context: Callable[..., dict | None]
    permission: str | None = None
    order: int = 0


_PANELS: dict[str, dict[str, Panel]] = {}


def add_panel(
    page: str,
    name: str,
    *,
    template: str,
    context: Callable[..., dict | None],
    permission: str | None = None,
    order: int = 0,
) -> None:
    """Register (or replace, by ``page`` and ``name``) a panel of ``page``."""
    _PANELS.setdefault(page, {})[name] = Panel(page, name, template, context, permission, order)


def remove_panel(page: str, name: str) -> None:
    """Forget a panel (tests)."""
    _PANELS.get(page, {}).pop(name, None)


def panels_of(page: str) -> list[Panel]:
    """The panels registered for ``page``, in order."""
    return sorted(_PANELS.get(page, {}).values(), key=lambda panel: (panel.order, panel.name))


def render_panels(page: str, request, **kwargs) -> SafeString:
    """The HTML of every panel of ``page`` the user may see and that has something to show."""
    parts = []
    for panel in panels_of(page):
        if panel.permission is not None and not may(request.user, panel.permission):
            continue
        context = panel.context(request, **kwargs)
        if context is None:
            continue
        parts.append(render_to_string(panel.template, context, request=request))
    # Each part is a rendered template: escaped by the template engine already.
    return mark_safe("".join(parts))
