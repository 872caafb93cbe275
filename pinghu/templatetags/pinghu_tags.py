"""Site-wide template filters and tags: 万元 in 亿元, numbers and amounts with their unit, ratios as percentages,
unknown facts, query strings, permissions.

Tags about one app's models (a stage's label, say) live in that app's ``templatetags``.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.contrib import admin
from django.shortcuts import resolve_url
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe

from pinghu import figures, navigation, panels, permissions, text
from pinghu.api.export import yes_no_unknown
from pinghu.choices import UNKNOWN_LABEL

register = template.Library()


@register.filter
def yi(amount_wan) -> str:
    """万元 → 亿元 with two decimals, rounded half up (``pinghu.figures.yi``; 1 亿元 = 10,000 万元)."""
    if amount_wan in (None, ""):
        return "—"
    return figures.grouped(figures.yi(amount_wan), 2)


@register.filter
def number(value, places=2) -> str:
    """A number with thousands separators in both languages (``pinghu.figures.grouped``): ``{{ x|number }}``,
    ``{{ count|number:0 }}``; "—" when empty."""
    return figures.grouped(value, None if places in (None, "") else int(places))


@register.filter
def amount(value, unit="wan") -> str:
    """An amount with its unit (``pinghu.figures.amount``): ``{{ p.total_investment|amount }}`` (万元 / 10k CNY),
    ``|amount:"usd"`` (万美元 / 10k USD), ``|amount:"yi"`` (万元 shown in 亿元 / 100M CNY); "—" when empty."""
    return figures.amount(value, unit)


@register.simple_tag
def punct(name: str) -> str:
    """``{% punct "colon" %}``: "：" in Chinese, ": " in English; also "comma", "semicolon", "open", "close"
    (``pinghu.text``)."""
    return text.mark(name)


@register.filter
def percent(ratio) -> str:
    """A ratio such as 0.3898 as "38.98%"."""
    if ratio in (None, ""):
        return "—"
    return f"{Decimal(ratio) * 100:.2f}%"


@register.filter
def yes_no_unknown_label(value) -> str:
    """是 / 否 / 未知: a yes/no fact that may be unknown (None), which is not a no."""
    return yes_no_unknown(value)


@register.filter
def or_unknown(value) -> str:
    """The value, or 未知 when it is empty (a fact the register does not know)."""
    return str(UNKNOWN_LABEL) if value in (None, "") else value


@register.filter
def urlencode_dict(params: dict) -> str:
    """A dict of query parameters as a query string (to carry the period onto other pages)."""
    return urlencode(params)


@register.simple_tag(takes_context=True)
def count_cells(context, cells) -> SafeString:
    """``{% count_cells row.stages %}``: a right-aligned cell per ``(name, count, link)``, the count a link to
    ``link`` when there is one, each value shown as ``{{ value }}`` would show it.

    The dashboard's chain table has seventy such cells: written as a loop in the template, each cell cost a
    loop step, a condition and two variable nodes, a fifth of the page's rendering.
    """
    parts = []
    for _name, count, link in cells:
        shown = render_value_in_context(count, context)
        if link:
            parts.append(f'<td class="text-end"><a href="{render_value_in_context(link, context)}">{shown}</a></td>')
        else:
            parts.append(f'<td class="text-end">{shown}</td>')
    # Each value went through render_value_in_context, which escapes it as a variable node does.
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def may(context, perm: str, obj=None) -> bool:
    """``{% may "app_label.change_model" obj as can_edit %}``: the one permission check, in a template."""
    return permissions.may(context["request"].user, perm, obj)


@register.simple_tag(takes_context=True)
def may_use_admin(context) -> bool:
    """Whether the admin site lets the user in (staff, or a role that works there)."""
    return admin.site.has_permission(context["request"])


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """``{% main_menu as menu %}``: the main menu's entries the user may see (``pinghu.navigation``)."""
    request = context.get("request")
    return navigation.menu_for(context["user"], request.path if request is not None else None)


@register.simple_tag
def fixed_url(url_name: str, *args) -> str:
    """``{% fixed_url "logout" %}``: what ``{% url "logout" %}`` gives, reversed once per process
    (``pinghu.navigation.fixed_url``), for the links every page's layout draws."""
    return navigation.fixed_url(url_name, *args)


@register.simple_tag
def home_url() -> str:
    """The site's home page: where signing in lands (``LOGIN_REDIRECT_URL``)."""
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@register.simple_tag(takes_context=True)
def page_panels(context, page: str, **kwargs):
    """``{% page_panels "dashboard" %}``: the panels other apps registered for this page (``pinghu.panels``)."""
    return panels.render_panels(page, context["request"], **kwargs)


@register.simple_tag(takes_context=True)
def offline_config(context) -> dict:
    """``{% offline_config as offline %}``: the offline queue's URLs, user and texts (``pinghu.offline``).

    The 500 page is rendered without the request's context (Django's ``server_error``, when the database may be
    down): no user there, so the page is configured as for a visitor who is not signed in.
    """
    from django.contrib.auth.models import AnonymousUser

    from pinghu.offline import page_config

    return page_config(context.get("user") or AnonymousUser())
