"""Template filters of the pages: 万元 shown in 亿元, ratios as percentages, query strings."""

from decimal import Decimal
from urllib.parse import urlencode

from django import template
from django.utils.formats import number_format

from projects.choices import ProjectStage

register = template.Library()


@register.filter
def yi(amount_wan) -> str:
    """万元 → 亿元 with two decimals (1 亿元 = 10,000 万元)."""
    if amount_wan in (None, ""):
        return "—"
    return number_format(Decimal(amount_wan) / Decimal(10000), decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def percent(ratio) -> str:
    """A ratio such as 0.3898 as "38.98%"."""
    if ratio in (None, ""):
        return "—"
    return f"{Decimal(ratio) * 100:.2f}%"


@register.filter
def urlencode_dict(params: dict) -> str:
    """A dict of query parameters as a query string (to carry the period onto other pages)."""
    return urlencode(params)


@register.filter
def stage_label(stage: str) -> str:
    """The translated label of a stage value."""
    return str(ProjectStage(stage).label)
