"""The city's monthly investment report, the first template (templates are data: a second layout is a row).

Migration 0003 creates it; ``ensure_city_monthly`` puts it back where it is missing (a database emptied
without its migrations' data, as a test's flush leaves it), for the demo and the tests.
"""

from .models import ReportTemplate

CITY_MONTHLY = "city-monthly"
CITY_MONTHLY_FIELDS = {
    "name": "平湖市招商引资月报",
    "unit": "平湖市经济和信息化局",
    "sections": [
        "summary",
        "chains",
        "clusters",
        "towns",
        "targets",
        "major_signed",
        "started",
        "in_production",
        "issues",
        "land",
    ],
}


def ensure_city_monthly() -> ReportTemplate:
    """The city's monthly template, created as migration 0003 does if it is missing (an edited one stays)."""
    template, _created = ReportTemplate.objects.get_or_create(code=CITY_MONTHLY, defaults=CITY_MONTHLY_FIELDS)
    return template
