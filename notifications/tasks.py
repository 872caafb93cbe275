"""The app's tasks (django-tasks ``@task``, run by ``manage.py db_worker``): sending a delivery, and the daily jobs.

``deliver_task`` is queued in the transaction that writes its delivery; the daily task is what
``manage.py notifications_daily`` runs (from the deploy guide's timer), and may be queued instead.
"""

from django.conf import settings
from django_tasks import task

from .delivery import deliver, sweep
from .digests import build_digests
from .services import notifications_purge


@task()
def deliver_task(delivery_id: str) -> str:
    """Send one delivery (a no-op if it was sent already: the task may run twice)."""
    return deliver(delivery_id)


def run_daily() -> dict[str, int]:
    """The daily jobs: re-queue what dead workers left, write the digests, delete notifications past retention."""
    return {
        "requeued": sweep(),
        "digests": build_digests(),
        "purged": notifications_purge(days=settings.PINGHU_NOTIFICATION_RETENTION_DAYS),
    }


@task()
def daily_task() -> dict[str, int]:
    return run_daily()
