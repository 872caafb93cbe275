"""Signed projects grouped by their size-band flags: one scan gives the signed figures and every band's.

``stats.signed_summary`` and ``band_stats`` read the signed projects of a period through
``signed_groups``: the rows are grouped by whether they started and by each band's condition
(``projects.bands.band_flags``: each band's, the major-project rule taken apart), and at most 2⁶ groups
per ``group`` value are summed here. Each condition is evaluated once per project, and the signed figures
and the band figures come from the same query.
"""

from decimal import Decimal

from django.db.models import BooleanField, Count, DecimalField, ExpressionWrapper, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from pinghu import figure_cache

from .bands import BANDS, SignedYears, band_flags, bands_met, signed_years
from .models import Project
from .periods import Period

ZERO = Decimal("0")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=20, decimal_places=2)
SIGNED_KEYS = (
    "signed_projects",
    "signed_investment",
    "signed_foreign_investment",
    "major_projects",
    "started_projects",
)


def empty_figures() -> dict:
    """The figures of a group with no signed project."""
    figures = dict.fromkeys(SIGNED_KEYS, 0)
    figures["signed_investment"] = figures["signed_foreign_investment"] = ZERO
    for band in BANDS:
        figures[f"{band.key}__projects"], figures[f"{band.key}__investment"] = 0, ZERO
    return figures


def signed_groups(projects: QuerySet, group: str | None = None, *, signed_in: SignedYears = None) -> dict:
    """Per ``group`` value (or ``None``): the signed figures and ``<band>__projects`` / ``<band>__investment``.

    ``projects`` holds the signed projects to count (the period's condition already applied).
    Signed figures: projects, their total and contracted foreign investment, the major ones (the
    "major" band) and the started ones (a construction date). ``signed_in``: the years of the
    period's first and last day (``bands.signed_years``), so that the US-dollar rate is chosen among
    those years only (``bands.usd_rate``).
    """
    # The major-project rule is grouped by its investor half only (its US-dollar half is a band already):
    # one comparison per row fewer, and bands_met puts the rule back together.
    conditions = band_flags(signed_in=signed_in)
    flags = {
        f"in_{key}": ExpressionWrapper(condition, output_field=BooleanField()) for key, condition in conditions.items()
    }
    flags["started"] = ExpressionWrapper(Q(construction_date__isnull=False), output_field=BooleanField())
    rows = (
        projects.annotate(**flags)
        .values(*([group] if group else []), *flags)
        .annotate(
            n=Count("pk"),
            amount=Coalesce(Sum("total_investment"), ZERO, output_field=MONEY),
            foreign=Coalesce(Sum("foreign_investment"), ZERO, output_field=MONEY),
        )
        .order_by()
    )
    result: dict = {}
    met_of: dict[tuple, list[str]] = {}  # the bands met, per combination of flags (at most 2⁶ of them)
    for row in rows:
        value = row[group] if group else None
        figures = result.get(value)
        if figures is None:
            figures = result[value] = empty_figures()
        figures["signed_projects"] += row["n"]
        figures["signed_investment"] += row["amount"]
        figures["signed_foreign_investment"] += row["foreign"]
        figures["started_projects"] += row["n"] if row["started"] else 0
        flag_values = tuple(row[f"in_{key}"] for key in conditions)
        met = met_of.get(flag_values)
        if met is None:
            met = met_of[flag_values] = bands_met(dict(zip(conditions, flag_values, strict=True)))
        figures["major_projects"] += row["n"] if "major" in met else 0
        for key in met:
            figures[f"{key}__projects"] += row["n"]
            figures[f"{key}__investment"] += row["amount"]
    # Amounts to the cent: SQLite sums decimals as floating point (a trace in the 15th digit).
    for figures in result.values():
        for key, value in figures.items():
            if isinstance(value, Decimal):
                figures[key] = value.quantize(CENT)
    return result


def _signed_groups_name(period: Period) -> str:
    # The US-dollar rate of a year after this one is this year's (bands.usd_rate): the day is part of the rule.
    return f"projects:signed-groups-by-chain:{period.start}:{period.end}:{timezone.localdate()}"


def signed_groups_by_chain(period: Period, *, if_read: bool = False) -> dict | None:
    """``signed_groups`` of the projects signed in ``period``, per chain id: the scan behind the dashboard's
    signed figures, kept for the other figures computed under the same data version (``figure_cache.shared_read``).

    ``if_read``: only what such a computation has already read (``None`` otherwise), for a reader whose own
    query is cheaper than this one (the targets' bands, ``stats_by_scope.bands_by_kinds``).
    """
    name = _signed_groups_name(period)
    if if_read:
        return figure_cache.shared_found(name)

    def read() -> dict:
        signed = Project.objects.filter(signed_date__range=(period.start, period.end))
        return signed_groups(signed, "chain", signed_in=signed_years(period.start, period.end))

    return figure_cache.shared_read(name, read)
