"""Writing notifications and the settings around them.

``notify`` puts one message into the inbox of each person and each unit's members; an urgent one is
also queued at once on their channels (and the units' own), the others wait for the daily digest
(``notifications.digests``). Reading marks, channels (encrypted address, test message, pause and
resume) and quiet hours are set here too, for the pages, the API and the admin alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pinghu.history import attributed_to

from . import clock, secrets, sending
from .delivery import resume_channel
from .models import Channel, Notification, Preference, UnitMessage
from .writing import Message, write_messages


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

    The recipients are the active ones among ``users`` and the active members of ``units``, each once.
    ``urgent``: queue it on the recipients' channels (and the units') now, in this transaction, rather
    than in tomorrow's digest. ``link`` is the page's path; messages that leave the site make it absolute.
    Many messages at once: ``notify_many`` (the same rules, a fixed number of queries).
    """
    message = Message(kind, title, body, link, obj, key, urgent, users=tuple(users), units=tuple(units))
    return write_messages([message])


def notify_many(messages: Iterable[Message]) -> int:
    """Write many messages (``notifications.writing.Message``) as ``notify`` writes one; how many inbox lines."""
    return write_messages(messages)


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
