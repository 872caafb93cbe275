"""What the targets' pages, panels and exports share: the year and as-of day of a request, the rows in page
order with their display figures, the rows behind an actual as list entries, and the trend chart's data.

Every figure comes from ``targets.selectors``; nothing here counts or queries beyond what they do
(``behind_entries`` reads one page of rows the selector gives).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from chains.models import EnterpriseAnnualMetric
from pinghu.figures import amount
from pinghu.navigation import fixed_url
from pinghu.templatetags.pinghu_tags import percent
from pinghu.text import with_note
from projects.models import InvestmentVisit, Project, ProjectFunds

from .choices import ProgressStatus, ScopeKind
from .models import YEAR_MAX, YEAR_MIN, Target
from .selectors import TargetProgress, TrendPoint

# Bootstrap colours of the statuses: ahead green, behind amber, far behind red.
STATUS_COLOUR = {
    ProgressStatus.AHEAD: "success",
    ProgressStatus.BEHIND: "warning",
    ProgressStatus.FAR_BEHIND: "danger",
}
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Day:
    """The year whose targets a page shows and the day their figures are as of."""

    year: int
    as_of: datetime.date
    today: datetime.date

    @property
    def query(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat()}


def _year(text: str | None) -> int | None:
    try:
        year = int(text or "")
    except ValueError:
        return None
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def resolve_day(params) -> Day:
    """``?year=`` (default: the as-of day's year, else this year) and ``?as_of=`` (default: today or the 31 December).

    Nonsense falls back to the defaults, as the period selector does.
    """
    today = timezone.localdate()
    try:
        as_of = parse_date(params.get("as_of") or "")
    except ValueError:
        as_of = None
    if as_of is not None and not YEAR_MIN <= as_of.year <= YEAR_MAX:
        as_of = None
    year = _year(params.get("year")) or (as_of.year if as_of else today.year)
    if as_of is None:
        as_of = min(today, datetime.date(year, 12, 31))
    return Day(year=year, as_of=as_of, today=today)


def resolve_kind(params) -> str | None:
    kind = params.get("kind") or ""
    return kind if kind in ScopeKind.values else None


def figure(value: Decimal, decimals: int) -> str:
    """A target's or actual's figure in its unit, grouped (2 decimals for amounts, none for counts)."""
    return f"{Decimal(value):,.{decimals}f}"


def scope_text(row: TargetProgress) -> str:
    """The scope as a review sheet names it, with the years of a multi-year target."""
    target = row.target
    if target.year_from != target.year_to:
        return with_note(target.scope_label, target.years_label)
    return target.scope_label


@dataclass
class Shown:
    """A progress row with what the page shows of it: formatted figures, the bar's width, the status colour."""

    row: TargetProgress
    target_text: str
    actual_text: str
    colour: str
    bar: Decimal
    marker: Decimal
    scope: str

    @property
    def target(self):
        return self.row.target

    # What the cards, the table and the bar show of a row, worked out once a row: a card shows each percentage
    # three times and the dashboard's panel a dozen cards on every view (the filter's rule, ``percent``, reused).
    @cached_property
    def completion_text(self) -> str:
        return percent(self.row.completion)

    @cached_property
    def time_progress_text(self) -> str:
        return percent(self.row.time_progress)

    @cached_property
    def bar_label(self) -> str:
        """The bar's accessible name and title (the same text twice a bar)."""
        return f"{_('Completion')} {self.completion_text} · {_('Time progress')} {self.time_progress_text}"

    @cached_property
    def url(self) -> str:
        """The target's page."""
        return fixed_url("targets:target-detail", self.target.pk)

    @cached_property
    def metric_label(self) -> str:
        """``target.get_metric_display()``, without hashing every choice's lazy label (a translation each) as
        Django's does on each call: the metric's code is a string, a plain dictionary finds it."""
        return force_str(_metric_labels().get(self.target.metric, self.target.metric), strings_only=True)


@cache
def _metric_labels() -> dict:
    """The metric field's choices, code → lazy label (translated when shown): fixed for the process."""
    return dict(Target._meta.get_field("metric").flatchoices)


def shown(rows: list[TargetProgress]) -> list[Shown]:
    result = []
    for row in rows:
        decimals = row.target.definition.decimals
        result.append(
            Shown(
                row=row,
                target_text=figure(row.target.value, decimals),
                actual_text=figure(row.actual, decimals),
                colour=STATUS_COLOUR[row.status],
                # The bar stops at 100% (a target exceeded fills it); the marker is the time progress.
                bar=min(row.completion * HUNDRED, HUNDRED).quantize(Decimal("0.1")),
                marker=(row.time_progress * HUNDRED).quantize(Decimal("0.1")),
                scope=scope_text(row),
            )
        )
    return result


def trend_chart(points: list[TrendPoint]) -> dict:
    """The detail page's chart: completion and time progress (in percent) at each month's end."""
    return {
        "months": [point.month.strftime("%Y-%m") for point in points],
        "completion": [float(point.completion * HUNDRED) for point in points],
        "time_progress": [float(point.time_progress * HUNDRED) for point in points],
        "labels": {"completion": _("Completion"), "time_progress": _("Time progress"), "percent": "%"},
    }


def bars_chart(rows: list[Shown]) -> dict:
    """The targets page's chart: each target's completion beside its time progress (in percent)."""
    return {
        "names": [f"{item.scope} · {item.target.get_metric_display()}" for item in rows],
        "completion": [float(item.row.completion * HUNDRED) for item in rows],
        "time_progress": [float(item.row.time_progress * HUNDRED) for item in rows],
        "colours": [item.colour for item in rows],
        "labels": {"completion": _("Completion"), "time_progress": _("Time progress"), "percent": "%"},
    }


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def behind_entry(row) -> dict:
    """One row behind an actual as the drill-down lists it: its day, what it is, its figure, a link."""
    if isinstance(row, Project):
        return {
            "day": row.signed_date,
            "name": row.name,
            "detail": row.chain.name if row.chain_id else "",
            "figure": figure(row.total_investment, 2) if row.total_investment is not None else None,
            "link": _url("projects:project-detail", row.pk),
        }
    if isinstance(row, ProjectFunds):
        return {
            "day": row.month,
            "name": row.project.name,
            "detail": _("domestic %(domestic)s · foreign %(foreign)s")
            % {"domestic": amount(row.domestic_funds), "foreign": amount(row.actual_foreign_investment, "usd")},
            "figure": None,
            "link": _url("projects:project-detail", row.project_id),
        }
    if isinstance(row, InvestmentVisit):
        return {
            "day": row.date,
            "name": row.enterprise.name if row.enterprise_id else row.purpose,
            "detail": row.host_unit.name if row.host_unit_id else row.host_unit_text,
            "figure": row.leader_count,
            # A visit has no page to read (only its recorder's edit form): the firm's page instead.
            "link": _url("aftercare:enterprise-detail", row.enterprise_id) if row.enterprise_id else None,
        }
    if isinstance(row, EnterpriseAnnualMetric):
        return {
            "day": None,
            "name": row.enterprise.name,
            "detail": str(row.year),
            "figure": figure(row.industrial_output, 2) if row.industrial_output is not None else None,
            "link": _url("aftercare:enterprise-detail", row.enterprise_id),
        }
    return {"day": None, "name": str(row), "detail": "", "figure": None, "link": None}


# The drill-down's order: by date (a per-mu list keeps the selector's, largest output first).
BEHIND_ORDER = {
    Project: ("signed_date", "pk"),
    ProjectFunds: ("month", "project__name", "pk"),
    InvestmentVisit: ("date", "pk"),
}


def ordered_behind(queryset):
    order = BEHIND_ORDER.get(queryset.model)
    return queryset.order_by(*order) if order else queryset


def behind_heading(row_model) -> str:
    """The drill-down figure column's heading for the kind of rows listed."""
    return {
        Project: _("Total investment (10k CNY)"),
        ProjectFunds: _("Funds in place"),
        InvestmentVisit: _("Leaders"),
        EnterpriseAnnualMetric: _("Industrial output (10k CNY)"),
    }.get(row_model, "")
