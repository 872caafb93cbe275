"""One attempt at a delivery: claim it, POST the signed event, record the outcome, schedule a retry or give up.

Exactly one worker sends a delivery at a time, and a delivered one is never sent again: the attempt first
claims the row with a conditional update (still pending, due, and not claimed by a live worker), which
only one of several workers (or of a task and its re-run) can win, and records the outcome only if its
claim still holds. A worker killed after the claim leaves the row claimed until ``LEASE`` passes; the
next run of its task (``manage.py webhooks_recover`` enqueues one for such rows) claims it again and
sends it again: at least once, the event id the same, which the receiver keeps to ignore a repeat.

Network errors, 408, 429 and 5xx are retried with exponential backoff (``backoff``) until the delivery's
``give_up_at`` (24 hours after the event); other answers (3xx, 4xx) fail at once. A subscription whose
deliveries have failed for ``DISABLE_AFTER`` without a success between is disabled and its owner told.
"""

from __future__ import annotations

import datetime
import json
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext

import requests
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import DeliveryStatus
from .models import Delivery, Subscription
from .signing import signed_headers

CONNECT_TIMEOUT = 5  # seconds
READ_TIMEOUT = 10
LEASE = datetime.timedelta(seconds=60)  # longer than an attempt can take (the timeouts, and the recording)
RETRY_WINDOW = datetime.timedelta(hours=24)
DISABLE_AFTER = datetime.timedelta(hours=24)
BACKOFF_FIRST = datetime.timedelta(seconds=30)
BACKOFF_MAX = datetime.timedelta(hours=2)
RETRIED_STATUSES = {408, 429}
ERROR_LENGTH = 500

_local = threading.local()


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min, … doubling, at most 2 hours."""
    return min(BACKOFF_FIRST * 2 ** (max(attempts, 1) - 1), BACKOFF_MAX)


def is_retried(status_code: int | None) -> bool:
    """A network error (no status), a timeout or rate limit (408, 429), or a server error (5xx)."""
    return status_code is None or status_code in RETRIED_STATUSES or status_code >= 500


def body_of(delivery: Delivery) -> bytes:
    """The JSON the receiver gets: the event's id, type and time, the object's resource, the object, the details."""
    return json.dumps(
        {
            "id": str(delivery.event_id),
            "type": delivery.event_type,
            "time": delivery.occurred_at.isoformat(),
            "resource": delivery.resource,
            "data": delivery.payload,
            "details": delivery.details,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def http_post(url: str, *, data: bytes, headers: dict, timeout) -> requests.Response:
    """POST with one keep-alive session per thread; redirects are not followed (a 3xx is a failure)."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session.post(url, data=data, headers=headers, timeout=timeout, allow_redirects=False)


def attempt_delivery(
    delivery_id: int, *, clock: Callable[[], datetime.datetime] = timezone.now, post: Callable = http_post
) -> str:
    """Try to deliver once if the delivery is due and unclaimed; returns what happened (for the task's result)."""
    now = clock()
    lease = now + LEASE
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=lease, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    if not claimed:
        return "not due, claimed elsewhere or finished"
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.is_active:
        _record(delivery, lease, status=DeliveryStatus.FAILED, error=_("The subscription is disabled."))
        return "subscription disabled"
    body = body_of(delivery)
    timestamp = str(int(now.timestamp()))
    headers = signed_headers(
        secret=subscription.secret,
        timestamp=timestamp,
        body=body,
        event_id=str(delivery.event_id),
        event_type=delivery.event_type,
    )
    started = time.monotonic()
    try:
        response = post(subscription.url, data=body, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT))
        code, error = response.status_code, ""
        if not 200 <= code < 300:
            error = f"HTTP {code}: {response.text[:200]}"
    except requests.RequestException as exc:
        code, error = None, f"{type(exc).__name__}: {exc}"
    duration_ms = int((time.monotonic() - started) * 1000)
    done = clock()
    if code is not None and 200 <= code < 300:
        _record(delivery, lease, status=DeliveryStatus.SUCCEEDED, code=code, duration_ms=duration_ms, delivered=done)
        if subscription.failing_since is not None:
            Subscription.objects.filter(pk=subscription.pk).update(failing_since=None)
        return "delivered"
    # The last retry falls on the deadline itself, so a receiver down all along fails for the full 24 hours.
    retry_at = min(done + backoff(delivery.attempts), delivery.give_up_at)
    retried = is_retried(code) and done < delivery.give_up_at
    status = DeliveryStatus.PENDING if retried else DeliveryStatus.FAILED
    recorded = _record(
        delivery, lease, status=status, code=code, duration_ms=duration_ms, error=error, retry_at=retry_at
    )
    if recorded:
        _note_failure(subscription, done)
    return f"retry at {retry_at.isoformat()}" if retried else "failed"


def _record(
    delivery: Delivery,
    lease: datetime.datetime,
    *,
    status: str,
    code: int | None = None,
    duration_ms: int | None = None,
    error: str = "",
    delivered: datetime.datetime | None = None,
    retry_at: datetime.datetime | None = None,
) -> bool:
    """Write the attempt's outcome if this attempt's claim still holds; a retry's task is enqueued with it."""
    from .tasks import enqueue_delivery

    values = {
        "status": status,
        "response_code": code,
        "duration_ms": duration_ms,
        "last_error": str(error)[:ERROR_LENGTH],
        "locked_until": None,
    }
    if delivered is not None:
        values["delivered_at"] = delivered
    if status == DeliveryStatus.PENDING:
        values["next_attempt_at"] = retry_at
    # One statement when nothing else is written (a success, a failure); with the retry's task, one transaction.
    with transaction.atomic() if status == DeliveryStatus.PENDING else nullcontext():
        recorded = bool(Delivery.objects.filter(pk=delivery.pk, locked_until=lease).update(**values))
        if recorded and status == DeliveryStatus.PENDING:
            enqueue_delivery(delivery.pk, run_after=retry_at)
    return recorded


def _note_failure(subscription: Subscription, now: datetime.datetime) -> None:
    """Remember when the subscription started failing; after ``DISABLE_AFTER`` of failures, disable it."""
    from notifications.services import notify

    Subscription.objects.filter(pk=subscription.pk, failing_since__isnull=True).update(failing_since=now)
    with transaction.atomic():
        current = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if not current.is_active or current.failing_since is None or now - current.failing_since < DISABLE_AFTER:
            return
        current.is_active = False
        current.disabled_at = now
        current.save(update_fields=["is_active", "disabled_at", "updated_at"])
        notify(
            users=[current.owner_id],
            kind="webhook_disabled",
            title=_("Webhook disabled: %(url)s") % {"url": current.url},
            body=_(
                "Deliveries to this URL have failed for 24 hours, so it receives no more events. "
                "Fix the receiver, then activate the subscription again and redeliver what it missed."
            ),
            obj=current,
            key=f"webhook_disabled:{current.pk}:{now:%Y%m%d%H%M%S}",
        )
