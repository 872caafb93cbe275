"""Deliveries: writing them with what they carry, sending them once, retrying with backoff, pausing a failing channel.

A delivery row is written in the transaction of its message, with a queued task (``tasks.deliver_task``)
in the same transaction. Sending a delivery (``deliver``) claims it first (status *sending*, committed),
sends, then records the outcome: a task run twice finds it sent and does nothing; a worker killed after
the claim leaves it *sending*, and ``sweep`` queues it again once the lease has passed (the same
delivery id goes out, so a JSON receiver recognises the repeat). Failures wait
``PINGHU_DELIVERY_RETRY_SECONDS`` doubling up to ``PINGHU_DELIVERY_RETRY_MAX_SECONDS``; a channel
failing for ``PINGHU_CHANNEL_PAUSE_AFTER_DAYS`` is paused (its deliveries held) and its owner told in-app.
Quiet hours hold a delivery until they end.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from . import clock, quiet, secrets, sending
from .choices import DeliveryStatus
from .models import Channel, Delivery

logger = logging.getLogger("pinghu.notifications")
DONE = {DeliveryStatus.SENT, DeliveryStatus.CANCELLED}


def absolute(link: str) -> str:
    """A page of the site as a full address (``PINGHU_SITE_URL``), for messages read outside it."""
    if not link or "://" in link:
        return link
    return settings.PINGHU_SITE_URL + (link if link.startswith("/") else "/" + link)


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failure: the first wait doubling, up to the longest."""
    seconds = settings.PINGHU_DELIVERY_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.PINGHU_DELIVERY_RETRY_MAX_SECONDS))


def _recent(moment: datetime.datetime | None, now: datetime.datetime) -> bool:
    return moment is not None and now - moment < datetime.timedelta(minutes=1)


def channel_hours(channel: Channel):
    return quiet.hours_of(channel.owner) if channel.owner_id else quiet.site_hours()


def enqueue(delivery: Delivery) -> None:
    """Queue the task that sends ``delivery``, at its next attempt (in the caller's transaction)."""
    from .tasks import deliver_task

    task = deliver_task
    if delivery.next_attempt_at > clock.now():
        task = deliver_task.using(run_after=delivery.next_attempt_at)
    task.enqueue(str(delivery.pk))


def create_deliveries(channels, **message) -> list[Delivery]:
    """A delivery of ``message`` (``notification=``, ``unit_message=`` or ``digest=``) on each channel, queued."""
    now = clock.now()
    rows = [
        Delivery(channel=channel, next_attempt_at=quiet.release_time(now, channel_hours(channel)), **message)
        for channel in channels
        if channel.active
    ]
    Delivery.objects.bulk_create(rows)
    for row in rows:
        enqueue(row)
    return rows


def content(delivery: Delivery) -> tuple[str, str]:
    """The title and text that go out."""
    if delivery.digest_id:
        return delivery.digest.title, delivery.digest.body
    message = delivery.notification or delivery.unit_message
    text = "\n".join(part for part in [message.body, absolute(message.link)] if part)
    return message.title, text or message.title


def _claim(delivery_id: str, now: datetime.datetime) -> tuple[Delivery | None, str]:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("channel__owner__notification_preference", "notification", "unit_message", "digest")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in DONE:
            return None, delivery.status if delivery else "gone"
        lease = datetime.timedelta(seconds=settings.PINGHU_DELIVERY_LEASE_SECONDS)
        if delivery.status == DeliveryStatus.SENDING and delivery.claimed_at and delivery.claimed_at > now - lease:
            return None, "busy"  # another worker is sending it
        if delivery.status == DeliveryStatus.HELD or not delivery.channel.active:
            delivery.status = DeliveryStatus.HELD
            delivery.save(update_fields=["status", "updated_at"])
            return None, DeliveryStatus.HELD
        if delivery.next_attempt_at > now:
            return None, "early"  # a later task is queued for it
        release = quiet.release_time(now, channel_hours(delivery.channel))
        if release > now:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, release
            delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
            enqueue(delivery)
            return None, "quiet"
        delivery.status, delivery.claimed_at = DeliveryStatus.SENDING, now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts", "updated_at"])
    return delivery, DeliveryStatus.SENDING


def deliver(delivery_id: str) -> str:
    """Send one delivery if it is due and not sent; returns what happened (a status or a reason to skip)."""
    delivery, state = _claim(delivery_id, clock.now())
    if delivery is None:
        return state
    title, body = content(delivery)
    ok, error = sending.send(
        secrets.decrypt(delivery.channel.url_encrypted), title=title, body=body, delivery_id=str(delivery.pk)
    )
    return record_outcome(delivery, ok=ok, error=error)


def record_outcome(delivery: Delivery, *, ok: bool, error: str = "") -> str:
    """After sending: sent, or a retry queued with backoff (or the channel paused after failing long enough)."""
    if not ok:
        return _record_failure(delivery.pk, error)
    now = clock.now()
    channel = delivery.channel  # as read when the delivery was claimed
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=now, last_error="", updated_at=now
        )
        # A healthy channel's row is written at most once a minute (a busy channel is not a hot row).
        if channel.failing_since or channel.last_error or not _recent(channel.last_success_at, now):
            Channel.objects.filter(pk=channel.pk).update(failing_since=None, last_success_at=now, last_error="")
    return DeliveryStatus.SENT


@transaction.atomic
def _record_failure(delivery_id, error: str) -> str:
    now = clock.now()
    delivery = Delivery.objects.select_for_update(of=("self",)).get(pk=delivery_id)
    channel = Channel.objects.select_for_update().get(pk=delivery.channel_id)
    logger.warning(
        "delivery %s on channel %s failed (attempt %s): %s", delivery.pk, channel.pk, delivery.attempts, error
    )
    delivery.last_error = error
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
    failing_since = channel.failing_since or now
    Channel.objects.filter(pk=channel.pk).update(failing_since=failing_since, last_error=error)
    if now - failing_since >= datetime.timedelta(days=settings.PINGHU_CHANNEL_PAUSE_AFTER_DAYS):
        channel.failing_since = failing_since
        pause_channel(channel, now=now, error=error)
        return DeliveryStatus.HELD
    enqueue(delivery)
    return DeliveryStatus.PENDING


def pause_channel(channel: Channel, *, now: datetime.datetime, error: str) -> None:
    """Pause a channel that kept failing, hold its deliveries, and tell its owner (bureau staff for a unit's)."""
    from pinghu.permissions import Role

    from .services import notify

    Channel.objects.filter(pk=channel.pk).update(paused_at=now)
    Delivery.objects.filter(channel=channel, status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]).update(
        status=DeliveryStatus.HELD
    )
    logger.error("channel %s paused after failing since %s: %s", channel.pk, channel.failing_since, error)
    if channel.owner_id:
        users = [channel.owner_id]
    else:
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(groups__name=Role.BUREAU_STAFF, is_active=True)
    notify(
        users=users,
        kind="channel_paused",
        title=_("Channel paused: %(channel)s") % {"channel": channel},
        body=_("It has failed since %(since)s and is paused. Last error: %(error)s")
        % {"since": channel.failing_since.strftime("%Y-%m-%d %H:%M"), "error": error[:300]},
        link=reverse("notifications:channel-list"),
        key=f"channel_paused:{channel.pk}:{now:%Y%m%d%H%M}",
    )


@transaction.atomic
def resume_channel(channel: Channel) -> int:
    """Send through a paused channel again: its held deliveries are queued now. How many."""
    now = clock.now()
    Channel.objects.filter(pk=channel.pk).update(paused_at=None, failing_since=None)
    channel.paused_at = channel.failing_since = None
    held = list(Delivery.objects.filter(channel=channel, status=DeliveryStatus.HELD))
    for delivery in held:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, now
        delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
        enqueue(delivery)
    return len(held)


def sweep() -> int:
    """Queue again what a dead worker or a lost task left behind: overdue waits and stale claims. How many."""
    now = clock.now()
    lease = datetime.timedelta(seconds=settings.PINGHU_DELIVERY_LEASE_SECONDS)
    count = 0
    with transaction.atomic():
        stale = Delivery.objects.select_for_update(skip_locked=True).filter(
            status=DeliveryStatus.SENDING, claimed_at__lte=now - lease
        )
        overdue = Delivery.objects.select_for_update(skip_locked=True).filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now - lease
        )
        for delivery in [*stale, *overdue]:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, min(delivery.next_attempt_at, now)
            delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
            enqueue(delivery)
            count += 1
    return count
