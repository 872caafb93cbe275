"""Models of the projects app: investment activity (visits, projects, stages, signing conferences, rollups)."""

from .activity import (
    MAJOR_FOREIGN_INVESTMENT,
    PROJECT_AMOUNT_FIELDS,
    PROJECT_DATE_ORDER,
    FollowUp,
    InvestmentVisit,
    PipelineDelta,
    Project,
    ProjectQuerySet,
    ProjectStageChange,
    SigningEvent,
    VisitDay,
    VisitDayChain,
    VisitLeader,
    VisitProject,
    is_major_project,
    major_project_condition,
)

__all__ = [
    "MAJOR_FOREIGN_INVESTMENT",
    "PROJECT_AMOUNT_FIELDS",
    "PROJECT_DATE_ORDER",
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
    "is_major_project",
    "major_project_condition",
]
