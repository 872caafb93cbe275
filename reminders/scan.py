"""The daily scan: every enabled rule of the scan evaluated as of a day, its reminders written once.

``run_scan(today)`` is what the task (``reminders.tasks.daily_reminders``), the command
(``manage.py run_reminders``) and the demo call. The messages are written in the site's language
(Chinese), whatever the language of the process that runs the scan.
"""

import datetime
import logging

from django.conf import settings
from django.utils import translation

from .checks import CHECKS
from .delivery import deliver
from .models import ReminderRule

logger = logging.getLogger(__name__)


def run_scan(today: datetime.date) -> dict[str, dict[str, int]]:
    """Evaluate the enabled rules as of ``today``; per rule kind, the reminders found and inbox lines written."""
    results: dict[str, dict[str, int]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for rule in ReminderRule.objects.filter(enabled=True, kind__in=list(CHECKS)):
            reminders = CHECKS[rule.kind](rule, today)
            results[rule.kind] = {"found": len(reminders), "written": deliver(reminders)}
    logger.info("reminders as of %s: %s", today, results)
    return results
