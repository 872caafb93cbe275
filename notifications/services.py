"""Writing notifications and the settings around them.

``notify`` puts one message into the inbox of each person and each unit's members; an urgent one is
also queued at once on their channels (and the units' own), the others wait for the daily digest
(``notifications.digests``). Reading marks, channels (encrypted address, test message, pause and
resume) and quiet hours are set here too, for the pages, the API and the admin alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pinghu.history import attributed_to

from . import clock, secrets, sending
from .delivery import create_deliveries, resume_channel
from .models import Channel, Notification, Preference, UnitMessage


def recipients_of(*, users: Iterable = (), units: Iterable = ()) -> list:
    """The active users among ``users`` and the members of ``units`` (each person once, by id)."""
    user_ids = {getattr(user, "pk", user) for user in users}
    unit_ids = [getattr(unit, "pk", unit) for unit in units]
    active = get_user_model().objects.filter(is_active=True)
    if unit_ids:
        user_ids |= set(active.filter(units__in=unit_ids).values_list("pk", flat=True))
    return list(active.filter(pk__in=user_ids).order_by("pk"))


def _person_channels(people: list) -> list[Channel]:
    return list(
        Channel.objects.filter(owner__in=people, enabled=True, paused_at__isnull=True).select_related(
            "owner__notification_preference"
        )
    )


def _unit_messages(units: Iterable, *, kind, title, body, link, key, urgent) -> list[UnitMessage]:
    """A unit's own copy for each addressed unit that has a channel (its group robots), once per key."""
    unit_ids = {getattr(unit, "pk", unit) for unit in units}
    with_channels = set(
        Channel.objects.filter(unit__in=unit_ids, enabled=True, paused_at__isnull=True).values_list("unit", flat=True)
    )
    if key:
        with_channels -= set(UnitMessage.objects.filter(unit__in=with_channels, key=key).values_list("unit", flat=True))
    messages = [
        UnitMessage(unit_id=unit_id, kind=kind, title=title[:200], body=body, link=link, key=key, urgent=urgent)
        for unit_id in sorted(with_channels)
    ]
    return UnitMessage.objects.bulk_create(messages)


@transaction.atomic
def notify(
    *,
    users: Iterable = (),
    units: Iterable = (),
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    obj=None,
    key="",
    urgent: bool = False,
) -> int:
    """Write the message into each recipient's inbox; with a ``key``, at most once per person. How many were new.

    ``urgent``: queue it on the recipients' channels (and the units') now, in this transaction, rather
    than in tomorrow's digest. ``link`` is the page's path; messages that leave the site make it absolute.
    """
    units = list(units)
    people = recipients_of(users=users, units=units)
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    if key:
        done = set(Notification.objects.filter(recipient__in=people, key=key).values_list("recipient", flat=True))
        people = [person for person in people if person.pk not in done]
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                kind=kind,
                title=title[:200],
                body=body,
                link=link,
                content_type=content_type,
                object_id=object_id,
                key=key,
                urgent=urgent,
            )
            for person in people
        ]
    )
    unit_messages = _unit_messages(units, kind=kind, title=title, body=body, link=link, key=key, urgent=urgent)
    if urgent:
        channels = _person_channels(people)
        for row in rows:
            create_deliveries([c for c in channels if c.owner_id == row.recipient_id], notification=row)
        unit_channels = list(Channel.objects.filter(unit__in=[m.unit_id for m in unit_messages]))
        for message in unit_messages:
            create_deliveries([c for c in unit_channels if c.unit_id == message.unit_id], unit_message=message)
    return len(people)


# ---------------------------------------------------------------- the inbox


def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of ``user``'s notifications read (again: no change)."""
    if notification.recipient_id != user.pk:
        raise ValidationError(_("This is not your notification."))
    if notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark all of ``user``'s unread notifications read; how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())


def notifications_purge(*, days: int, now: datetime.datetime | None = None) -> int:
    """Delete notifications (and units' messages) older than ``days``; how many notifications went."""
    cutoff = (now or clock.now()) - datetime.timedelta(days=days)
    UnitMessage.objects.filter(created_at__lt=cutoff).delete()
    _total, by_model = Notification.objects.filter(created_at__lt=cutoff).delete()
    return by_model.get(Notification._meta.label, 0)


# ---------------------------------------------------------------- channels


@transaction.atomic
def channel_save(*, channel: Channel, url: str = "", by=None) -> Channel:
    """Create or change a channel; a new ``url`` is checked, encrypted and masked (empty: keep the stored one)."""
    if url:
        channel.kind = sending.kind_of(url.strip())
        channel.url_encrypted = secrets.encrypt(url.strip())
        channel.url_masked = secrets.mask(url.strip())
    elif not channel.url_encrypted:
        raise ValidationError({"url": _("An address is required.")})
    channel.full_clean(exclude=["url_encrypted", "url_masked"])
    with attributed_to(by, ""):
        channel.save()
    return channel


@transaction.atomic
def channel_delete(*, channel: Channel, by=None) -> None:
    with attributed_to(by, ""):
        channel.delete()


def channel_send_test(*, channel: Channel) -> tuple[bool, str]:
    """Send a test message now (not queued: the person waits for the answer); ``(ok, error)``."""
    return sending.send(
        secrets.decrypt(channel.url_encrypted),
        title=_("Test message from the Pinghu investment tracker"),
        body=_("If you can read this, the channel %(channel)s works.") % {"channel": channel},
    )


def channel_resume(*, channel: Channel, by=None) -> int:
    """Resume a paused channel; its held deliveries are queued now. How many."""
    with attributed_to(by, ""):
        count = resume_channel(channel)
        channel.save(update_fields=["paused_at", "failing_since", "updated_at"])
    return count


def preference_save(*, user, quiet_start: datetime.time | None, quiet_end: datetime.time | None) -> Preference:
    """Set (or clear, with ``None``) a person's quiet hours."""
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(_("Give both ends of the quiet hours, or neither."))
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"quiet_start": quiet_start, "quiet_end": quiet_end}
    )
    return preference
