"""Domain events: a change announced by the service that made it, inside the transaction that made it.

The apps that change data (projects, aftercare, targets, reports) call ``emit(...)`` from their
services, after the write and before the transaction commits. The apps that react (notifications,
webhooks) connect receivers to ``domain_event`` and write what they need (an inbox line, a delivery
row, a queued task) in the same transaction: an event is never lost once the change is committed,
and never announced for a change that was rolled back. The emitting app knows nothing of who
listens, so the layers keep importing only downward.

Each event carries an id (a UUID), which receivers store with what they write, so a delivery that
is retried or redone after a worker died is recognised as the same event (idempotent delivery).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.dispatch import Signal
from django.utils import timezone

# The event types the services announce (the webhooks' vocabulary, issue 19).
PROJECT_CREATED = "project.created"
PROJECT_UPDATED = "project.updated"
PROJECT_STAGE_CHANGED = "project.stage_changed"
VISIT_CREATED = "visit.created"
VISIT_UPDATED = "visit.updated"
VISIT_DELETED = "visit.deleted"
ISSUE_STATUS_CHANGED = "issue.status_changed"
REPORT_SENT = "report.sent"
TARGET_UPDATED = "target.updated"
EVENT_TYPES = (
    PROJECT_CREATED,
    PROJECT_UPDATED,
    PROJECT_STAGE_CHANGED,
    VISIT_CREATED,
    VISIT_UPDATED,
    VISIT_DELETED,
    ISSUE_STATUS_CHANGED,
    REPORT_SENT,
    TARGET_UPDATED,
)

# Sent with ``event=Event``; receivers take ``(sender, event, **kwargs)``. The sender is the model class.
domain_event = Signal()


@dataclass(frozen=True)
class Event:
    """One change: its type, the object (``None`` once deleted), who made it, and what changed.

    ``object_id`` and ``model`` stay valid after a deletion; ``data`` holds the event's own details
    (a stage change's ``from`` and ``to``, a status change's, the fields an update changed).
    """

    type: str
    model: type
    object_id: int | str
    instance: object | None = None
    actor: object | None = None
    data: dict = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime.datetime = field(default_factory=timezone.now)


def emit(event_type: str, instance, *, actor=None, deleted: bool = False, **data) -> Event:
    """Announce ``event_type`` for ``instance`` to the receivers, in the caller's transaction.

    ``deleted=True`` for an object being deleted: the event keeps its class and id, not the instance.
    A receiver's exception propagates, so the change it concerns rolls back with it.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    event = Event(
        type=event_type,
        model=type(instance),
        object_id=instance.pk,
        instance=None if deleted else instance,
        actor=actor,
        data=data,
    )
    domain_event.send(sender=event.model, event=event)
    return event
