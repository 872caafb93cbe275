"""Models of the chains app: the structure, enterprises and their chain roles, per-mu figures."""

from .enterprises import (
    Enterprise,
    EnterpriseChainRole,
)
from .per_mu import (
    DEFAULT_GRADE_THRESHOLDS,
    METRIC_YEAR_MAX,
    METRIC_YEAR_MIN,
    EnterpriseAnnualMetric,
    GradeThresholds,
    PerMuGradeScheme,
)
from .reference import SeededRow
from .structure import (
    Chain,
    ChainLeadership,
    ChainLeadershipQuerySet,
    ChainNode,
    Cluster,
    Leader,
)

__all__ = [
    "Chain",
    "ChainLeadership",
    "ChainLeadershipQuerySet",
    "ChainNode",
    "Cluster",
    "DEFAULT_GRADE_THRESHOLDS",
    "Enterprise",
    "EnterpriseAnnualMetric",
    "EnterpriseChainRole",
    "GradeThresholds",
    "Leader",
    "METRIC_YEAR_MAX",
    "METRIC_YEAR_MIN",
    "PerMuGradeScheme",
    "SeededRow",
]
