"""Read side of reports: which reports a user sees, a report with its versions, the version a page shows.

Bureau staff and administrators (``reports.add_report``) see every report; every other role sees
sent reports only (what was sent upward is public inside the government; drafts are the bureau's).
"""

from django.db.models import Prefetch, QuerySet

from pinghu.permissions import may

from .choices import ReportStatus
from .models import Report, ReportVersion


def sees_drafts(user) -> bool:
    """Whether ``user`` sees drafts and closed reports not yet sent (bureau staff and administrators)."""
    return may(user, "reports.add_report")


def visible_reports(user) -> QuerySet:
    """The reports ``user`` may read, with the template and the people named selected."""
    reports = Report.objects.select_related("template", "created_by", "reopened_by")
    if not sees_drafts(user):
        reports = reports.filter(status=ReportStatus.SENT)
    return reports


def with_versions(reports: QuerySet) -> QuerySet:
    """``reports`` with their versions (and who closed each) prefetched, in order."""
    versions = ReportVersion.objects.select_related("closed_by", "reopened_by").order_by("number")
    return reports.prefetch_related(Prefetch("versions", queryset=versions))


def version_of(report: Report, number: int | None = None) -> ReportVersion | None:
    """The report's version ``number``, or its latest; ``None`` when it never closed."""
    versions = list(report.versions.all())
    if number is None:
        return versions[-1] if versions else None
    return next((version for version in versions if version.number == number), None)
