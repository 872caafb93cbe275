"""The site's search: every type a user may read, grouped, a few rows each, with why each row matched.

One query per type, whatever the number of rows found (related rows are selected with them), so a
page of results costs the same for one match as for a hundred thousand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from aftercare.models import EnterpriseIssue
from chains.models import Enterprise, Leader
from pinghu.permissions import may
from pinghu.search import Query, Reason, match_reasons, search_first
from projects.models import InvestmentVisit, Project
from units.models import Unit

EXCERPT = 24  # characters kept on each side of a match in a long text
# Rows read a type, at least. With a small LIMIT (4) PostgreSQL's planner may walk the ordering index
# (visits by date) and test every row of 200,000 for a rare match (1.5 s); from 9 on it uses the trigram
# indexes (under 30 ms; bench/search.py). The quick results read 9 and show 3.
MIN_FETCH = 8


@dataclass(frozen=True)
class Kind:
    """One type of result: who may read it, its rows, how a row is shown and where it leads."""

    key: str
    label: str
    permission: str
    queryset: Callable[[], QuerySet]
    title: Callable[[object], str]
    detail: Callable[[object], str]
    url: Callable[[object], str]


def _visit_url(visit) -> str:
    query = {"enterprise": visit.enterprise_id, "date_from": visit.date, "date_to": visit.date}
    return reverse("projects:visit-list") + "?" + urlencode(query)


KINDS = [
    Kind(
        "enterprises",
        _("Enterprises"),
        "chains.view_enterprise",
        lambda: Enterprise.objects.order_by("name"),
        lambda firm: firm.name,
        lambda firm: firm.credit_code or "",
        lambda firm: reverse("aftercare:enterprise-detail", args=[firm.pk]),
    ),
    Kind(
        "projects",
        _("Projects"),
        "projects.view_project",
        lambda: Project.objects.select_related("investor", "chain").order_by("-updated_at", "-pk"),
        lambda project: project.name,
        lambda project: " · ".join([project.investor.name, project.get_stage_display(), project.chain.name]),
        lambda project: reverse("projects:project-detail", args=[project.pk]),
    ),
    Kind(
        "visits",
        _("Visits"),
        "projects.view_investmentvisit",
        lambda: InvestmentVisit.objects.select_related("enterprise").order_by("-date", "-pk"),
        lambda visit: f"{visit.date:%Y-%m-%d} {visit.enterprise.name}",
        lambda visit: Truncator(visit.purpose).chars(60),
        _visit_url,
    ),
    Kind(
        "issues",
        _("Enterprise problems"),
        "aftercare.view_enterpriseissue",
        lambda: EnterpriseIssue.objects.select_related("enterprise").order_by("-received_on", "-pk"),
        lambda issue: f"{issue.enterprise.name} · {issue.get_category_display()}",
        lambda issue: Truncator(issue.description).chars(60),
        lambda issue: reverse("aftercare:issue-detail", args=[issue.pk]),
    ),
    Kind(
        "leaders",
        _("Leaders"),
        "chains.view_leader",
        lambda: Leader.objects.select_related("unit").order_by("name", "pk"),
        str,
        lambda leader: leader.unit.name if leader.unit_id else leader.unit_text,
        lambda leader: reverse("projects:visit-list") + "?" + urlencode({"leader": leader.pk}),
    ),
    Kind(
        "units",
        _("Units"),
        "units.view_unit",
        lambda: Unit.objects.order_by("name", "pk"),
        lambda unit: unit.name,
        lambda unit: unit.get_kind_display(),
        lambda unit: reverse("units:unit-detail", args=[unit.pk]),
    ),
]
KIND_KEYS = [kind.key for kind in KINDS]


@dataclass(frozen=True)
class Why:
    """One reason shown: the field's name and the text around the match, cut in three for highlighting."""

    label: str
    before: str
    match: str
    after: str

    @classmethod
    def of(cls, reason: Reason) -> Why:
        before, match, after = reason.parts
        before = ("…" + before[-EXCERPT:]) if len(before) > EXCERPT else before
        after = (after[:EXCERPT] + "…") if len(after) > EXCERPT else after
        return cls(reason.label, before, match, after)

    def as_text(self) -> str:
        return f"{self.label}: {self.before}{self.match}{self.after}"


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str
    why: list[Why]


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    hits: list[Hit]
    more: bool


def readable_kinds(user) -> list[Kind]:
    """The types of result ``user`` may read (their model's view permission)."""
    return [kind for kind in KINDS if may(user, kind.permission)]


def site_search(user, value: str, *, limit: int = 8, only: str | None = None) -> list[Group]:
    """What ``value`` finds among the rows ``user`` may read, by type, at most ``limit`` rows each.

    ``only``: one type's key (``KIND_KEYS``), for the page listing more of one type. Types without a
    match are left out; an empty query finds nothing. One query per readable type.
    """
    query = Query.parse(value)
    if not query:
        return []
    groups = []
    for kind in readable_kinds(user):
        if only and kind.key != only:
            continue
        rows = list(search_first(kind.queryset(), query, max(limit, MIN_FETCH) + 1))
        if rows:
            hits = [_hit(kind, row, query) for row in rows[:limit]]
            groups.append(Group(kind.key, str(kind.label), hits, more=len(rows) > limit))
    return groups


def _hit(kind: Kind, row, query: Query) -> Hit:
    return Hit(
        title=kind.title(row),
        detail=kind.detail(row),
        url=kind.url(row),
        why=[Why.of(reason) for reason in match_reasons(row, query)],
    )
