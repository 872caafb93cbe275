"""Adding and removing a visit's photos: checked, counted under a lock, written with the visit's transaction.

Every upload is checked and re-encoded (``projects.photos``) before anything is written. The visit's
row is locked (``select_for_update``) so two requests cannot both add the fifth photo.

Files and transactions: a file is written to storage inside the transaction (so a storage failure
refuses the save), and ``photo_files_cleanup`` deletes it again if the service it was written in
fails afterwards (its transaction then rolls back: a refused save leaves neither a row nor a file).
``visit_create``/``visit_update`` and ``photos_change`` are wrapped in it, outside their
``atomic``, so a failure at commit is seen too. A rollback by a caller's own, outer transaction
after the service returned is not seen: ``purge_visit_photos`` removes such orphans (files that no
row and no history record names).
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import MAX_PHOTOS_PER_VISIT, InvestmentVisit, VisitPhoto
from ..photos import process_upload

_ledger: ContextVar[list | None] = ContextVar("pinghu_photo_files", default=None)


@contextmanager
def photo_files_cleanup():
    """Delete the photo files written inside the block if the block raises (outermost block only).

    Usable as a decorator; nested blocks leave the cleaning to the outermost, which sees the
    whole transaction's fate.
    """
    if _ledger.get() is not None:
        yield
        return
    written: list = []
    token = _ledger.set(written)
    try:
        yield
    except BaseException:
        for field_file in written:
            field_file.storage.delete(field_file.name)
        raise
    finally:
        _ledger.reset(token)


def check_photo_count(existing: int, adding: int, *, field: str = "photos") -> None:
    """Refuse more than ``MAX_PHOTOS_PER_VISIT`` photos on one visit, saying how many more may be added."""
    if existing + adding > MAX_PHOTOS_PER_VISIT:
        room = max(MAX_PHOTOS_PER_VISIT - existing, 0)
        message = _("Photos: at most %(max)s per visit; this visit has room for %(room)s more.") % {
            "max": MAX_PHOTOS_PER_VISIT,
            "room": room,
        }
        raise ValidationError({field: ValidationError(message, code="too_many_photos")})


@photo_files_cleanup()
@transaction.atomic
def photos_change(
    visit: InvestmentVisit,
    *,
    add: Iterable = (),
    remove: Iterable[int] = (),
    by=None,
    captions: Iterable[str] = (),
    field: str = "photos",
) -> list[VisitPhoto]:
    """Remove the visit's photos with ids in ``remove`` and add the uploads in ``add``; return the new photos.

    The caller checks that ``by`` may change the visit. Removed photos are deleted with a history row
    (their files stay until ``purge_visit_photos``). Raises ``ValidationError`` on ``field`` for a
    bad upload or a sixth photo; nothing is written then.
    """
    uploads = list(add)
    remove = [int(pk) for pk in remove]
    if not uploads and not remove:
        return []
    # The lock: whoever comes second counts the photos the first one added.
    list(InvestmentVisit.objects.select_for_update().filter(pk=visit.pk).values_list("pk", flat=True))
    if remove:
        for photo in VisitPhoto.objects.filter(visit=visit, pk__in=remove):
            photo.delete()
    existing = list(VisitPhoto.objects.filter(visit=visit).values_list("position", flat=True))
    check_photo_count(len(existing), len(uploads), field=field)  # before the costly decoding
    processed = [process_upload(upload, field=field) for upload in uploads]
    captions = list(captions)
    position = max(existing, default=-1) + 1
    added = []
    written = _ledger.get()
    for index, item in enumerate(processed):
        photo = VisitPhoto(
            visit=visit,
            width=item.width,
            height=item.height,
            byte_size=item.byte_size,
            content_type=item.content_type,
            original_name=item.original_name,
            caption=(captions[index] if index < len(captions) else "")[:200],
            position=position + index,
            uploaded_by=by if getattr(by, "pk", None) else None,
        )
        photo.image.save(item.original_name, item.image, save=False)
        written.append(photo.image)
        photo.thumbnail.save(item.original_name, item.thumbnail, save=False)
        written.append(photo.thumbnail)
        photo.full_clean(exclude=["visit", "uploaded_by"])
        photo.save()
        added.append(photo)
    return added


def photo_remove(photo: VisitPhoto, *, by=None) -> None:
    """Remove one photo (the API's DELETE); the caller checks that ``by`` may change its visit."""
    photos_change(photo.visit, remove=[photo.pk], by=by)
