"""The stage moves a user is offered on a project: only those that can succeed, from its stage and for their role.

What a move asks for (``StageMove``) is what ``projects.forms_moves.StageMoveForm`` shows and
``projects.services.project_move`` needs: the date of each dated stage it passes, the signing
conference when it passes 签约, a reason when it puts the project on hold.
"""

from dataclasses import dataclass

from django.urls import reverse

from pinghu.permissions import may

from .choices import PIPELINE, STAGE_DATE_FIELDS, ProjectStage
from .models import Project
from .services import project_allowed_transitions

# The moves that are recorded with a reason (the stage change's note), which the form requires.
REASON_STAGES = [ProjectStage.ON_HOLD]


def dated_stages_passed(from_stage: str, to_stage: str) -> list[str]:
    """The dated stages a forward move reaches, the target included, in pipeline order ([] for any other move)."""
    if from_stage not in PIPELINE or to_stage not in PIPELINE:
        return []
    passed = PIPELINE[PIPELINE.index(from_stage) + 1 : PIPELINE.index(to_stage) + 1]
    return [stage for stage in passed if stage in STAGE_DATE_FIELDS]


@dataclass(frozen=True)
class StageMove:
    """One move offered on a project: where to, what its form asks, and the page that asks it."""

    project_id: int
    to_stage: str
    # The dated stages reached on the way, the target included: the form asks each one's date.
    dated_stages: tuple[str, ...]
    passes_signing: bool
    needs_reason: bool

    @property
    def label(self) -> str:
        return str(ProjectStage(self.to_stage).label)

    @property
    def skips(self) -> bool:
        """Whether the move passes a dated stage before its target (the form asks more than one date)."""
        return len(self.dated_stages) > 1 or (bool(self.dated_stages) and self.dated_stages[-1] != self.to_stage)

    @property
    def url(self) -> str:
        return reverse("projects:project-move", args=[self.project_id, self.to_stage])


def stage_move(project: Project, to_stage: str) -> StageMove:
    """What moving ``project`` to ``to_stage`` asks for (whether it is allowed is ``project_moves_for``)."""
    dated = dated_stages_passed(project.stage, to_stage)
    return StageMove(
        project_id=project.pk,
        to_stage=to_stage,
        dated_stages=tuple(dated),
        passes_signing=ProjectStage.SIGNED in dated and project.signing_event_id is None,
        needs_reason=to_stage in REASON_STAGES,
    )


def project_moves_for(project: Project, user) -> list[StageMove]:
    """The moves ``user`` may make on ``project`` now, in pipeline order; none if their role may not change it.

    Every move offered can succeed once its form is filled in: forward one or more stages (each
    dated stage passed asks its date), on hold (with a reason) or dropped from an open stage, and back
    from hold to the stage it was held from. A user whose role or object rule does not let them
    change the project (``projects.change_project``) is offered none. Reads the stage history once for
    a project on hold, nothing else.
    """
    if not may(user, "projects.change_project", project):
        return []
    return [stage_move(project, stage) for stage in project_allowed_transitions(project)]
