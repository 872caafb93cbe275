"""Choice lists of the projects app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectSource(models.TextChoices):
    """Where a project lead came from."""

    VISIT = "visit", _("investment visit")
    SIGNING_EVENT = "signing_event", _("signing conference")
    AGENCY = "agency", _("investment agency")
    REFERRAL = "referral", _("referral")
    ONLINE = "online", _("online")
    OTHER = "other", _("other")


class ProjectStage(models.TextChoices):
    """The pipeline: lead → negotiating → signed → registered → construction → production.

    ``on_hold`` and ``dropped`` sit beside it: any open stage can be put on hold or dropped,
    and a project on hold can resume where it stopped.
    """

    LEAD = "lead", _("lead")
    NEGOTIATING = "negotiating", _("negotiating")
    SIGNED = "signed", _("signed")
    REGISTERED = "registered", _("registered")
    CONSTRUCTION = "construction", _("under construction")
    PRODUCTION = "production", _("in production")
    ON_HOLD = "on_hold", _("on hold")
    DROPPED = "dropped", _("dropped")


# The forward order of the pipeline, and the date field each dated stage sets.
PIPELINE = [
    ProjectStage.LEAD,
    ProjectStage.NEGOTIATING,
    ProjectStage.SIGNED,
    ProjectStage.REGISTERED,
    ProjectStage.CONSTRUCTION,
    ProjectStage.PRODUCTION,
]
STAGE_DATE_FIELDS = {
    ProjectStage.SIGNED: "signed_date",
    ProjectStage.REGISTERED: "registered_date",
    ProjectStage.CONSTRUCTION: "construction_date",
    ProjectStage.PRODUCTION: "production_date",
}
# An existing project's fields that change only by a move through the pipeline (project_transition),
# which writes the stage history with them: read-only in the admin, locked in the API, checked on import.
TRANSITION_FIELDS = ["stage", *STAGE_DATE_FIELDS.values()]
# Stages from which a project can still move (production and dropped are final).
OPEN_STAGES = [*PIPELINE[:-1], ProjectStage.ON_HOLD]


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
OPEN_ISSUE_STATUSES = [IssueStatus.RECEIVED, IssueStatus.ASSIGNED]
RESOLVED_ISSUE_STATUSES = [IssueStatus.RESOLVED, IssueStatus.CLOSED]


class Satisfaction(models.IntegerChoices):
    """The firm's verdict on how its problem was handled."""

    VERY_DISSATISFIED = 1, _("very dissatisfied")
    DISSATISFIED = 2, _("dissatisfied")
    NEUTRAL = 3, _("neutral")
    SATISFIED = 4, _("satisfied")
    VERY_SATISFIED = 5, _("very satisfied")
