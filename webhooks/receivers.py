"""The receiver of ``pinghu.events.domain_event``: a delivery row and its task for each matching subscription.

Written in the transaction of the change (the service's), so a change rolled back leaves no delivery and
a committed one always has its deliveries. The payload is the object as the API shows it to the
subscription's owner at that moment (``pinghu.api.representations``); an owner who may not read it gets
no delivery. A deleted object's payload is its id.
"""

from pinghu.api.representations import represent, representation_of
from pinghu.events import Event
from pinghu.permissions import may, perm_name

from .delivery import RETRY_WINDOW
from .models import Delivery, Subscription
from .tasks import enqueue_delivery


def _payload(event: Event, owner, cache: dict) -> dict | None:
    if owner.pk not in cache:
        if event.instance is None:
            readable = may(owner, perm_name(event.model, "view"))
            cache[owner.pk] = {"id": event.object_id} if readable else None
        else:
            cache[owner.pk] = represent(event.model, event.object_id, user=owner)
    return cache[owner.pk]


def record_deliveries(sender, event: Event, **kwargs) -> list[Delivery]:
    """Write one delivery per active subscription to ``event.type`` whose owner may read the object."""
    subscriptions = [
        subscription
        for subscription in Subscription.objects.filter(is_active=True).select_related("owner")
        if event.type in subscription.events
    ]
    registered = representation_of(event.model) if subscriptions else None
    if registered is None:
        return []
    cache: dict = {}
    deliveries = []
    for subscription in subscriptions:
        payload = _payload(event, subscription.owner, cache)
        if payload is None or not subscription.owner.is_active:
            continue
        deliveries.append(
            Delivery(
                subscription=subscription,
                event_id=event.id,
                event_type=event.type,
                occurred_at=event.occurred_at,
                resource=registered.resource,
                object_id=str(event.object_id),
                payload=payload,
                details=event.data,
                next_attempt_at=event.occurred_at,
                give_up_at=event.occurred_at + RETRY_WINDOW,
            )
        )
    for delivery in deliveries:
        delivery.save()
        enqueue_delivery(delivery.pk)
    return deliveries
