"""Writing notifications: ``notify`` puts one message into the inbox of each person and each unit's members."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import Notification


def recipients_of(*, users: Iterable = (), units: Iterable = ()) -> list:
    """The active users among ``users`` and the members of ``units`` (each person once, by id)."""
    user_ids = {getattr(user, "pk", user) for user in users}
    unit_ids = [getattr(unit, "pk", unit) for unit in units]
    active = get_user_model().objects.filter(is_active=True)
    if unit_ids:
        user_ids |= set(active.filter(units__in=unit_ids).values_list("pk", flat=True))
    return list(active.filter(pk__in=user_ids).order_by("pk"))


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
) -> int:
    """Write the message into each recipient's inbox; with a ``key``, at most once per person. How many were new."""
    people = recipients_of(users=users, units=units)
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    if key:
        people = [person for person in people if not Notification.objects.filter(recipient=person, key=key).exists()]
    Notification.objects.bulk_create(
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
            )
            for person in people
        ]
    )
    return len(people)
