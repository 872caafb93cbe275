"""Deletions reach those who poll: a tombstone per deleted object of the models the apps track.

An app calls ``track_deletions(Model)`` in its ``AppConfig.ready()``; from then on every deletion of a
row of that model through the ORM (its service, the admin, a cascade from another model's deletion)
writes a ``Tombstone`` in the deleting transaction, so a rolled-back deletion leaves none. Raw SQL and
the test runner's flush do not go through the ORM and leave none. ``deleted_since`` answers the lists'
``?deleted_since=``: the ids deleted at or after a time, leaving out any that exist again (a restore).
"""

from __future__ import annotations

import datetime

from django.db.models.signals import post_delete
from django.utils import timezone

from .models import Tombstone

# The most ids one answer lists; a consumer asks again from the last one's time for the rest.
DELETED_LIMIT = 10_000


def _label(model) -> str:
    return model._meta.label_lower


def _write_tombstone(sender, instance, using, **kwargs) -> None:
    Tombstone.objects.using(using).create(model=_label(sender), object_id=instance.pk, deleted_at=timezone.now())


def track_deletions(model) -> None:
    """Write a tombstone whenever a row of ``model`` is deleted through the ORM."""
    post_delete.connect(_write_tombstone, sender=model, dispatch_uid=f"pinghu.tombstone.{_label(model)}")


def deleted_since(model, since: datetime.datetime, *, limit: int = DELETED_LIMIT) -> tuple[list[dict], bool]:
    """The objects of ``model`` deleted at or after ``since``, oldest first, and whether more were left out.

    Each as ``{"id": …, "deleted_at": …}``; an id deleted twice (deleted, restored, deleted again) is listed
    at its last deletion; one that exists again is left out.
    """
    rows = (
        Tombstone.objects.filter(model=_label(model), deleted_at__gte=since)
        .exclude(object_id__in=model._default_manager.values("pk"))
        .order_by("deleted_at", "pk")
        .values_list("object_id", "deleted_at")[: limit + 1]
    )
    rows = list(rows)
    latest: dict[int, datetime.datetime] = {}
    for object_id, deleted_at in rows[:limit]:
        latest.pop(object_id, None)
        latest[object_id] = deleted_at
    return [{"id": object_id, "deleted_at": deleted_at} for object_id, deleted_at in latest.items()], len(rows) > limit
