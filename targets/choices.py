"""The closed lists of the targets app: scope kinds, metrics and progress statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.TextChoices):
    """Whom a target is handed down to."""

    CITY = "city", _("City")
    CLUSTER = "cluster", _("Cluster")
    CHAIN = "chain", _("Chain")
    TOWN = "town", _("Town")
    UNIT = "unit", _("Responsible unit")


class Metric(models.TextChoices):
    """What a target counts; each is defined once in ``targets.metrics`` by the statistics of ``projects``."""

    SIGNED_PROJECTS = "signed_projects", _("Signed projects")
    SIGNED_INVESTMENT = "signed_investment", _("Signed investment")
    SIGNED_CNY_100M = "signed_cny_100m", _("Signed projects of 100 million yuan or more (亿元以上)")
    SIGNED_CNY_1BN = "signed_cny_1bn", _("Signed projects of 1 billion yuan or more (10亿元以上)")
    SIGNED_USD_100M = "signed_usd_100m", _("Signed projects over US$100 million (总投资超亿美元)")
    FUNDS_IN_PLACE = "funds_in_place", _("Domestic funds in place")
    FOREIGN_PAID_IN = "foreign_paid_in", _("Actual foreign investment")
    PROJECTS_STARTED = "projects_started", _("Projects started")
    PROJECTS_IN_PRODUCTION = "projects_in_production", _("Projects put into production")
    SATURDAY_PERSON_TIMES = "saturday_person_times", _("Saturday person-times")
    VISITS = "visits", _("Investment visits")
    CHAIN_OUTPUT = "chain_output", _("Chain output")


class MetricUnit(models.TextChoices):
    """The unit a metric is counted in (one metric, one unit)."""

    PROJECTS = "projects", _("projects (个)")
    CNY_10K = "cny_10k", _("10k CNY (万元)")
    USD_10K = "usd_10k", _("10k USD (万美元)")
    PERSON_TIMES = "person_times", _("person-times (人次)")
    VISITS = "visits", _("visits (次)")


class ProgressStatus(models.TextChoices):
    """Completion against the time progress of the year (时序进度)."""

    AHEAD = "ahead", _("Ahead of time progress")
    BEHIND = "behind", _("Behind time progress")
    FAR_BEHIND = "far_behind", _("Far behind time progress")
