"""The kinds of reminder rule: one rule row per kind (made by a migration), each with the thresholds it uses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    """What a rule watches; the value is also the ``kind`` of the notifications it writes."""

    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up dates of visits and follow-ups")
    ISSUE_ASSIGNED = "issue_assigned", _("Problems handed to a unit (交办)")
    ISSUE_DUE = "issue_due", _("Due dates of problems")
    PROJECT_STALLED = "project_stalled", _("Stalled projects")
    FIRM_NOT_CONTACTED = "firm_not_contacted", _("Firms with a cadre and no contact")
    TARGET_FAR_BEHIND = "target_far_behind", _("Targets far behind time progress")


# The threshold fields each kind uses (the others stay empty); the form and the page show only these.
RULE_FIELDS: dict[str, list[str]] = {
    RuleKind.FOLLOW_UP_DUE: ["days_before", "on_due_date", "overdue_every"],
    RuleKind.ISSUE_ASSIGNED: [],
    RuleKind.ISSUE_DUE: ["days_before", "on_due_date", "overdue_every"],
    RuleKind.PROJECT_STALLED: ["lead_days", "negotiating_days", "signed_days", "registered_days"],
    RuleKind.FIRM_NOT_CONTACTED: ["contact_days"],
    RuleKind.TARGET_FAR_BEHIND: [],
}
# Thresholds a kind cannot do without (``overdue_every`` may stay empty: overdue is then said once).
REQUIRED_FIELDS: dict[str, list[str]] = {
    RuleKind.FOLLOW_UP_DUE: ["days_before"],
    RuleKind.ISSUE_DUE: ["days_before"],
    RuleKind.PROJECT_STALLED: ["lead_days", "negotiating_days", "signed_days", "registered_days"],
    RuleKind.FIRM_NOT_CONTACTED: ["contact_days"],
}
# The defaults of issue 19, which the data migration writes (and tests and the docs repeat).
DEFAULTS: dict[str, dict] = {
    RuleKind.FOLLOW_UP_DUE: {"days_before": 1, "on_due_date": True, "overdue_every": 7},
    RuleKind.ISSUE_ASSIGNED: {},
    RuleKind.ISSUE_DUE: {"days_before": 2, "on_due_date": False, "overdue_every": 7},
    RuleKind.PROJECT_STALLED: {"lead_days": 60, "negotiating_days": 90, "signed_days": 180, "registered_days": 180},
    RuleKind.FIRM_NOT_CONTACTED: {"contact_days": 90},
    RuleKind.TARGET_FAR_BEHIND: {},
}
