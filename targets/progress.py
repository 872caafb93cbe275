"""Time progress (时序进度), completion, the gap in percentage points, the status and competition ranks.

Pure arithmetic on figures already computed (no queries), defined once (docs/statistics.md, "Targets"):

- time progress of a target on a day: elapsed months ÷ the months of the target's years (12 for a
  one-year target, 36 for 2023–2025). Elapsed months are the whole months before the day's month,
  since January of the first year, plus the day's month itself from its
  ``settings.PINGHU_TARGET_MONTH_DONE_DAY``-th day (25 by default, as monthly reviews count; in a
  month shorter than that, from its last day). Before the first year: 0; after the last: 1.
- completion = actual ÷ target value.
- Both are rounded to four places (hundredths of a percentage point); the gap is completion − time
  progress in percentage points (two decimals); the status compares the rounded figures, so what a
  page shows is what was judged: ahead when completion ≥ time progress; behind when at most
  ``settings.PINGHU_TARGET_BEHIND_POINTS`` (10) points below; far behind when further below.
- competition ranking: equal figures share a rank and the next rank is skipped (1, 1, 3).
"""

import calendar
import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.conf import settings

from .choices import ProgressStatus

PLACES = Decimal("0.0001")
POINTS = Decimal("0.01")


def month_done_day() -> int:
    return int(settings.PINGHU_TARGET_MONTH_DONE_DAY)


def months_elapsed(year_from: int, year_to: int, day: datetime.date) -> int:
    """Months of the years ``year_from``–``year_to`` counted as done on ``day``."""
    total = 12 * (year_to - year_from + 1)
    if day < datetime.date(year_from, 1, 1):
        return 0
    if day > datetime.date(year_to, 12, 31):
        return total
    last_day = calendar.monthrange(day.year, day.month)[1]
    current_done = day.day >= min(month_done_day(), last_day)
    return 12 * (day.year - year_from) + day.month - 1 + int(current_done)


def time_progress(year_from: int, year_to: int, day: datetime.date) -> Decimal:
    """Elapsed months ÷ the months of the span, rounded to four places (0 to 1)."""
    total = 12 * (year_to - year_from + 1)
    return (Decimal(months_elapsed(year_from, year_to, day)) / Decimal(total)).quantize(PLACES)


def completion(actual: Decimal, value: Decimal) -> Decimal:
    """Actual ÷ target value, rounded to four places (a target is never zero: the models refuse it)."""
    return (Decimal(actual) / Decimal(value)).quantize(PLACES)


def gap_points(completion_rate: Decimal, progress: Decimal) -> Decimal:
    """Completion − time progress, in percentage points (negative: behind)."""
    return ((completion_rate - progress) * 100).quantize(POINTS)


def status(completion_rate: Decimal, progress: Decimal) -> ProgressStatus:
    """Ahead, behind (within the setting's points below) or far behind."""
    if completion_rate >= progress:
        return ProgressStatus.AHEAD
    if gap_points(completion_rate, progress) >= -Decimal(settings.PINGHU_TARGET_BEHIND_POINTS):
        return ProgressStatus.BEHIND
    return ProgressStatus.FAR_BEHIND


def competition_ranks(items: Iterable, key: Callable) -> dict[int, int | None]:
    """``id(item)`` → rank by ``key(item)``, highest first; equal keys share a rank (1, 1, 3); ``None`` unranked."""
    items = list(items)
    values = [key(item) for item in items]
    ranked = [value for value in values if value is not None]
    return {
        id(item): (None if value is None else 1 + sum(1 for other in ranked if other > value))
        for item, value in zip(items, values, strict=True)
    }


def capped_score(completions: dict[str, Decimal], weights: dict[str, Decimal]) -> Decimal | None:
    """Σ weight × min(completion, cap) ÷ Σ weight over the metrics given; ``None`` when the weights sum to 0.

    The cap (``settings.PINGHU_TARGET_SCORE_CAP``, 1.2) keeps one target far exceeded from hiding others missed.
    """
    cap = Decimal(settings.PINGHU_TARGET_SCORE_CAP)
    total = sum((weights[metric] for metric in completions), Decimal("0"))
    if not total:
        return None
    weighted = sum((weights[metric] * min(rate, cap) for metric, rate in completions.items()), Decimal("0"))
    return (weighted / total).quantize(PLACES)
