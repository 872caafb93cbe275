"""How every statistic of every app turns an aggregate into a figure: ratios and day counts, rounded one way.

Nothing here queries; the apps' ``stats.py`` aggregate in the database and hand the results here.
"""

import datetime
from decimal import Decimal


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
