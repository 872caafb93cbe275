"""Writing many messages into the inboxes at once: the set-based core of ``notify``.

A scan of the reminders may find thousands of stalled projects, each a message to its responsible
official and its chain's chief. Written one at a time, that was several queries per message (the
recipients, the keys already written, the insert, the units' channels). Here a batch costs the queries
of one message, but for chunks of ``BATCH`` ids or keys and the inserts, which the database splits
(SQLite takes about 80 rows per INSERT, PostgreSQL up to ``BATCH``): the active recipients and the
units' members in one query each, the (recipient, key) pairs already written, the rows, and the same
for the units' own copies. ``notify`` is this with one message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from projects.bulk_load import InstanceMaker, insert_objects

from .delivery import create_deliveries
from .models import Channel, Notification, UnitMessage

BATCH = 900  # below SQLite's default limit on the parameters of one statement, with room to spare


@dataclass(frozen=True)
class Message:
    """One message, to people (``users``: users or ids) and to units (``units``: for their active members)."""

    kind: str
    title: str
    body: str = ""
    link: str = ""
    obj: object = None
    key: str = ""
    urgent: bool = False
    users: tuple = ()
    units: tuple = ()


def _ids(items: Iterable) -> set[int]:
    return {getattr(item, "pk", item) for item in items}


def _chunks(values: list, size: int = BATCH):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _recipients(messages: list[Message]) -> list[list[int]]:
    """Each message's active recipients (its users, its units' members), each person once, by id."""
    user_ids = sorted(set().union(*(_ids(m.users) for m in messages)))
    unit_ids = sorted(set().union(*(_ids(m.units) for m in messages)))
    active = get_user_model().objects.filter(is_active=True)
    alive = {pk for chunk in _chunks(user_ids) for pk in active.filter(pk__in=chunk).values_list("pk", flat=True)}
    members: dict[int, set[int]] = {}
    for chunk in _chunks(unit_ids):
        for unit_id, pk in active.filter(units__in=chunk).values_list("units", "pk"):
            members.setdefault(unit_id, set()).add(pk)
    result = []
    for message in messages:
        people = _ids(message.users) & alive
        for unit_id in _ids(message.units):
            people |= members.get(unit_id, set())
        result.append(sorted(people))
    return result


def _written(model, owner: str, keys: set[str]) -> set[tuple[int, str]]:
    """(owner id, key) pairs of ``model`` already written for these keys."""
    found: set[tuple[int, str]] = set()
    for chunk in _chunks(sorted(keys)):
        found |= set(model.objects.filter(key__in=chunk).values_list(f"{owner}_id", "key"))
    return found


def _content_type(obj, cache: dict):
    if obj is None:
        return None, ""
    model = type(obj)
    if model not in cache:
        cache[model] = ContentType.objects.get_for_model(obj)
    return cache[model], str(obj.pk)


def write_messages(messages: Iterable[Message]) -> int:
    """Write each message into its recipients' inboxes (with a key, at most once per person) and, for units with
    channels, a unit's own copy (once per key); queue the urgent ones on the channels. How many inbox lines were new.

    All in one transaction; nothing to write costs no query (a scan that finds nothing new calls this too).
    """
    messages = list(messages)
    return _write(messages) if messages else 0


@transaction.atomic
def _write(messages: list[Message]) -> int:
    recipients = _recipients(messages)
    keys = {message.key for message in messages if message.key}
    done = _written(Notification, "recipient", keys)
    types: dict = {}
    rows, urgent_rows = [], []
    make = InstanceMaker(Notification)  # the instances without Model.__init__: the same attributes
    for message, people in zip(messages, recipients, strict=True):
        content_type, object_id = _content_type(message.obj, types)
        for person in people:
            if message.key and (person, message.key) in done:
                continue
            if message.key:
                done.add((person, message.key))  # the same key twice in one batch is written once
            row = make(
                recipient_id=person,
                kind=message.kind,
                title=message.title[:200],
                body=message.body,
                link=message.link,
                content_type=content_type,
                object_id=object_id,
                key=message.key,
                urgent=message.urgent,
            )
            rows.append(row)
            if message.urgent:
                urgent_rows.append(row)
    # COPY on PostgreSQL (a scan may write 100,000 lines: bulk_create spent most of its time preparing each
    # value in Python), bulk_create elsewhere; the same rows either way (projects.bulk_load).
    insert_objects(rows, batch_size=BATCH, aside=False)
    unit_messages = _unit_messages(messages, keys)
    if urgent_rows:
        channels = _person_channels({row.recipient_id for row in urgent_rows})
        for row in urgent_rows:
            create_deliveries([c for c in channels if c.owner_id == row.recipient_id], notification=row)
    urgent_units = [message for message in unit_messages if message.urgent]
    if urgent_units:
        unit_channels = list(Channel.objects.filter(unit__in={m.unit_id for m in urgent_units}))
        for message in urgent_units:
            create_deliveries([c for c in unit_channels if c.unit_id == message.unit_id], unit_message=message)
    return len(rows)


def _person_channels(people: set[int]) -> list[Channel]:
    channels = []
    for chunk in _chunks(sorted(people)):
        channels += Channel.objects.filter(owner__in=chunk, enabled=True, paused_at__isnull=True).select_related(
            "owner__notification_preference"
        )
    return channels


def _unit_messages(messages: list[Message], keys: set[str]) -> list[UnitMessage]:
    """A unit's own copy for each addressed unit that has a channel (its group robots), once per key."""
    unit_ids = sorted(set().union(*(_ids(m.units) for m in messages)))
    if not unit_ids:
        return []
    with_channels = set()
    for chunk in _chunks(unit_ids):
        with_channels |= set(
            Channel.objects.filter(unit__in=chunk, enabled=True, paused_at__isnull=True).values_list("unit", flat=True)
        )
    done = _written(UnitMessage, "unit", keys) if with_channels else set()
    copies = []
    for message in messages:
        for unit_id in sorted(_ids(message.units) & with_channels):
            if message.key and (unit_id, message.key) in done:
                continue
            if message.key:
                done.add((unit_id, message.key))
            copies.append(
                UnitMessage(
                    unit_id=unit_id,
                    kind=message.kind,
                    title=message.title[:200],
                    body=message.body,
                    link=message.link,
                    key=message.key,
                    urgent=message.urgent,
                )
            )
    return UnitMessage.objects.bulk_create(copies, batch_size=BATCH)
