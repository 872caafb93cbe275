"""Models of the projects app: investment activity (projects in ``pipeline``, signing conferences in ``conferences``,
monthly funds in place in ``funds``, land parcels in ``land``, stage changes and follow-ups in
``progress``, ``visits``, and the trigger-kept ``rollups``)."""

from .conferences import SigningEvent
from .funds import FUNDS_AMOUNT_FIELDS, ProjectFunds, first_of_month
from .land import LandParcel
from .photos import MAX_PHOTOS_PER_VISIT, VisitPhoto
from .pipeline import (
    PROJECT_AMOUNT_FIELDS,
    PROJECT_DATE_ORDER,
    Project,
    ProjectQuerySet,
    major_project_condition,
)
from .progress import FollowUp, ProjectStageChange
from .rates import ExchangeRate
from .rollups import (
    PipelineDelta,
    PipelineMonth,
    ProjectContactDay,
    ProjectFundsMonth,
    VisitDay,
    VisitDayChain,
    VisitDayLeader,
)
from .visits import InvestmentVisit, VisitLeader, VisitProject

__all__ = [
    "PROJECT_AMOUNT_FIELDS",
    "PROJECT_DATE_ORDER",
    "ExchangeRate",
    "FUNDS_AMOUNT_FIELDS",
    "FollowUp",
    "InvestmentVisit",
    "LandParcel",
    "PipelineDelta",
    "PipelineMonth",
    "Project",
    "ProjectContactDay",
    "ProjectFunds",
    "ProjectFundsMonth",
    "ProjectQuerySet",
    "ProjectStageChange",
    "SigningEvent",
    "VisitDay",
    "VisitDayChain",
    "VisitDayLeader",
    "VisitLeader",
    "VisitPhoto",
    "MAX_PHOTOS_PER_VISIT",
    "VisitProject",
    "first_of_month",
    "major_project_condition",
]
