"""Signed projects and their investment per size band (规模分档), per period and per chain or town.

The bands and the major-project rule are ``projects.bands``; the period and filters are those of
``projects.stats``. Each function is one aggregate query (plus one for the rows a grouping lists),
whatever the number of projects (grouped by the projects' band flags, summed here):

- signed projects of a band: projects whose signed date falls in the period and that meet the
  band's condition; a project counts in every band it meets (10亿元以上 projects are also 亿元以上).
- signed investment of a band: the sum of those projects' ``total_investment`` (万元).
"""

from decimal import Decimal

from django.db.models import BooleanField, Count, DecimalField, ExpressionWrapper, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.models import Chain, Cluster

from .bands import BANDS
from .periods import Period
from .stats import _cents, projects_of

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=2)


def _band_figures(projects: QuerySet, group: str | None = None) -> dict:
    """Per ``group`` value (or ``None``): ``{"<band>__projects": n, "<band>__investment": amount}``, in one query.

    The rows are grouped by their band flags (and ``group``), so each band's condition is evaluated
    once per project (an aggregate per band would evaluate it twice); the at most 2⁵ groups are summed
    here.
    """
    flags = {f"in_{band.key}": ExpressionWrapper(band.condition(), output_field=BooleanField()) for band in BANDS}
    keys = [*([group] if group else []), *flags]
    rows = (
        projects.annotate(**flags)
        .values(*keys)
        .annotate(n=Count("pk"), amount=Coalesce(Sum("total_investment"), ZERO, output_field=MONEY))
        .order_by()
    )
    result: dict = {}
    for row in rows:
        figures = result.setdefault(row[group] if group else None, {})
        for band in BANDS:
            if row[f"in_{band.key}"]:
                figures[f"{band.key}__projects"] = figures.get(f"{band.key}__projects", 0) + row["n"]
                figures[f"{band.key}__investment"] = figures.get(f"{band.key}__investment", ZERO) + row["amount"]
    return result


def _band_rows(figures: dict) -> list[dict]:
    """The flat ``figures`` as one row per band, in ``BANDS`` order."""
    rows = []
    for band in BANDS:
        row = {
            "band": band.key,
            "label": str(band.label),
            "signed_projects": figures.get(f"{band.key}__projects", 0),
            "signed_investment": figures.get(f"{band.key}__investment", ZERO),
        }
        rows.append(_cents(row))
    return rows


def _signed(period: Period, *, chain: Chain | None, cluster: Cluster | None) -> QuerySet:
    return projects_of(chain=chain, cluster=cluster).filter(signed_date__range=(period.start, period.end))


def band_summary(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Per band: projects signed in the period (of the chain or cluster) and their investment, in one query."""
    return _band_rows(_band_figures(_signed(period, chain=chain, cluster=cluster)).get(None, {}))


def bands_by_chain(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Per chain (of the cluster, or the one chain; zero rows included), its band rows, in two queries."""
    chains = Chain.objects.order_by("cluster__sort_order", "sort_order", "code")
    if chain is not None:
        chains = chains.filter(pk=chain.pk)
    if cluster is not None:
        chains = chains.filter(cluster=cluster)
    figures = _band_figures(_signed(period, chain=chain, cluster=cluster), "chain")
    return [
        {"code": row["code"], "name": row["name"], "bands": _band_rows(figures.get(row["pk"], {}))}
        for row in chains.values("pk", "code", "name")
    ]


def bands_by_town(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Per town (every town of Pinghu, then projects without one), its band rows, in one query."""
    figures = _band_figures(_signed(period, chain=chain, cluster=cluster), "town")
    towns = [*Town.choices, ("", _("no town"))]
    return [{"code": code, "name": str(name), "bands": _band_rows(figures.get(code, {}))} for code, name in towns]
