"""Signed projects and their investment per size band (规模分档), per period and per chain or town.

The bands and the major-project rule are ``projects.bands``; the period and filters are those of
``projects.stats``. Each function is one aggregate query (plus one for the rows a grouping lists),
whatever the number of projects (grouped by the projects' band flags: ``projects.signed_groups``):

- signed projects of a band: projects whose signed date falls in the period and that meet the
  band's condition; a project counts in every band it meets (10亿元以上 projects are also 亿元以上).
- signed investment of a band: the sum of those projects' ``total_investment`` (万元).
"""

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.models import Chain, Cluster

from .bands import BANDS, signed_years
from .periods import Period
from .signed_groups import signed_groups
from .stats import _cents, projects_of

ZERO = Decimal("0")


def band_rows(figures: dict) -> list[dict]:
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


def _years(period: Period) -> tuple[int, int]:
    """The years of the period's signed dates, for the US-dollar band's rate (``bands.usd_rate``)."""
    return signed_years(period.start, period.end)


def _signed(period: Period, *, chain: Chain | None, cluster: Cluster | None) -> QuerySet:
    return projects_of(chain=chain, cluster=cluster).filter(signed_date__range=(period.start, period.end))


def band_summary(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Per band: projects signed in the period (of the chain or cluster) and their investment, in one query."""
    return band_rows(
        signed_groups(_signed(period, chain=chain, cluster=cluster), signed_in=_years(period)).get(None, {})
    )


def bands_by_chain(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Per chain (of the cluster, or the one chain; zero rows included), its band rows, in two queries."""
    chains = Chain.objects.order_by("cluster__sort_order", "sort_order", "code")
    if chain is not None:
        chains = chains.filter(pk=chain.pk)
    if cluster is not None:
        chains = chains.filter(cluster=cluster)
    figures = signed_groups(_signed(period, chain=chain, cluster=cluster), "chain", signed_in=_years(period))
    return [
        {"code": row["code"], "name": row["name"], "bands": band_rows(figures.get(row["pk"], {}))}
        for row in chains.values("pk", "code", "name")
    ]


def bands_by_town(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> list[dict]:
    """Per town (every town of Pinghu, then projects without one), its band rows, in one query."""
    figures = signed_groups(_signed(period, chain=chain, cluster=cluster), "town", signed_in=_years(period))
    towns = [*Town.choices, ("", _("no town"))]
    return [{"code": code, "name": str(name), "bands": band_rows(figures.get(code, {}))} for code, name in towns]
