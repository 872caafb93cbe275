"""The daily digest: each person's unread, non-urgent notifications (and each unit's messages) as one message.

Run once a day (``manage.py notifications_daily``, from the deploy guide's timer). A person or unit gets
at most one digest a day (a second run that day leaves what arrived since for tomorrow's); each line
links to its object with an absolute address (``PINGHU_SITE_URL``); the deliveries wait for the end of
the quiet hours of whoever receives them (``notifications.quiet``). Notifications already read in the
inbox are left out: their reader has seen them.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import clock
from .delivery import absolute, create_deliveries
from .models import Channel, Digest, Notification, UnitMessage

MAX_LINES = 50


def _line(message) -> str:
    link = absolute(message.link)
    return f"• {message.title}" + (f"  {link}" if link else "")


def _text(messages: list, more_link: str) -> str:
    lines = [_line(message) for message in messages[:MAX_LINES]]
    if len(messages) > MAX_LINES:
        lines.append(
            _("… and %(count)d more: %(link)s") % {"count": len(messages) - MAX_LINES, "link": absolute(more_link)}
        )
    return "\n".join(lines)


def _title(count: int, day) -> str:
    return _("Pinghu investment tracker: %(count)d notifications of %(day)s") % {"count": count, "day": day.isoformat()}


@transaction.atomic
def _person_digest(recipient_id: int, day, cutoff) -> Digest | None:
    if Digest.objects.filter(recipient_id=recipient_id, day=day).exists():
        return None
    pending = list(
        Notification.objects.select_for_update()
        .filter(
            recipient_id=recipient_id, urgent=False, digest__isnull=True, read_at__isnull=True, created_at__lt=cutoff
        )
        .order_by("created_at", "pk")
    )
    if not pending:
        return None
    digest = Digest.objects.create(
        recipient_id=recipient_id,
        day=day,
        title=_title(len(pending), day),
        body=_text(pending, reverse("notifications:inbox")),
        lines=len(pending),
    )
    Notification.objects.filter(pk__in=[row.pk for row in pending]).update(digest=digest)
    channels = Channel.objects.filter(owner_id=recipient_id).select_related("owner__notification_preference")
    create_deliveries(list(channels), digest=digest)
    return digest


@transaction.atomic
def _unit_digest(unit_id: int, day, cutoff) -> Digest | None:
    if Digest.objects.filter(unit_id=unit_id, day=day).exists():
        return None
    pending = list(
        UnitMessage.objects.select_for_update()
        .filter(unit_id=unit_id, urgent=False, digest__isnull=True, created_at__lt=cutoff)
        .order_by("created_at", "pk")
    )
    if not pending:
        return None
    digest = Digest.objects.create(
        unit_id=unit_id, day=day, title=_title(len(pending), day), body=_text(pending, ""), lines=len(pending)
    )
    UnitMessage.objects.filter(pk__in=[row.pk for row in pending]).update(digest=digest)
    create_deliveries(list(Channel.objects.filter(unit_id=unit_id)), digest=digest)
    return digest


def build_digests() -> int:
    """Write today's digests (one transaction each) and queue their deliveries; how many digests were written."""
    cutoff = clock.now()
    day = timezone.localdate(cutoff)
    people = (
        Notification.objects.filter(urgent=False, digest__isnull=True, read_at__isnull=True, created_at__lt=cutoff)
        .values_list("recipient", flat=True)
        .distinct()
    )
    units = (
        UnitMessage.objects.filter(urgent=False, digest__isnull=True, created_at__lt=cutoff)
        .values_list("unit", flat=True)
        .distinct()
    )
    written = [_person_digest(recipient_id, day, cutoff) for recipient_id in sorted(set(people))]
    written += [_unit_digest(unit_id, day, cutoff) for unit_id in sorted(set(units))]
    return sum(1 for digest in written if digest is not None)
