"""How every statistic of every app turns an aggregate into a figure: ratios, day counts and 亿元, rounded one way.

Nothing here queries; the apps' ``stats.py`` aggregate in the database and hand the results here.
Amounts are stored in 万元 and shown in 亿元 on the pages; ``yi`` is the one conversion, used by
the template filter of the same name and the dashboard's chart alike.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

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
