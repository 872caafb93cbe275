"""Size bands (规模分档) and the major-project rule (重大项目), defined once: thresholds and their conditions.

Every figure that depends on a project's size reads the conditions of this module, as ``Q`` objects
the database evaluates (``prefix`` reaches the project through a relation, e.g. a ``FilteredRelation``).

- 亿元以上: total investment ≥ 10,000 万元.
- 10亿元以上: total investment ≥ 100,000 万元.
- 总投资超亿美元: total investment ≥ US$100 million, i.e. ≥ 10,000 万美元 × the yuan per US dollar of
  the project's year: its signed year, else the current year. A year without a rate uses the latest
  earlier year's rate; a year before every rate uses the earliest rate; no rate at all: never.
- 外资3000万美元以上: contracted foreign investment ≥ 3,000 万美元.
- major project (世界500强、国际行业龙头及总投资超亿美元项目, the article's count): the investor is known to
  be a Fortune Global 500 firm, or known to be an international industry leader, or the project is in
  the US-dollar band. An unknown flag (NULL) never makes a project major.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chains.models import Enterprise

from .models.rates import ExchangeRate

# 万元 of total investment.
CNY_100M = Decimal("10000")
CNY_1BN = Decimal("100000")
# 万美元: of total investment converted at the year's rate, and of contracted foreign investment.
USD_100M = Decimal("10000")
FOREIGN_USD_30M = Decimal("3000")

RATE = DecimalField(max_digits=8, decimal_places=4)
THRESHOLD = DecimalField(max_digits=20, decimal_places=4)


# Signed dates start in 2000 (pinghu.plausibility.EARLIEST_DATE): the years the rate lookup distinguishes.
FIRST_YEAR = 2000


def rate_of_year(year: int) -> RawSQL:
    """Yuan per US dollar for ``year``: its own rate, else the latest earlier year's, else the earliest one.

    An uncorrelated subquery (the year is a constant): the database computes it once per query, not
    once per project row. Written as SQL (the same on SQLite and PostgreSQL) because the statistics
    compile one per year, and a queryset subquery costs far more to compile.
    """
    table = connection.ops.quote_name(ExchangeRate._meta.db_table)
    return RawSQL(
        f"COALESCE((SELECT cny_per_usd FROM {table} WHERE year <= %s ORDER BY year DESC LIMIT 1), "
        f"(SELECT cny_per_usd FROM {table} ORDER BY year LIMIT 1))",
        (year,),
        output_field=RATE,
    )


def threshold_of_year(year: int) -> RawSQL:
    """US$100 million in 万元 at ``year``'s rate (``rate_of_year`` × 10,000), NULL with no rate at all.

    The product sits inside one scalar subquery, so the database computes it once per query: written
    as ``rate * 10000`` around the subquery, PostgreSQL multiplied two numerics for each of this
    year's 22,800 signed projects, twice (the band and the major-project rule), a third of the
    dashboard's signed-projects scan.
    """
    rate = rate_of_year(year)
    return RawSQL(f"(SELECT {rate.sql} * %s)", (*rate.params, USD_100M), output_field=THRESHOLD)


# The years a statistic's signed projects were signed in (first, last): see ``usd_rate``.
SignedYears = tuple[int, int] | None


def signed_years(start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """The ``signed_in`` of projects whose signed date lies between ``start`` and ``end``."""
    return start.year, end.year


def _by_year(prefix: str, of_year, output_field, signed_in: SignedYears):
    """``of_year(year)`` of the project's year: its signed year, else the current year (see ``usd_rate``)."""
    current = timezone.localdate().year
    if signed_in is not None:
        low, high = (min(max(year, FIRST_YEAR), current) for year in signed_in)
        whens = [
            When(**{f"{prefix}signed_date__gte": datetime.date(year, 1, 1)}, then=of_year(year))
            for year in range(high, low, -1)
        ]
        return Case(*whens, default=of_year(low), output_field=output_field) if whens else of_year(low)
    whens = [When(**{f"{prefix}signed_date__isnull": True}, then=of_year(current))]
    whens += [
        When(**{f"{prefix}signed_date__gte": datetime.date(year, 1, 1)}, then=of_year(year))
        for year in range(current, FIRST_YEAR, -1)
    ]
    return Case(*whens, default=of_year(FIRST_YEAR), output_field=output_field)


def usd_rate(prefix: str = "", *, signed_in: SignedYears = None):
    """Yuan per US dollar for the project's year: its signed year, else the current year (``rate_of_year``).

    A CASE over the signed date with one constant subquery per year, rather than a subquery
    correlated with every row: the statistics evaluate it for thousands of signed projects.

    ``signed_in`` (first, last year) is a promise that every row it is evaluated on was signed in
    those years (a statistic over a period's signed projects): the CASE then lists those years
    only, and gives each of those rows the same rate. Over a year that is 1 branch instead of the
    27 since 2000, which every query with the condition compiles and plans twice (the band and the
    major-project rule).
    """
    return _by_year(prefix, rate_of_year, RATE, signed_in)


def usd_threshold(prefix: str = "", *, signed_in: SignedYears = None):
    """The total investment (万元) at which the project reaches US$100 million; NULL with no rate at all.

    ``usd_rate`` × 10,000, with the product taken in each year's constant subquery
    (``threshold_of_year``): a row compares its investment with a constant, nothing is computed per row.
    """
    return _by_year(prefix, threshold_of_year, THRESHOLD, signed_in)


def usd_band_condition(prefix: str = "", *, signed_in: SignedYears = None) -> Q:
    """总投资超亿美元; false (not NULL) when no rate is recorded, so it can sit in an OR."""
    reached = GreaterThanOrEqual(F(f"{prefix}total_investment"), usd_threshold(prefix, signed_in=signed_in))
    return Q(Coalesce(reached, Value(False), output_field=BooleanField()))


@dataclass(frozen=True)
class Band:
    """A size band: its key (API and links), its label and its condition."""

    key: str
    label: Promise

    def condition(self, prefix: str = "", *, signed_in: SignedYears = None) -> Q:
        """The band's condition; ``signed_in`` as ``usd_rate``'s, for rows signed in those years only."""
        if self.key == "cny_100m":
            return Q(**{f"{prefix}total_investment__gte": CNY_100M})
        if self.key == "cny_1bn":
            return Q(**{f"{prefix}total_investment__gte": CNY_1BN})
        if self.key == "usd_100m":
            return usd_band_condition(prefix, signed_in=signed_in)
        if self.key == "foreign_usd_30m":
            return Q(
                **{f"{prefix}foreign_investment__isnull": False, f"{prefix}foreign_investment__gte": FOREIGN_USD_30M}
            )
        if self.key == "major":
            return major_condition(prefix, signed_in=signed_in)
        raise ValueError(self.key)


# The bands in the order the statistics list them; "major" is the article's count, listed with them.
BANDS = [
    Band("cny_100m", _("total investment ≥ 100 million yuan (亿元以上)")),
    Band("cny_1bn", _("total investment ≥ 1 billion yuan (10亿元以上)")),
    Band("usd_100m", _("total investment ≥ US$100 million (总投资超亿美元)")),
    Band("foreign_usd_30m", _("contracted foreign investment ≥ US$30 million (外资3000万美元以上)")),
    Band("major", _("Fortune 500, industry leader or ≥ US$100 million (重大项目)")),
]
BAND_KEYS = [band.key for band in BANDS]


def flagged_investors():
    """Firms known to be Fortune Global 500 or international industry leaders (unknown is not yes)."""
    return Enterprise.objects.filter(Q(fortune500=True) | Q(industry_leader=True))


def flagged_investor_condition(prefix: str = "", *, investor_as_subquery: bool = False) -> Q:
    """The investor half of the major-project rule: a Fortune 500 or industry-leader investor.

    A membership in the (short) list of flagged firms, which needs no join of the enterprise table;
    ``investor_as_subquery`` asks for it as an EXISTS per row instead, which is cheaper when only a
    page of projects is read. NULL (not false) for a project without an investor.
    """
    if investor_as_subquery:
        return Q(Exists(flagged_investors().filter(pk=OuterRef(f"{prefix}investor_id"))))
    return Q(**{f"{prefix}investor__in": flagged_investors().values("pk")})


def major_condition(prefix: str = "", *, investor_as_subquery: bool = False, signed_in: SignedYears = None) -> Q:
    """A major project: a Fortune 500 or industry-leader investor, or total investment ≥ US$100 million.

    ``investor_as_subquery`` as ``flagged_investor_condition``'s; ``signed_in`` as ``usd_rate``'s.
    """
    investor = flagged_investor_condition(prefix, investor_as_subquery=investor_as_subquery)
    return investor | usd_band_condition(prefix, signed_in=signed_in)


# The flag of ``band_flags`` that is not a band's: the investor half of the major-project rule.
FLAGGED_INVESTOR = "flagged_investor"


def band_flags(*, signed_in: SignedYears = None) -> dict[str, Q]:
    """The conditions whose values decide every band of a project (``bands_met`` reads them back).

    Each band's own condition, except "major", which is ``major_condition`` taken apart: the investor
    half (``FLAGGED_INVESTOR``) and the US-dollar band already listed. A statistic that groups the
    projects by these flags evaluates the US-dollar comparison once per row instead of twice.
    """
    flags = {band.key: band.condition(signed_in=signed_in) for band in BANDS if band.key != "major"}
    flags[FLAGGED_INVESTOR] = flagged_investor_condition()
    return flags


def bands_met(flags: dict) -> list[str]:
    """The keys of the bands a project meets, from the values of its ``band_flags`` (NULL is not met).

    The major-project rule as ``major_condition`` states it: a flagged investor or the US-dollar band.
    """
    met = {key: bool(flags[key]) for key in BAND_KEYS if key != "major"}
    met["major"] = bool(flags[FLAGGED_INVESTOR]) or met["usd_100m"]
    return [key for key in BAND_KEYS if met[key]]


def is_major(*, total_investment, usd_threshold, investor_fortune500, investor_leader) -> bool:
    """``major_condition`` for one row already read (the fast API list reads plain rows).

    ``usd_threshold`` is the row's ``usd_threshold()`` annotation (None when no rate is recorded).
    """
    return bool(
        investor_fortune500 is True
        or investor_leader is True
        or (usd_threshold is not None and total_investment >= usd_threshold)
    )


def usd_thresholds():
    """``usd_threshold()`` for rows already read: a function of the signed date, after one query for the rates.

    The same rule as ``usd_rate``: the signed year (the current year when unsigned or later, 2000 when
    earlier), its own rate, else the latest earlier year's, else the earliest rate; ``None`` with no
    rate at all. The fast API list reads plain rows and would otherwise compile one rate subquery
    per year into its SQL (a test compares both forms).
    """
    rates = list(ExchangeRate.objects.order_by("year").values_list("year", "cny_per_usd"))
    current = timezone.localdate().year
    by_year: dict[int, Decimal | None] = {}
    for year in range(FIRST_YEAR, current + 1):
        earlier = [rate for rate_year, rate in rates if rate_year <= year]
        rate = earlier[-1] if earlier else (rates[0][1] if rates else None)
        by_year[year] = None if rate is None else rate * USD_100M

    def threshold(signed_date: datetime.date | None) -> Decimal | None:
        year = current if signed_date is None else min(max(signed_date.year, FIRST_YEAR), current)
        return by_year[year]

    return threshold


def band_annotations(prefix: str = "") -> dict:
    """``band_<key>`` booleans for each band, to annotate a project queryset (the project page)."""
    return {
        f"band_{band.key}": ExpressionWrapper(band.condition(prefix), output_field=BooleanField())
        for band in BANDS
        if band.key != "major"
    }
