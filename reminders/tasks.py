"""The daily scan as a task (``django_tasks``): enqueued by the timer of the deployment, run by ``db_worker``.

Re-running it, or running it after a worker died in the middle, writes nothing twice (each reminder's
key is written once per person), so the timer may simply enqueue it every morning.
"""

import datetime

from django.utils import timezone
from django_tasks import task

from .scan import run_scan


@task()
def daily_reminders(today: str | None = None) -> dict[str, dict[str, int]]:
    """Run the scan as of ``today`` (ISO date; the local date when not given); the counts per rule."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return run_scan(day)
