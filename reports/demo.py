"""Demo reports for ``generate_demo_data``: last month's city report closed and sent, this month's as a draft.

Registered with ``projects.demo_apps`` (in ``ReportsConfig.ready``), so no lower app names this one; it
runs after every other demo row is written (the targets' too: a report holds their progress), for the
months of the demo's end date, and goes through the services like any report. A closed version can never be deleted
(``reports.triggers``), so ``--replace`` keeps earlier demo reports (their frozen figures then show as
drift against the new demo data) and makes only the ones missing.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.demo_apps import DemoGenerator

from .choices import PeriodKind
from .defaults import ensure_city_monthly
from .models import Report
from .services import report_close, report_create, report_send

SENT_TO = "嘉兴市经济和信息化局（演示）"
REFERENCE = "平经信〔演示〕1号"


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def generate_demo_reports(*, seed: int = 0, end: datetime.date | None = None, user=None) -> int:
    """Create the two demo reports of ``end``'s months when missing; return how many were made."""
    template = ensure_city_monthly()
    today = end or timezone.localdate()
    made = 0
    this_month = _month_start(today)
    last_month = _month_start(this_month - datetime.timedelta(days=1))
    existing = set(
        Report.objects.filter(template=template, period_kind=PeriodKind.MONTH).values_list("period_start", flat=True)
    )
    if last_month not in existing:
        report = report_create(template=template, period_kind=PeriodKind.MONTH, period_start=last_month, by=None)
        report_close(report=report, by=None)
        report_send(report=report, sent_to=SENT_TO, reference_number=REFERENCE, by=None)
        made += 1
    if this_month not in existing:
        report_create(template=template, period_kind=PeriodKind.MONTH, period_start=this_month, by=None)
        made += 1
    return made


def delete_demo_reports(*, user=None) -> None:
    """Nothing: closed versions are never deleted, and the demo's drafts are made again only when missing."""


DEMO_REPORTS = DemoGenerator(
    name="reports",
    label=_("%(count)d demo period reports (last month's closed and sent, this month's a draft)."),
    generate=generate_demo_reports,
    delete=delete_demo_reports,
)
