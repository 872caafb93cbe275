"""Things that stopped moving: projects stalled in a stage, and firms whose cadre has not been in contact.

- A project in lead, negotiating, signed (not registered) or registered (not under construction) is
  stalled when its last activity is at least the stage's number of days before today. Its last
  activity is the latest of its stage changes, its follow-ups, its first contact and the date of its
  current stage, up to today. Reminded once per stall: the key holds the last activity's date, so a new
  follow-up or stage change starts the count again.
- A firm with a current cadre is not contacted when its last contact (a visit, a salon attended or a
  problem raised: ``aftercare.stats.last_contacts``) and the assignment's start are both at least
  ``contact_days`` before today. Reminded once per silence, the same way.
"""

import datetime

from django.db.models import DateField, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext as _

from aftercare.models import CadreAssignment
from aftercare.stats import last_contacts
from projects.choices import ProjectStage
from projects.models import FollowUp, Project, ProjectStageChange

from .. import recipients
from ..choices import RuleKind
from ..delivery import Reminder

NEVER = datetime.date(1900, 1, 1)
# The stages watched, each with the rule's field of its days.
STALL_FIELDS = {
    ProjectStage.LEAD: "lead_days",
    ProjectStage.NEGOTIATING: "negotiating_days",
    ProjectStage.SIGNED: "signed_days",
    ProjectStage.REGISTERED: "registered_days",
}


def _latest(queryset, field: str, today: datetime.date):
    """The latest ``field`` of ``queryset``'s rows (for the outer project) up to ``today``, or ``NEVER``."""
    rows = queryset.filter(project=OuterRef("pk"), **{f"{field}__lte": today}).values("project")
    return Coalesce(
        Subquery(rows.annotate(latest=Max(field)).values("latest")[:1], output_field=DateField()),
        Value(NEVER, output_field=DateField()),
    )


def _date_or_never(field: str):
    return Coalesce(F(field), Value(NEVER, output_field=DateField()))


def stalled_projects(rule, today: datetime.date):
    """Projects stalled on ``today`` by the rule's days per stage, annotated with ``last_activity``."""
    condition = Q(pk__in=[])
    for stage, days_field in STALL_FIELDS.items():
        days = getattr(rule, days_field)
        if days:
            condition |= Q(stage=stage, last_activity__lte=today - datetime.timedelta(days=days))
    return (
        Project.objects.annotate(
            last_activity=Greatest(
                _latest(ProjectStageChange.objects, "at", today),
                _latest(FollowUp.objects, "date", today),
                _date_or_never("first_contact_date"),
                _date_or_never("signed_date"),
                _date_or_never("registered_date"),
                output_field=DateField(),
            )
        )
        .filter(condition)
        .select_related("chain")
        .order_by("last_activity", "pk")
    )


def detail_link_parts(name: str) -> tuple[str, str] | None:
    """``(head, tail)`` such that ``reverse(name, args=[pk])`` is ``f"{head}{pk}{tail}"`` for an ``<int:pk>``
    route, or None where the path cannot be cut so."""
    marker = 987654321
    head, found, tail = reverse(name, args=[marker]).partition(str(marker))
    if not found or str(marker) in tail:
        return None
    return head, tail


def _detail_links(name: str):
    """``pk`` → ``reverse(name, args=[pk])`` for an ``<int:pk>`` route, reversed once: a ``reverse()`` a row was a
    third of the stalled-project reminders' Python time (cProfile, 10,000 stalled projects)."""
    parts = detail_link_parts(name)
    if parts is None:
        return lambda pk: reverse(name, args=[pk])
    head, tail = parts
    return lambda pk: f"{head}{pk}{tail}"


def _stalled_title(project, idle: int) -> str:
    if project.last_activity <= NEVER:
        return _("Project %(project)s has no recorded progress") % {"project": project.name}
    return _("Project %(project)s has not moved for %(days)d days") % {"project": project.name, "days": idle}


def stalled_project_reminders(rule, today: datetime.date) -> list[Reminder]:
    """Stalled projects → their responsible official and their chain's chief."""
    # Only the columns read below: a stalled project costs its instance (53,600 of them in the 100,000-project demo).
    projects = list(
        stalled_projects(rule, today).only("name", "stage", "chain_id", "responsible_official_id", "chain__name")
    )
    chiefs = recipients.chain_chiefs(today) if projects else {}
    people = recipients.active([project.responsible_official_id for project in projects]) | set(chiefs.values())
    # The stages' labels translated once: ``get_stage_display`` rebuilds the choices' mapping (hashing every
    # lazy label) on each call: a third of this function's time (cProfile, 10,000 stalled projects).
    stage_labels = {value: str(label) for value, label in ProjectStage.choices}
    link = _detail_links("projects:project-detail")
    reminders = []
    for project in projects:
        users = {project.responsible_official_id, chiefs.get(project.chain_id)} & people
        idle = (today - project.last_activity).days
        since = _("no recorded activity") if project.last_activity <= NEVER else str(project.last_activity)
        reminders.append(
            Reminder(
                kind=RuleKind.PROJECT_STALLED,
                key=f"project:{project.pk}:stalled:{project.last_activity}",
                title=_stalled_title(project, idle),
                body=_("Stage: %(stage)s; chain: %(chain)s; last stage change or follow-up: %(since)s.")
                % {
                    "stage": stage_labels.get(project.stage, project.stage),
                    "chain": project.chain.name,
                    "since": since,
                },
                link=link(project.pk),
                obj=project,
                users=users,
                reaches=users,
            )
        )
    return reminders


def uncontacted_assignments(rule, today: datetime.date):
    """Current cadre assignments whose firm has had no contact for ``contact_days``, with ``last_contact``."""
    contact = last_contacts().filter(pk=OuterRef("enterprise_id")).values("last_contact")[:1]
    return (
        CadreAssignment.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .annotate(
            last_contact=Coalesce(Subquery(contact, output_field=DateField()), Value(NEVER, output_field=DateField())),
            quiet_since=Greatest(F("last_contact"), F("start_date"), output_field=DateField()),
            cadre_account=Coalesce(F("cadre_user_id"), F("cadre_leader__user_id")),
        )
        .filter(quiet_since__lte=today - datetime.timedelta(days=rule.contact_days))
        .select_related("enterprise")
        .order_by("quiet_since", "pk")
    )


def firm_reminders(rule, today: datetime.date) -> list[Reminder]:
    """Firms with a cadre and no contact for the rule's days → the cadre."""
    assignments = list(uncontacted_assignments(rule, today))
    people = recipients.active([row.cadre_account for row in assignments])
    reminders = []
    for row in assignments:
        users = {row.cadre_account} & people
        last = _("never") if row.last_contact <= NEVER else str(row.last_contact)
        reminders.append(
            Reminder(
                kind=RuleKind.FIRM_NOT_CONTACTED,
                key=f"cadre:{row.pk}:no_contact:{row.quiet_since}",
                title=_("No contact with %(enterprise)s for %(days)d days")
                % {"enterprise": row.enterprise.name, "days": (today - row.quiet_since).days},
                body=_("You are the firm's cadre since %(start)s; its last visit, salon or problem: %(last)s.")
                % {"start": row.start_date, "last": last},
                link=reverse("aftercare:enterprise-detail", args=[row.enterprise_id]),
                obj=row.enterprise,
                users=users,
                reaches=users,
            )
        )
    return reminders
