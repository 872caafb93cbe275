"""Models of the projects app: investment activity (projects in ``pipeline``, signing conferences in ``conferences``,
stage changes and follow-ups in ``progress``, ``visits``, and the trigger-kept ``rollups``)."""

from .conferences import SigningEvent
from .pipeline import (
    PROJECT_AMOUNT_FIELDS,
    PROJECT_DATE_ORDER,
    Project,
    ProjectQuerySet,
    major_project_condition,
)
from .progress import FollowUp, ProjectStageChange
from .rates import ExchangeRate
from .rollups import PipelineDelta, VisitDay, VisitDayChain
from .visits import InvestmentVisit, VisitLeader, VisitProject

__all__ = [
    "PROJECT_AMOUNT_FIELDS",
    "PROJECT_DATE_ORDER",
    "ExchangeRate",
    "FollowUp",
    "InvestmentVisit",
    "PipelineDelta",
    "Project",
    "ProjectQuerySet",
    "ProjectStageChange",
    "SigningEvent",
    "VisitDay",
    "VisitDayChain",
    "VisitLeader",
    "VisitProject",
    "major_project_condition",
]
