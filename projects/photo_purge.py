"""When the files of deleted photos leave storage (``manage.py purge_visit_photos``).

A photo's files are kept when its row is deleted (with its visit, or removed from it), so that a
restore of the visit brings the photo back whole. They are purged once the deletion is older than
``PINGHU_PHOTO_RETENTION_DAYS`` (365 by default) and the row has not come back; a restore after that
brings back the row without its picture (the photo view answers 404). Files that no row and no
history record names (left by a transaction rolled back after they were written) are purged a day
after they were written.
"""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import VisitPhoto
from .models.photos import PHOTO_STORAGE_PREFIX

ORPHAN_GRACE = datetime.timedelta(days=1)


def _walk(storage, folder: str):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def purge_visit_photos(*, days: int | None = None, now: datetime.datetime | None = None) -> int:
    """Delete the files of photos deleted more than ``days`` ago and of orphans; return how many files went."""
    days = settings.PINGHU_PHOTO_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    history = VisitPhoto.history.model
    newest = history.objects.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    expired = (
        history.objects.filter(history_type="-", history_date__lt=now - datetime.timedelta(days=days))
        .annotate(newest=Subquery(newest.values("history_id")[:1]))
        .exclude(id__in=VisitPhoto.objects.values("id"))
    )
    live_names = set()
    for image, thumbnail in VisitPhoto.objects.values_list("image", "thumbnail"):
        live_names.update((image, thumbnail))
    doomed = set()
    for record in expired:
        if record.history_id == record.newest:  # deleted and still deleted
            doomed.update(name for name in (record.image, record.thumbnail) if name and name not in live_names)
    known = set(live_names)
    for image, thumbnail in history.objects.values_list("image", "thumbnail"):
        known.update((image, thumbnail))
    storage = default_storage
    try:
        stored = list(_walk(storage, PHOTO_STORAGE_PREFIX))
    except FileNotFoundError:
        stored = []
    for name in stored:
        if name not in known and storage.get_modified_time(name) < now - ORPHAN_GRACE:
            doomed.add(name)
    removed = 0
    for name in sorted(doomed):
        if storage.exists(name):
            storage.delete(name)
            removed += 1
    return removed
