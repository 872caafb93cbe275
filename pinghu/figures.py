"""How every statistic of every app turns an aggregate into a figure: ratios, day counts and 亿元, rounded one way;
and how every page and the admin write a number: ``grouped`` (thousands separators in both languages) and
``amount`` (a number with its unit: 万元, 万美元, 亿元 in Chinese; 10k CNY, 10k USD, 100M CNY in English).

Nothing here queries; the apps' ``stats.py`` aggregate in the database and hand the results here.
Amounts are stored in 万元 and shown in 亿元 on the pages; ``yi`` is the one conversion, used by
the template filter of the same name and the dashboard's chart alike. Exports (CSV, XLSX) keep raw numbers.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

WAN_PER_YI = Decimal(10000)  # 1 亿元 = 10,000 万元
CENT = Decimal("0.01")


def yi(amount_wan) -> Decimal | None:
    """An amount in 万元 as 亿元, rounded half up to two places (39545650 万元 → 3954.57); ``None`` stays ``None``.

    The amount is first rounded to the cent of 万元, as stored: SQLite sums decimals as floating
    point (39545649.99999999 for …50.00), and a float goes through its shortest decimal form.
    """
    if amount_wan is None:
        return None
    amount = Decimal(str(amount_wan)) if isinstance(amount_wan, float) else Decimal(amount_wan)
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return (amount / WAN_PER_YI).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """A ratio rounded to four places, or ``None`` when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def days(value: datetime.timedelta | None) -> Decimal | None:
    """A duration (an average of date differences) in days, to one decimal; ``None`` stays ``None``."""
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


def average_days(total: int | None, count: int) -> Decimal | None:
    """The average of ``count`` date differences adding up to ``total`` days, to one decimal as ``days`` rounds
    it (the quotient is exact where ``days``'s is: both round a half to even); ``None`` when ``count`` is 0."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"))


# The units an amount is written with; the English spelling is the one scheme of the whole site.
UNITS = {
    "wan": _("10k CNY"),  # 万元, as stored
    "usd": _("10k USD"),  # 万美元, as stored
    "yi": _("100M CNY"),  # 亿元: an amount in 万元 converted by ``yi``
    "mu": _("mu"),  # 亩
}
EMPTY = "—"


def grouped(value, places: int | None = 2) -> str:
    """A number with thousands separators in the active language: 39545650.5 → "39,545,650.50".

    ``places`` decimals, rounded half up (``None``: as many as the value has, trailing zeros dropped);
    an int keeps none. ``None`` and "" are "—"; anything else not a number is shown as it is.
    """
    if value in (None, ""):
        return EMPTY
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if places is None:
        number = normalized(number)
        places = max(0, -number.as_tuple().exponent)
    else:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # Rounded before formatting: number_format cuts the digits past decimal_pos off.
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def normalized(value: Decimal) -> Decimal:
    """A decimal without trailing zeros and never in exponent form: 1000.00 → 1000, 566.666700 → 566.6667."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def amount(value, unit: str = "wan", places: int = 2) -> str:
    """An amount with its unit: ``amount(1234.5)`` → "1,234.50万元" / "1,234.50 10k CNY".

    ``unit`` is a key of ``UNITS``; with "yi" the value is in 万元 and converted (``yi``). Empty: "—".
    """
    if value in (None, ""):
        return EMPTY
    number = grouped(yi(value) if unit == "yi" else value, places)
    # Translators: a number and its unit, e.g. "1,234.50 10k CNY"; Chinese writes them together (1,234.50万元).
    return gettext("%(number)s %(unit)s") % {"number": number, "unit": UNITS[unit]}
