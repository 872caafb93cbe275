"""Due dates: follow-up dates of visits and follow-ups, and due dates of open problems.

A date is reminded ``days_before`` days ahead (any day within that window, once), on the day itself if
the rule says so, and once it has passed (again every ``overdue_every`` days, if given). A follow-up is
settled once a later follow-up of its project is recorded, a visit's follow-up date once a later visit to
the firm is; the follow-ups of projects that are dropped or in production are not chased.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from aftercare.choices import OPEN_ISSUE_STATUSES
from aftercare.models import EnterpriseIssue
from projects.choices import OPEN_STAGES
from projects.models import FollowUp, InvestmentVisit

from .. import recipients
from ..choices import RuleKind
from ..delivery import Reminder, overdue_round

BODY_CHARS = 200


def due_condition(rule, today: datetime.date, field: str) -> Q:
    """Dates to remind on ``today``: within ``days_before`` ahead, today if the rule says so, or past."""
    ahead = Q(**{f"{field}__gt": today, f"{field}__lte": today + datetime.timedelta(days=rule.days_before or 0)})
    condition = ahead | Q(**{f"{field}__lt": today})
    if rule.on_due_date:
        condition |= Q(**{field: today})
    return condition


def when(due: datetime.date, today: datetime.date, every: int | None) -> tuple[str, str]:
    """The reminder's key part (``soon:2024-06-03``, ``today:…``, ``overdue:…:0``) and its words."""
    days = (due - today).days
    if days == 1:
        return f"soon:{due}", _("due tomorrow")
    if days > 1:
        return f"soon:{due}", _("due in %(days)d days") % {"days": days}
    if days == 0:
        return f"today:{due}", _("due today")
    return f"overdue:{due}:{overdue_round(due, today, every)}", _("overdue by %(days)d days") % {"days": -days}


def short_text(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BODY_CHARS else text[: BODY_CHARS - 1] + "…"


def follow_up_reminders(rule, today: datetime.date) -> list[Reminder]:
    """Follow-ups and visits whose follow-up date is near or past → who recorded them (and the project's official)."""
    later_follow_up = FollowUp.objects.filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")),
        project=OuterRef("project"),
        date__lte=today,
    )
    follow_ups = list(
        FollowUp.objects.filter(due_condition(rule, today, "due_date"), project__stage__in=OPEN_STAGES)
        .exclude(Exists(later_follow_up))
        .select_related("project")
        .order_by("due_date", "pk")
    )
    later_visit = InvestmentVisit.objects.filter(
        enterprise=OuterRef("enterprise"), date__gt=OuterRef("date"), date__lte=today
    )
    visits = list(
        InvestmentVisit.objects.filter(due_condition(rule, today, "follow_up_date"))
        .exclude(Exists(later_visit))
        .select_related("enterprise")
        .order_by("follow_up_date", "pk")
    )
    people = recipients.active(
        [user for row in follow_ups for user in (row.author_id, row.project.responsible_official_id)]
        + [visit.recorded_by_id for visit in visits]
    )
    reminders = []
    for row in follow_ups:
        part, words = when(row.due_date, today, rule.overdue_every)
        users = {row.author_id, row.project.responsible_official_id} & people
        reminders.append(
            Reminder(
                kind=RuleKind.FOLLOW_UP_DUE,
                key=f"follow_up:{row.pk}:{part}",
                title=_("Follow-up of %(project)s %(when)s") % {"project": row.project.name, "when": words},
                body=_("Next step: %(step)s (due %(due)s)")
                % {"step": short_text(row.next_step or row.note), "due": row.due_date},
                link=reverse("projects:project-detail", args=[row.project_id]),
                obj=row,
                users=users,
                reaches=users,
            )
        )
    for visit in visits:
        part, words = when(visit.follow_up_date, today, rule.overdue_every)
        users = {visit.recorded_by_id} & people
        reminders.append(
            Reminder(
                kind=RuleKind.FOLLOW_UP_DUE,
                key=f"visit:{visit.pk}:{part}",
                title=_("Follow-up of the visit to %(enterprise)s on %(date)s %(when)s")
                % {"enterprise": visit.enterprise.name, "date": visit.date, "when": words},
                body=_("Next step: %(step)s (due %(due)s)")
                % {"step": short_text(visit.next_step or visit.purpose), "due": visit.follow_up_date},
                link=reverse("projects:visit-edit", args=[visit.pk]),
                obj=visit,
                users=users,
                reaches=users,
            )
        )
    return reminders


def issue_reminders(rule, today: datetime.date) -> list[Reminder]:
    """Open problems whose due date is near or past → the unit they are handed to, and bureau staff."""
    issues = list(
        EnterpriseIssue.objects.filter(due_condition(rule, today, "due_date"), status__in=OPEN_ISSUE_STATUSES)
        .select_related("enterprise", "assigned_unit")
        .order_by("due_date", "pk")
    )
    unit_keys = recipients.issue_unit_keys(issues)
    units = recipients.units_by_key(unit_keys.values()) if issues else {}
    staff = recipients.bureau_staff() if issues else set()
    reminders = []
    for issue in issues:
        part, words = when(issue.due_date, today, rule.overdue_every)
        unit_id, members = units.get(unit_keys.get(issue.pk, ""), (None, set()))
        reminders.append(
            Reminder(
                kind=RuleKind.ISSUE_DUE,
                key=f"issue:{issue.pk}:{part}",
                title=_("Problem of %(enterprise)s %(when)s") % {"enterprise": issue.enterprise.name, "when": words},
                body=_("%(description)s (handed to: %(unit)s; due %(due)s)")
                % {
                    "description": short_text(issue.description),
                    "unit": issue.assigned_unit.name if issue.assigned_unit_id else _("no unit yet"),
                    "due": issue.due_date,
                },
                link=reverse("aftercare:issue-detail", args=[issue.pk]),
                obj=issue,
                users=set(staff),
                units={unit_id} if unit_id else set(),
                reaches=staff | members,
            )
        )
    return reminders
