"""Where the admin keeps an upload between its preview and its confirmation, and when it is removed.

django-import-export's ``MediaStorage`` writes the upload to ``STORAGES["import_export"]``
(``PINGHU_IMPORT_DIR``) under ``django-import-export/<32 hex digits>``. Here:

- ``upload_store`` writes it, and when the disk is full (or the write fails otherwise) removes
  what was written and answers with a file that refuses to be read (``ImportRefused``), so the
  upload form shows the reason instead of a 500;
- ``upload_remove`` removes one by its stored name (a name that is not one the storage gave is
  ignored: it comes back in the confirmation form, from the browser);
- ``uploads_purge`` removes those older than some hours: previews that were never confirmed
  (``manage.py purge_import_uploads``, run by the daily job).
"""

from __future__ import annotations

import errno
import re
from datetime import timedelta
from uuid import uuid4

from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.tmp_storages import MediaStorage

from .reading import ImportRefused

STORED_NAME = re.compile(r"[0-9a-f]{32}")
UPLOAD_HOURS = 24


class UnstoredUpload:
    """What ``upload_store`` returns when the upload could not be written: reading it gives the reason."""

    name = None

    def __init__(self, message: str) -> None:
        self.message = message

    def read(self):
        raise ImportRefused(self.message)

    def remove(self) -> None:
        pass


def upload_store(storage_class, data: bytes, **kwargs):
    """Write ``data`` with ``storage_class`` (an import-export tmp storage); an ``UnstoredUpload`` if that fails."""
    storage = storage_class(name=uuid4().hex, **kwargs)
    try:
        storage.save(data)
    except OSError as error:
        try:
            storage.remove()  # what was written before the disk filled up
        except OSError:
            pass
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return UnstoredUpload(
                _(
                    "The server has no room left to keep the uploaded file, so nothing was imported. "
                    "Try again later or tell the administrator."
                )
            )
        return UnstoredUpload(
            _(
                "The server could not keep the uploaded file, so nothing was imported. "
                "Try again later or tell the administrator."
            )
        )
    return storage


def upload_remove(storage_class, name: str | None, **kwargs) -> None:
    """Remove the stored upload ``name`` if there is one (a name not of the storage's making is ignored)."""
    if not name or not STORED_NAME.fullmatch(name):
        return
    try:
        storage_class(name=name, **kwargs).remove()
    except OSError:
        pass  # already gone (confirmed twice, or purged)


def uploads_purge(*, older_than_hours: int = UPLOAD_HOURS) -> int:
    """Remove the stored uploads last written more than ``older_than_hours`` ago; return how many."""
    keeper = MediaStorage()
    storage, folder = keeper._storage, keeper.MEDIA_FOLDER
    if not storage.exists(folder):
        return 0
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    removed = 0
    for name in storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        try:
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
        except OSError:
            continue  # removed meanwhile by its confirmation
    return removed
