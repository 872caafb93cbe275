"""The daily scan: every enabled rule of the scan evaluated as of a day, its reminders written once.

``run_scan(today)`` is what the task (``reminders.tasks.daily_reminders``), the command
(``manage.py run_reminders``) and the demo call. The messages are written in the site's language
(Chinese), whatever the language of the process that runs the scan.
"""

import datetime
import logging

from django.conf import settings
from django.db import connection
from django.utils import translation

from .checks import CHECKS
from .checks.stalled_sql import write_stalled_project_reminders
from .choices import RuleKind
from .delivery import deliver
from .models import ReminderRule

# Rules whose reminders a bulk load (the demo) has PostgreSQL write in one statement: the same rows.
SET_BASED = {RuleKind.PROJECT_STALLED: write_stalled_project_reminders}

logger = logging.getLogger(__name__)


def run_scan(today: datetime.date, *, set_based: bool = False) -> dict[str, dict[str, int]]:
    """Evaluate the enabled rules as of ``today``; per rule kind, the reminders found and inbox lines written.

    ``set_based`` (a bulk load's scan): on PostgreSQL the rules of ``SET_BASED`` write their rows in one statement
    each, the same rows as their Python path.
    """
    results: dict[str, dict[str, int]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for rule in ReminderRule.objects.filter(enabled=True, kind__in=list(CHECKS)):
            if set_based and connection.vendor == "postgresql" and rule.kind in SET_BASED:
                results[rule.kind] = SET_BASED[rule.kind](rule, today)
                continue
            reminders = CHECKS[rule.kind](rule, today)
            results[rule.kind] = {"found": len(reminders), "written": deliver(reminders)}
    logger.info("reminders as of %s: %s", today, results)
    return results
