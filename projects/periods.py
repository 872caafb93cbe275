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
    """A period chosen on a page, with what it takes to put it back in a URL.

    ``error`` is the reason a requested period was refused (the period is then this year's, the fallback).
    """

    key: str
    period: Period
    error: str = ""

    @property
    def query(self) -> dict[str, str]:
        if self.key == "custom":
            return {"period": "custom", "start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        return {"period": self.key}


def _named(key: str, today: datetime.date) -> NamedPeriod:
    if key == "month":
        return NamedPeriod("month", Period(today.replace(day=1), today))
    if key == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        return NamedPeriod("quarter", Period(today.replace(month=first_month, day=1), today))
    if key == "last_year":
        return NamedPeriod(
            "last_year", Period(datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31))
        )
    return NamedPeriod("year", Period.year_to_date(today))


def _date(value: str, label: str) -> datetime.date:
    """A date typed into the field ``label``; a ValueError says what is wrong, naming the field."""
    if not value:
        raise ValueError(_("%(field)s: enter a date.") % {"field": label})
    try:
        result = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("%(field)s: “%(value)s” is not a date; use YYYY-MM-DD.") % {"field": label, "value": value}
        ) from None
    if not EARLIEST <= result <= LATEST:
        # The same bounds as the statistics API; a wider range would only list empty months.
        raise ValueError(
            _("%(field)s: the date must lie between %(earliest)s and %(latest)s.")
            % {"field": label, "earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}
        )
    return result


def _custom(start: str, end: str) -> Period:
    first = _date(start, str(_("From")))
    last = _date(end, str(_("To")))
    if first > last:
        raise ValueError(
            _("%(field)s: %(end)s is before the start date %(start)s.")
            % {"field": _("To"), "end": last.isoformat(), "start": first.isoformat()}
        )
    return Period(first, last)


def resolve_period(
    key: str | None,
    start: str | None,
    end: str | None,
    today: datetime.date | None = None,
    *,
    shown_start: str | None = None,
    shown_end: str | None = None,
) -> NamedPeriod:
    """The period a page asks for: named (relative to today) or custom; bad input falls back to this year.

    Dates typed into the form select a custom period whatever the period choice says: the form sends
    the dates it showed (``shown_start``/``shown_end``), so dates that differ from them were typed. A
    link with dates and no ``shown_*`` asks for those dates. A refused request comes back as this
    year's period with ``error`` saying why, naming the field.
    """
    today = today or timezone.localdate()
    start, end = (start or "").strip(), (end or "").strip()
    key = (key or "").strip()
    if shown_start is None and shown_end is None:
        typed = bool(start or end) and not key  # a link with dates only
    else:
        typed = (start, end) != ((shown_start or "").strip(), (shown_end or "").strip())
    if key == "custom" or typed:
        try:
            return NamedPeriod("custom", _custom(start, end))
        except ValueError as refusal:
            return _fallback(str(refusal), today)
    if key and key not in dict(PERIOD_CHOICES):
        return _fallback(
            _("%(field)s: “%(value)s” is not one of the choices.") % {"field": _("Period"), "value": key}, today
        )
    return _named(key or "year", today)


def _fallback(reason: str, today: datetime.date) -> NamedPeriod:
    return NamedPeriod("year", Period.year_to_date(today), error=reason)
