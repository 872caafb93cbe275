"""Saturday figures as the article counts them (DOMAIN.md: "top officials took part 484 person-times and
engaged 233 projects" on Saturday investment days), beside the all-visit figures of ``projects.stats``.

Definitions:
- Saturday projects engaged (周六对接项目): distinct projects linked to visits dated on a Saturday
  in the period (with a chain or cluster filter, the projects of that chain or cluster so linked).
- top-official person-times (一把手人次): the sum over visits in the period of the number of
  leaders on each visit flagged ``Leader.is_top_official``; Saturday top-official person-times, the
  same over Saturday visits only. A chain or cluster filter keeps the visits concerned with it, as
  the other visit figures do.

Each is one aggregate query in the database, whatever the number of rows. The flag is the
leader's as it is now: the city's top-official figures sum the trigger-kept rollup of each
leader's visits per day (``VisitDayLeader``) over the leaders flagged when asked.
"""

from django.db.models import BooleanField, Count, Exists, Func, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractWeekDay
from django.db.models.lookups import Exact

from chains.models import Chain, Cluster

from .models import InvestmentVisit, VisitDayLeader, VisitLeader, VisitProject
from .periods import Period

# Django's week_day: 1 is Sunday, 7 is Saturday, on every database.
SATURDAY = 7


class OnSaturday(Func):
    """Whether a date falls on a Saturday: Django's ``week_day=7`` lookup, as integer arithmetic on PostgreSQL.

    There the lookup is ``EXTRACT(DOW FROM date) + 1 = 7``, and EXTRACT returns a numeric: over this
    year's 97,000 links of the bench database it took 20 of the 40 ms of the projects engaged per chain.
    A date minus a date is a whole number of days, and 1 January 2000 was a Saturday. Elsewhere (SQLite)
    the lookup itself.
    """

    arity = 1
    output_field = BooleanField()
    template = "MOD(%(expressions)s - DATE '2000-01-01', 7) = 0"

    def as_sql(self, compiler, connection, **extra_context):
        (date,) = self.get_source_expressions()
        return compiler.compile(Exact(ExtractWeekDay(date), SATURDAY))

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


def first_links(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> QuerySet:
    """The links dated in ``period`` (of projects of ``chain`` or ``cluster``): each project's first there is
    the one whose previous link is missing or dated before the period (``projects.triggers.previous_rows``)."""
    links = VisitProject.objects.filter(visit_date__range=(period.start, period.end))
    if chain is not None:
        links = links.filter(project_chain=chain)
    if cluster is not None:
        links = links.filter(project_chain__cluster=cluster)
    return links


def engaged_counts(period: Period) -> dict:
    """Projects engaged and Saturday projects engaged as aggregates over ``first_links``: counting each
    project's first link (and first Saturday link) in the period counts the distinct projects."""
    first = Q(previous_date__isnull=True) | Q(previous_date__lt=period.start)
    first_saturday = Q(OnSaturday("visit_date")) & (
        Q(previous_saturday_date__isnull=True) | Q(previous_saturday_date__lt=period.start)
    )
    return {
        "projects_engaged": Count("project", filter=first),
        "saturday_projects_engaged": Count("project", filter=first_saturday),
    }


def engaged_figures(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """Projects engaged (all visits) and Saturday projects engaged in ``period``, in one query over the links.

    Projects engaged is ``projects.stats``'s figure: distinct projects (of ``chain`` or ``cluster``)
    linked to visits dated in the period; the Saturday figure keeps the links of Saturday visits.
    """
    return first_links(period, chain=chain, cluster=cluster).aggregate(**engaged_counts(period))


def engaged_by_chain(period: Period, *, cluster: Cluster | None = None) -> dict[int, dict]:
    """``engaged_figures`` per chain (of ``cluster``), chains with none left out, in one query.

    A project belongs to one chain, so the chains' figures add up to the city's (or the cluster's):
    ``engaged_total``.
    """
    rows = first_links(period, cluster=cluster).values("project_chain").annotate(**engaged_counts(period)).order_by()
    return {row.pop("project_chain"): row for row in rows}


def engaged_total(by_chain: dict[int, dict]) -> dict:
    """The figures of ``engaged_by_chain`` added up: the city's (or the cluster's) ``engaged_figures``."""
    keys = ("projects_engaged", "saturday_projects_engaged")
    return {key: sum(figures[key] for figures in by_chain.values()) for key in keys}


def top_official_person_times(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """Person-times of top officials (一把手) on visits in ``period``, all days and Saturdays, in one query.

    The city's figure sums the leader-day rollup (``VisitDayLeader``) over the leaders flagged now;
    a chain or cluster filter reads the leader rows of the visits concerned with it.
    """
    if chain is None and cluster is None:
        days = VisitDayLeader.objects.filter(date__range=(period.start, period.end), leader__is_top_official=True)
        return days.aggregate(
            top_official_person_times=Coalesce(Sum("visit_count"), 0),
            saturday_top_official_person_times=Coalesce(Sum("visit_count", filter=Q(is_saturday=True)), 0),
        )
    participations = VisitLeader.objects.filter(
        visit__date__range=(period.start, period.end), leader__is_top_official=True
    )
    # A visit concerning two chains of a cluster counts once: its chains are tested, not joined.
    concerned = InvestmentVisit.chains.through.objects.filter(investmentvisit=OuterRef("visit_id"))
    concerned = concerned.filter(chain=chain) if chain is not None else concerned.filter(chain__cluster=cluster)
    return participations.filter(Exists(concerned)).aggregate(
        top_official_person_times=Count("pk"),
        saturday_top_official_person_times=Count("pk", filter=Q(visit__is_saturday=True)),
    )


def saturday_figures(period: Period, *, chain: Chain | None = None, cluster: Cluster | None = None) -> dict:
    """The article's Saturday figures: Saturday projects engaged and top-official person-times (two queries)."""
    engaged = engaged_figures(period, chain=chain, cluster=cluster)
    return {
        "saturday_projects_engaged": engaged["saturday_projects_engaged"],
        **top_official_person_times(period, chain=chain, cluster=cluster),
    }
