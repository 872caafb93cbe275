"""The site's main menu: each app adds its pages in its ``AppConfig.ready()``; ``base.html`` lists them.

``pinghu`` names no page of the apps above it: an app calls ``add_menu_item`` with a label, a URL
name, the permission a user needs to see the entry (none: every signed-in user), a position
(``order``, lower first, so entries of several apps interleave) and the name of the group it falls in
(a dropdown of the navbar; none: an entry of its own on the bar). An app declares the groups it
fills with ``add_menu_group`` (a name, a label, a position among the bar's entries); several apps
may fill one group, and any of them may declare it (the last label and order win). A group none of
whose entries the user may see is not shown. The template tag ``main_menu`` (``pinghu_tags``) gives
what a user may see. Who may open a page is still the page's own check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class MenuItem:
    label: object  # a lazy translation, shown in the active language
    url_name: str
    permission: str | None = None
    order: int = 0
    group: str | None = None


@dataclass(frozen=True)
class MenuGroup:
    name: str
    label: object
    order: int = 0


_MENU: dict[str, MenuItem] = {}
_GROUPS: dict[str, MenuGroup] = {}
# Addresses reversed once per process (and URL configuration and script prefix), not on every page: reversing
# costs as much as rendering a dozen template nodes, and the layout alone showed a dozen on every page.
_URLS: dict[tuple, str] = {}
_URLS_MAX = 4096  # a bound, should arguments ever vary without end: the cache starts again past it


def fixed_url(url_name: str, *args) -> str:
    """``reverse(url_name, args=args)``, remembered: for the menu's entries, the layout's links (the template tag
    ``fixed_url``) and other addresses drawn on many pages whose arguments take few values."""
    key = (url_name, args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    url = _URLS.get(key)
    if url is None:
        if len(_URLS) >= _URLS_MAX:
            _URLS.clear()
        url = _URLS[key] = reverse(url_name, args=args)
    return url


def add_menu_group(name: str, label, *, order: int = 0) -> None:
    """Declare (or relabel) a dropdown of the main menu, placed by ``order`` among the bar's entries."""
    _GROUPS[name] = MenuGroup(name, label, order)


def add_menu_item(
    label, url_name: str, *, permission: str | None = None, order: int = 0, group: str | None = None
) -> None:
    """Add (or replace, by ``url_name``) an entry of the main menu, in the dropdown ``group`` if one is named."""
    _MENU[url_name] = MenuItem(label, url_name, permission, order, group)


def menu_items() -> list[MenuItem]:
    """Every entry, in menu order."""
    return sorted(_MENU.values(), key=lambda item: item.order)


def menu_groups() -> dict[str, MenuGroup]:
    """Every declared group, by name."""
    return dict(_GROUPS)


def menu_for(user, current_path: str | None = None) -> list[dict]:
    """What ``user`` may see, in menu order: ``{"label", "url", "active"}`` for an entry of the bar,
    ``{"label", "group", "active", "entries": [{"label", "url", "active"}, ...]}`` for a dropdown with at
    least one entry; ``active`` marks the entry whose URL is ``current_path`` and the dropdown holding it.

    An entry naming a group nobody declared is a programming error (``KeyError``), caught by the tests.
    """
    bar: list[tuple[int, dict]] = []
    dropdowns: dict[str, dict] = {}
    for item in menu_items():
        if item.permission is not None and not user.has_perm(item.permission):
            continue
        url = fixed_url(item.url_name)
        entry = {"label": item.label, "url": url, "active": url == current_path}
        if item.group is None:
            bar.append((item.order, entry))
            continue
        group = _GROUPS[item.group]
        if group.name not in dropdowns:
            dropdowns[group.name] = {"label": group.label, "group": group.name, "active": False, "entries": []}
            bar.append((group.order, dropdowns[group.name]))
        dropdowns[group.name]["entries"].append(entry)
        dropdowns[group.name]["active"] |= entry["active"]
    return [entry for _order, entry in sorted(bar, key=lambda pair: pair[0])]
