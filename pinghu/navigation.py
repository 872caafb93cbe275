"""The site's main menu: each app adds its pages in its ``AppConfig.ready()``; ``base.html`` lists them.

``pinghu`` names no page of the apps above it: an app calls ``add_menu_item`` with a label, a URL
name, the permission a user needs to see the entry (none: every signed-in user) and a position
(``order``, lower first, so entries of several apps interleave). The template tag ``main_menu``
(``pinghu_tags``) gives the entries a user may see. Who may open a page is still the page's own check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    label: object  # a lazy translation, shown in the active language
    url_name: str
    permission: str | None = None
    order: int = 0


_MENU: dict[str, MenuItem] = {}


def add_menu_item(label, url_name: str, *, permission: str | None = None, order: int = 0) -> None:
    """Add (or replace, by ``url_name``) an entry of the main menu."""
    _MENU[url_name] = MenuItem(label, url_name, permission, order)


def menu_items() -> list[MenuItem]:
    """Every entry, in menu order."""
    return sorted(_MENU.values(), key=lambda item: item.order)


def menu_for(user) -> list[dict]:
    """The entries ``user`` may see, as ``{"label", "url"}``, in menu order."""
    return [
        {"label": item.label, "url": reverse(item.url_name)}
        for item in menu_items()
        if item.permission is None or user.has_perm(item.permission)
    ]
