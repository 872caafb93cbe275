"""Immediate reminders, written when a service announces the change (``pinghu.events``), in its transaction.

A problem handed to a unit (交办: ``issue.status_changed`` to ``assigned``) is told at once to the unit's
members, if the rule ``issue_assigned`` is enabled. The key holds the problem and its unit, so the same
event delivered twice writes once.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aftercare.choices import IssueStatus
from aftercare.models import EnterpriseIssue
from pinghu.events import ISSUE_STATUS_CHANGED, Event

from . import recipients
from .checks.due import short_text
from .choices import RuleKind
from .delivery import Reminder, deliver
from .models import ReminderRule


def _moved_to(event: Event) -> str:
    """The status the event names (``to`` of its data), else the problem's own."""
    return str(event.data.get("to") or getattr(event.instance, "status", ""))


def on_domain_event(sender, event: Event, **kwargs) -> None:
    """``domain_event`` receiver: a problem assigned to a unit → the unit's members, at once."""
    if event.type != ISSUE_STATUS_CHANGED or not isinstance(event.instance, EnterpriseIssue):
        return
    if _moved_to(event) != IssueStatus.ASSIGNED:
        return
    if not ReminderRule.objects.filter(kind=RuleKind.ISSUE_ASSIGNED, enabled=True).exists():
        return
    issue = event.instance
    unit_key = recipients.issue_unit_keys([issue]).get(issue.pk, "")
    unit_id, members = recipients.units_by_key([unit_key]).get(unit_key, (None, set()))
    if unit_id is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        due = _("due %(due)s") % {"due": issue.due_date} if issue.due_date else _("no due date")
        reminder = Reminder(
            kind=RuleKind.ISSUE_ASSIGNED,
            key=f"issue:{issue.pk}:assigned:{unit_key}",
            title=_("A problem of %(enterprise)s is handed to %(unit)s")
            % {"enterprise": issue.enterprise.name, "unit": issue.assigned_unit.name},
            body=_("%(description)s (%(due)s)") % {"description": short_text(issue.description), "due": due},
            link=reverse("aftercare:issue-detail", args=[issue.pk]),
            obj=issue,
            units={unit_id},
            reaches=members,
        )
    deliver([reminder], urgent=True)
