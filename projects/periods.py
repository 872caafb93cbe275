"""Periods: the date range every statistic, page and statistics endpoint takes, its default and its bounds.

``Period`` is a closed range; ``Period.year_to_date`` is the default everywhere (1 January to
today); ``EARLIEST``/``LATEST`` bound what a page or the API accepts; ``resolve_period`` reads the
named periods (this month, quarter, year, last year, custom) a page offers.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Statistics cover the city's records, not the calendar's extremes (a monthly series stays short):
# every period a page or the API takes lies within these bounds.
EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)


@dataclass(frozen=True)
class Period:
    """A closed date range [start, end]."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("Period start must not be after its end.")

    @classmethod
    def year_to_date(cls, today: datetime.date | None = None) -> "Period":
        """The default period of every page and statistics endpoint: 1 January of this year to today."""
        today = today or timezone.localdate()
        return cls(datetime.date(today.year, 1, 1), today)

    def within_bounds(self) -> bool:
        """Whether the period lies within ``EARLIEST`` and ``LATEST``."""
        return EARLIEST <= self.start and self.end <= LATEST

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, in order."""
        month = self.start.replace(day=1)
        result = []
        while month <= self.end:
            result.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return result


PERIOD_CHOICES = [
    ("month", _("This month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("last_year", _("Last year")),
    ("custom", _("Custom")),
]


@dataclass(frozen=True)
class NamedPeriod:
    """A period chosen on a page, with what it takes to put it back in a URL."""

    key: str
    period: Period

    @property
    def query(self) -> dict[str, str]:
        if self.key == "custom":
            return {"period": "custom", "start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        return {"period": self.key}


def resolve_period(
    key: str | None, start: str | None, end: str | None, today: datetime.date | None = None
) -> NamedPeriod:
    """The period a page asks for: named (relative to today) or custom; bad input falls back to this year."""
    today = today or timezone.localdate()
    if key == "month":
        return NamedPeriod("month", Period(today.replace(day=1), today))
    if key == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        return NamedPeriod("quarter", Period(today.replace(month=first_month, day=1), today))
    if key == "last_year":
        return NamedPeriod(
            "last_year", Period(datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
        )
    if key == "custom":
        try:
            period = Period(datetime.date.fromisoformat(start or ""), datetime.date.fromisoformat(end or ""))
        except ValueError:
            period = None
        # The same bounds as the statistics API; a wider range would only list empty months.
        if period is not None and period.within_bounds():
            return NamedPeriod("custom", period)
    return NamedPeriod("year", Period.year_to_date(today))
