"""A reminder as the rules find it, and its delivery through ``notifications.services.notify``.

Each reminder carries a stable key (``follow_up:12:overdue:2024-06-03:0``): written once per person,
so a scan run twice, or a task retried after its worker died, writes nothing the second time. Before
writing, the keys already written are read in one query per batch, and only reminders someone has not
had yet are handed to ``notify_many``, which writes them together in a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field

from notifications.models import Notification
from notifications.services import notify_many
from notifications.writing import Message

KEY_BATCH = 2000


@dataclass
class Reminder:
    """One message about one object, to people (``users``) and to units (``units``, for their members)."""

    kind: str
    key: str
    title: str
    body: str
    link: str
    obj: object
    users: set[int] = field(default_factory=set)
    units: set[int] = field(default_factory=set)
    # Everyone it reaches (the users and the units' active members): who may still lack it.
    reaches: set[int] = field(default_factory=set)


def _written(keys: list[str]) -> set[tuple[int, str]]:
    """(recipient, key) of what is already in the inboxes, for these keys."""
    found: set[tuple[int, str]] = set()
    for start in range(0, len(keys), KEY_BATCH):
        batch = keys[start : start + KEY_BATCH]
        found |= set(Notification.objects.filter(key__in=batch).values_list("recipient_id", "key"))
    return found


def deliver(reminders: list[Reminder], *, urgent: bool = False) -> int:
    """Write the reminders someone has not had yet; how many inbox lines were written.

    ``urgent`` for what must go out at once on the channels (not in the daily digest).
    """
    written = _written(sorted({reminder.key for reminder in reminders}))
    return notify_many(
        Message(
            kind=reminder.kind,
            title=reminder.title,
            body=reminder.body,
            link=reminder.link,
            obj=reminder.obj,
            key=reminder.key,
            urgent=urgent,
            users=tuple(sorted(reminder.users)),
            units=tuple(sorted(reminder.units)),
        )
        for reminder in reminders
        if reminder.reaches and not all((person, reminder.key) in written for person in reminder.reaches)
    )


def overdue_round(due: datetime.date, today: datetime.date, every: int | None) -> int:
    """Which overdue reminder this is: 0 from the day after the due date, 1 after ``every`` more days, …"""
    late = (today - due).days
    if not every or late < 1:
        return 0
    return (late - 1) // every
