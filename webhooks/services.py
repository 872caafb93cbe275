"""Writes of webhooks: subscriptions (created with their secret, edited, deleted), redelivery, recovery.

Admin and API call these; a subscription's owner is fixed at creation. Re-activating a disabled
subscription clears its failure record, so it gets a fresh 24 hours.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pinghu.events import EVENT_TYPES
from pinghu.services import model_update

from .choices import DeliveryStatus
from .delivery import RETRY_WINDOW
from .models import Delivery, Subscription
from .signing import new_secret
from .tasks import enqueue_delivery

EDITABLE_FIELDS = ("url", "events", "description", "is_active")
# A pending delivery untouched this long after it fell due has lost its task (a worker died): queue it again.
RECOVER_AFTER = datetime.timedelta(minutes=5)


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events or []))
    unknown = [name for name in chosen if name not in EVENT_TYPES]
    if unknown:
        raise ValidationError({"events": _("Unknown event types: %(names)s.") % {"names": ", ".join(unknown)}})
    if not chosen:
        raise ValidationError({"events": _("Choose at least one event.")}, code="required")
    return [name for name in EVENT_TYPES if name in chosen]


@transaction.atomic
def subscription_create(
    *, owner: AbstractBaseUser, url: str, events: Iterable[str], description: str = "", is_active: bool = True
) -> tuple[Subscription, str]:
    """A new subscription of ``owner``; returns it and its secret (shown to the owner once, from this answer)."""
    secret = new_secret()
    subscription = Subscription(
        owner=owner,
        url=url,
        events=_clean_events(events),
        description=description,
        is_active=is_active,
        secret=secret,
    )
    subscription.full_clean()
    subscription.save()
    return subscription, secret


@transaction.atomic
def subscription_update(
    *, subscription: Subscription, data: Mapping[str, Any], expected_version: str | None
) -> Subscription:
    """Change the URL, events, description or active flag; activating clears the failure record."""
    values = dict(data)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "events" in values:
        values["events"] = _clean_events(values["events"])
    if values.get("is_active") and not subscription.is_active:
        values |= {"failing_since": None, "disabled_at": None}
    return model_update(Subscription, subscription.pk, data=values, expected_version=expected_version)


@transaction.atomic
def subscription_delete(subscription: Subscription) -> None:
    """Delete a subscription with its delivery log (its history keeps what it was)."""
    subscription.delete()


@transaction.atomic
def delivery_redeliver(delivery: Delivery, *, now: datetime.datetime | None = None) -> Delivery:
    """Send a delivery again, whatever its state: the same event id, retried for another 24 hours.

    Refused while a worker is sending it, and for a disabled subscription (activate it first).
    """
    now = now or timezone.now()
    current = Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
    if not current.subscription.is_active:
        raise ValidationError(_("The subscription is disabled: activate it before redelivering."), code="inactive")
    if current.locked_until is not None and current.locked_until > now:
        raise ValidationError(_("This delivery is being sent right now."), code="in_flight")
    current.status = DeliveryStatus.PENDING
    current.next_attempt_at = now
    current.give_up_at = now + RETRY_WINDOW
    current.locked_until = None
    current.delivered_at = None
    current.save(update_fields=["status", "next_attempt_at", "give_up_at", "locked_until", "delivered_at"])
    enqueue_delivery(current.pk)
    return current


@transaction.atomic
def deliveries_recover(*, now: datetime.datetime | None = None) -> int:
    """Queue a task again for each pending delivery whose task was lost (its worker died); returns how many.

    A pending delivery past due by ``RECOVER_AFTER`` and not claimed by a live worker: its task was
    claimed by a worker that died (the task stays "running" in the queue), or its claim expired. A
    second task for a delivery that is in fact still queued is harmless: only one claim wins.
    """
    now = now or timezone.now()
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - RECOVER_AFTER).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    )
    ids = list(due.values_list("pk", flat=True))
    for delivery_id in ids:
        enqueue_delivery(delivery_id)
    return len(ids)
