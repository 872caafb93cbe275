"""Models of the projects app: investment activity (projects in ``pipeline``, signing conferences in ``conferences``,
monthly funds in place in ``funds``, land parcels in ``land``, stage changes and follow-ups in
``progress``, ``visits``, and the trigger-kept ``rollups``)."""

from .conferences import SigningEvent
from .funds import FUNDS_AMOUNT_FIELDS, ProjectFunds, first_of_month
from .land import LandParcel
from .pipeline import (
    MAJOR_FOREIGN_INVESTMENT,
    PROJECT_AMOUNT_FIELDS,
    PROJECT_DATE_ORDER,
    Project,
    ProjectQuerySet,
    is_major_project,
    major_project_condition,
)
from .progress import FollowUp, ProjectStageChange
from .rollups import PipelineDelta, VisitDay, VisitDayChain
from .visits import InvestmentVisit, VisitLeader, VisitProject

__all__ = [
    "MAJOR_FOREIGN_INVESTMENT",
    "PROJECT_AMOUNT_FIELDS",
    "PROJECT_DATE_ORDER",
    "FUNDS_AMOUNT_FIELDS",
    "FollowUp",
    "InvestmentVisit",
    "LandParcel",
    "PipelineDelta",
    "Project",
    "ProjectFunds",
    "ProjectQuerySet",
    "ProjectStageChange",
    "SigningEvent",
    "VisitDay",
    "VisitDayChain",
    "VisitLeader",
    "VisitProject",
    "first_of_month",
    "is_major_project",
    "major_project_condition",
]
