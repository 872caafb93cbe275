"""Choices of the service of established firms: how a problem came in, its category, status and satisfaction.

Also the problem's workflow as data (``ISSUE_MOVES``, ``ISSUE_DATE_FIELDS``), which the model's
constraints and ``services.issue_advance`` share.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueChannel(models.TextChoices):
    """How an enterprise's problem (诉求) reached the city."""

    SALON = "salon", _("evening salon (亲清夜沙龙)")
    ENTERPRISE_CODE = "enterprise_code", _("enterprise code app (企业码)")
    HOTLINE = "hotline", _("96871 hotline")
    CADRE_VISIT = "cadre_visit", _("cadre visit (千名干部助千企)")
    INVESTMENT_VISIT = "investment_visit", _("investment visit")
    OTHER = "other", _("other")


class IssueCategory(models.TextChoices):
    POLICY = "policy", _("policy")
    LAND = "land", _("land")
    FINANCE = "finance", _("finance")
    TALENT = "talent", _("talent")
    PERMITS = "permits", _("permits and approvals")
    INFRASTRUCTURE = "infrastructure", _("infrastructure")
    OTHER = "other", _("other")


class IssueStatus(models.TextChoices):
    """received → assigned (流转交办) → resolved (办结) → closed, or rejected with a reason."""

    RECEIVED = "received", _("received")
    ASSIGNED = "assigned", _("assigned")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")


# The forward moves a problem may make (skipping "assigned" when it is solved on the spot).
ISSUE_MOVES = {
    IssueStatus.RECEIVED: [IssueStatus.ASSIGNED, IssueStatus.RESOLVED, IssueStatus.REJECTED],
    IssueStatus.ASSIGNED: [IssueStatus.RESOLVED, IssueStatus.REJECTED],
    IssueStatus.RESOLVED: [IssueStatus.CLOSED],
    IssueStatus.CLOSED: [],
    IssueStatus.REJECTED: [],
}
# The date field each status sets; open problems are those received or assigned.
ISSUE_DATE_FIELDS = {
    IssueStatus.RECEIVED: "received_on",
    IssueStatus.ASSIGNED: "assigned_on",
    IssueStatus.RESOLVED: "resolved_on",
    IssueStatus.CLOSED: "closed_on",
    IssueStatus.REJECTED: "rejected_on",
}
# The fields of a problem only a step (issue_advance) writes: its status, the step dates after receipt, the
# resolution, the rejection and the firm's satisfaction. issue_update refuses them; the admin and the API
# show them read-only. (The unit and due date are set by a step too, but may also be corrected by hand.)
ISSUE_STEP_FIELDS = [
    "status",
    *(field for status, field in ISSUE_DATE_FIELDS.items() if status != IssueStatus.RECEIVED),
    "rejection_reason",
    "resolution_note",
    "satisfaction",
]
OPEN_ISSUE_STATUSES = [IssueStatus.RECEIVED, IssueStatus.ASSIGNED]
RESOLVED_ISSUE_STATUSES = [IssueStatus.RESOLVED, IssueStatus.CLOSED]


class Satisfaction(models.IntegerChoices):
    """The firm's verdict on how its problem was handled."""

    VERY_DISSATISFIED = 1, _("very dissatisfied")
    DISSATISFIED = 2, _("dissatisfied")
    NEUTRAL = 3, _("neutral")
    SATISFIED = 4, _("satisfied")
    VERY_SATISFIED = 5, _("very satisfied")
