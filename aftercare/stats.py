"""Statistics of enterprise services, each computed in the database (definitions in docs/statistics.md).

- problems collected in a period: problems received in it;
- resolved: of those, the ones resolved or closed; resolution rate = resolved ÷ collected;
- overdue: of those, the ones still open (received or assigned) whose due date is before today;
- average days to resolve: mean of (resolved on − received on) over the resolved ones;
- salons held: salons dated in the period; firms with a cadre: firms with a current assignment;
- not visited: firms with a chain role or a current cadre whose last contact (an investment
  visit, a salon attended or a problem raised) is more than N days ago, or who have none.
"""

import datetime

from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils import timezone

from chains.models import Chain, Enterprise
from pinghu.figures import days, ratio
from projects.models import InvestmentVisit
from projects.stats import Period
from units.expressions import unit_label

from .choices import RESOLVED_ISSUE_STATUSES
from .models import CadreAssignment, EnterpriseIssue, SalonEvent, overdue_condition

RESOLVED = Q(status__in=RESOLVED_ISSUE_STATUSES)


def resolved_condition(as_of: datetime.date | None = None) -> Q:
    """Resolved or closed; with ``as_of``, resolved on or before that day (a frozen report's period end)."""
    return RESOLVED if as_of is None else RESOLVED & Q(resolved_on__lte=as_of)


def _figures(today: datetime.date, as_of: datetime.date | None = None) -> dict:
    """The aggregates every breakdown shares, over a queryset of problems (resolved by ``as_of`` if given)."""
    resolved = resolved_condition(as_of)
    return {
        "collected": Count("pk"),
        "resolved": Count("pk", filter=resolved),
        "overdue": Count("pk", filter=overdue_condition(today)),
        "average_days": Avg(
            ExpressionWrapper(F("resolved_on") - F("received_on"), output_field=DurationField()), filter=resolved
        ),
    }


def _finish(row: dict) -> dict:
    row["resolution_rate"] = ratio(row["resolved"], row["collected"])
    row["average_days_to_resolve"] = days(row.pop("average_days"))
    return row


def issues_in(period: Period, *, chain: Chain | None = None) -> QuerySet:
    """Problems received in ``period``, of firms in ``chain`` (by their chain roles) if given."""
    issues = EnterpriseIssue.objects.filter(received_on__range=(period.start, period.end))
    if chain is not None:
        issues = issues.filter(enterprise__chain_roles__chain=chain)  # at most one role per chain: no duplicates
    return issues


def issue_summary(
    period: Period,
    *,
    chain: Chain | None = None,
    today: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> dict:
    """Problems collected, resolved, resolution rate, overdue and average days to resolve; salons; cadres.

    With ``as_of`` (a frozen report's period end), a problem counts as resolved when it was resolved by then.
    """
    today = today or timezone.localdate()
    row = _finish(issues_in(period, chain=chain).aggregate(**_figures(today, as_of)))
    row["salons"] = SalonEvent.objects.filter(date__range=(period.start, period.end)).count()
    row["firms_with_cadre"] = CadreAssignment.objects.current().values("enterprise").distinct().count()
    return row


def issues_by(period: Period, dimension: str, *, today: datetime.date | None = None) -> list[dict]:
    """The summary figures per ``channel``, ``unit`` (assigned unit), ``category``, ``chain`` or ``month``.

    By chain, a firm in two chains counts in both; its problems once in each.
    """
    today = today or timezone.localdate()
    fields = {
        "channel": "channel",
        "unit": "assigned_unit",  # grouped by the unit (its name as the key); a name still to map by itself
        "category": "category",
        # A firm has at most one role per chain (a unique constraint), so this join gives one row
        # per problem and chain.
        "chain": "enterprise__chain_roles__chain__code",
    }
    issues = issues_in(period)
    if dimension == "month":
        issues = issues.annotate(key=TruncMonth("received_on", output_field=DateField()))
    elif dimension == "unit":
        issues = issues.annotate(key=unit_label("assigned_unit"))
    elif dimension in fields:
        issues = issues.annotate(key=F(fields[dimension]))
    else:
        raise ValueError(f"unknown dimension {dimension!r}")
    if dimension == "chain":
        issues = issues.filter(key__isnull=False)
    grouping = ["key", "assigned_unit"] if dimension == "unit" else ["key"]
    rows = issues.values(*grouping).annotate(**_figures(today)).order_by("key")
    return [_finish({name: value for name, value in row.items() if name != "assigned_unit"}) for row in rows]


NEVER = datetime.date(1900, 1, 1)


def last_contacts() -> QuerySet:
    """Enterprises annotated with ``last_contact``: their latest visit, salon attended or problem raised."""

    def latest(queryset, firm: str, field: str):
        # The firm's latest date as MAX(...) GROUP BY the firm, not its newest row (ORDER BY date DESC LIMIT 1):
        # PostgreSQL walked the visits' (date, id) index backwards for that, filtering by firm, through every
        # visit for a firm never visited (0.1-0.5 s a firm at 200,000 visits); grouped, it reads the firm's rows.
        rows = queryset.order_by().values(firm).annotate(latest=Max(field)).values("latest")
        return Coalesce(Subquery(rows[:1], output_field=DateField()), Value(NEVER, output_field=DateField()))

    return Enterprise.objects.annotate(
        last_contact=Greatest(
            latest(InvestmentVisit.objects.filter(enterprise=OuterRef("pk")), "enterprise", "date"),
            latest(SalonEvent.objects.filter(enterprises=OuterRef("pk")), "enterprises", "date"),
            latest(EnterpriseIssue.objects.filter(enterprise=OuterRef("pk")), "enterprise", "received_on"),
            output_field=DateField(),
        )
    )


def not_visited(days: int, *, today: datetime.date | None = None) -> QuerySet:
    """Firms with a chain role or a current cadre and no contact in the last ``days`` days (oldest first).

    ``last_contact`` is the date of the latest contact, or 1900-01-01 for none.
    """
    today = today or timezone.localdate()
    followed = Q(chain_roles__isnull=False) | Q(
        cadre_assignments__end_date__isnull=True, cadre_assignments__isnull=False
    )
    firms = Enterprise.objects.filter(followed).values("pk")
    return (
        last_contacts()
        .filter(pk__in=firms, last_contact__lt=today - datetime.timedelta(days=days))
        .order_by("last_contact", "name")
    )
