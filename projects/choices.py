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
# The fields of an existing project only a workflow step writes: a stage move, and signing at a conference
# (signing_event_sign_project), which counts the project there once. project_update refuses them; the
# admin shows them read-only.
PROJECT_STEP_FIELDS = [*TRANSITION_FIELDS, "signing_event"]
# Stages from which a project can still move (production and dropped are final).
OPEN_STAGES = [*PIPELINE[:-1], ProjectStage.ON_HOLD]


# --- Approval milestones (issue 16) -------------------------------------------------------------------


class ApprovalKind(models.TextChoices):
    """How a project was admitted by the development and reform bureau: filing (备案) or approval (核准)."""

    FILING = "filing", _("filing (备案)")
    APPROVAL = "approval", _("approval (核准)")


class ParcelUse(models.TextChoices):
    """A land parcel's planned use (规划用途)."""

    INDUSTRIAL = "industrial", _("industrial")
    OTHER = "other", _("other")


class ParcelStatus(models.TextChoices):
    """Where a land parcel stands: idle, low-efficiency, being supplied, supplied."""

    IDLE = "idle", _("idle (闲置)")
    LOW_EFFICIENCY = "low_efficiency", _("low-efficiency (低效)")
    SUPPLYING = "supplying", _("being supplied (在供)")
    SUPPLIED = "supplied", _("supplied (已供)")


class ProjectLevel(models.TextChoices):
    """The list a project was put on (issue 16, "Size bands and levels"); empty when on none."""

    PROVINCIAL_MAJOR = "provincial_major", _("provincial major project (省重大项目)")
    JIAXING_KEY = "jiaxing_key", _("Jiaxing key project (嘉兴市重点项目)")
    PINGHU_KEY = "pinghu_key", _("Pinghu key project (平湖市重点项目)")
