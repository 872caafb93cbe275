"""What the official's phone pages read (issue 21): the visit form's prefills and the official's home.

Each selector reads a fixed number of queries, whatever the number of visits, leaders or firms:
the form and the home page are opened on a weak connection many times a day.
"""

import datetime

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from chains.models import Enterprise, EnterpriseChainRole, Leader
from pinghu.permissions import Role, in_role, is_admin

from .choices import ProjectStage
from .models import FollowUp, InvestmentVisit, Project, VisitLeader

RECENT_VISITS = 30  # the official's visits their companions and phrases are read from
RECENT_FIRMS = 20  # firms embedded in the form, so the picker finds them with no connection
PHRASES = 5  # last used phrases offered for purpose and outcome
HOME_VISITS = 5
DUE_WITHIN = datetime.timedelta(days=7)  # follow-ups shown on the home page: due within a week ...
OVERDUE_SINCE = datetime.timedelta(days=60)  # ... or overdue for up to two months (the overdue page lists all)
CLOSED_STAGES = [ProjectStage.DROPPED, ProjectStage.PRODUCTION]


def _recent_visits(user):
    return InvestmentVisit.objects.filter(recorded_by_id=user.pk).order_by("-date", "-pk")


def leaders_for(user):
    """Active leaders in the order the form offers them: the user's own leader, then their usual companions
    (most often on the user's last 30 visits), then by name. Counted by the database, one query."""
    recent = _recent_visits(user).values("pk")[:RECENT_VISITS]
    times = (
        VisitLeader.objects.filter(leader=OuterRef("pk"), visit__in=recent)
        .order_by()
        .values("leader")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Leader.objects.filter(is_active=True)
        .annotate(
            companion_visits=Coalesce(Subquery(times, output_field=IntegerField()), Value(0)),
            own=Case(When(user_id=user.pk, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by("-own", "-companion_visits", "name", "pk")
    )


def last_phrases(user) -> dict[str, list[str]]:
    """The user's last distinct purposes and outcomes (at most 5 each, newest first), one query."""
    rows = _recent_visits(user).values_list("purpose", "outcome")[:RECENT_VISITS]
    phrases: dict[str, list[str]] = {"purpose": [], "outcome": []}
    for row in rows:
        for name, text in zip(("purpose", "outcome"), row, strict=True):
            text = " ".join((text or "").split())
            if text and text not in phrases[name] and len(phrases[name]) < PHRASES:
                phrases[name].append(text)
    return phrases


def open_projects():
    """Projects a visit may still be linked to (not dropped, not yet in production)."""
    return Project.objects.exclude(stage__in=CLOSED_STAGES)


def recent_firms(user) -> list[dict]:
    """The firms the user visited last (newest first), each with its chains (from its chain roles) and its open
    projects: embedded in the form so that picking one works with no connection. Three queries."""
    firms = (
        Enterprise.objects.annotate(last=Max("visits__date", filter=Q(visits__recorded_by_id=user.pk)))
        .filter(last__isnull=False)
        .order_by("-last", "name")
        .prefetch_related(
            Prefetch("chain_roles", queryset=EnterpriseChainRole.objects.order_by("chain_id")),
            Prefetch("projects", queryset=open_projects().order_by("name", "pk"), to_attr="open_projects"),
        )[:RECENT_FIRMS]
    )
    return [
        {
            "id": firm.pk,
            "name": firm.name,
            "short_name": firm.short_name,
            "credit_code": firm.credit_code or "",
            "key": firm.search_key,
            "chains": [role.chain_id for role in firm.chain_roles.all()],
            "projects": [{"id": project.pk, "name": project.name} for project in firm.open_projects],
        }
        for firm in firms
    ]


def firm_chain_ids(firm_ids) -> dict[int, list[int]]:
    """The chains of each firm's chain roles, one query."""
    chains: dict[int, list[int]] = {}
    rows = EnterpriseChainRole.objects.filter(enterprise_id__in=firm_ids).order_by("chain_id")
    for firm_id, chain_id in rows.values_list("enterprise_id", "chain_id"):
        chains.setdefault(firm_id, []).append(chain_id)
    return chains


# ---------------------------------------------------------------- the official's home


def has_official_home(user) -> bool:
    """Officials land on their own home (log a visit, their visits, their follow-ups); bureau staff and admins
    keep the dashboard alone."""
    return in_role(user, Role.OFFICIAL) and not (is_admin(user) or in_role(user, Role.BUREAU_STAFF))


def official_home(user) -> dict:
    """The top of an official's home page: their latest visits and their follow-ups overdue or due within a
    week (visits they logged, project follow-ups they wrote; overdue for up to two months, older ones are on the
    overdue page). Three queries."""
    today = timezone.localdate()
    soon, since = today + DUE_WITHIN, today - OVERDUE_SINCE
    visits = list(_recent_visits(user).select_related("enterprise")[:HOME_VISITS])
    due_visits = list(
        InvestmentVisit.objects.filter(recorded_by_id=user.pk, follow_up_date__range=(since, soon))
        .select_related("enterprise")
        .order_by("follow_up_date", "pk")[:20]
    )
    due_follow_ups = list(
        FollowUp.objects.filter(author_id=user.pk, due_date__range=(since, soon))
        .select_related("project")
        .order_by("due_date", "pk")[:20]
    )
    return {"visits": visits, "due_visits": due_visits, "due_follow_ups": due_follow_ups, "today": today}
