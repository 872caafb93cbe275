"""The delivery task, run by ``manage.py db_worker``: one attempt at one delivery (``webhooks.delivery``)."""

import datetime

from django_tasks import task


@task()
def deliver(delivery_id: int) -> str:
    """Attempt the delivery now (nothing happens if it is not due, is being sent, or is finished)."""
    from .delivery import attempt_delivery

    return attempt_delivery(delivery_id)


def enqueue_delivery(delivery_id: int, *, run_after: datetime.datetime | None = None) -> None:
    """Queue an attempt, in the caller's transaction (the task is a row of the same database)."""
    (deliver.using(run_after=run_after) if run_after is not None else deliver).enqueue(delivery_id)
