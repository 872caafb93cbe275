"""Photos of a visit (issue 21): at most five, re-encoded without metadata, each with a thumbnail."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pinghu.models import TimeStampedModel

from .visits import InvestmentVisit

# Said by the service (``projects.services.photos``) under a lock on the visit: a count across rows is no
# check constraint.
MAX_PHOTOS_PER_VISIT = 5
PHOTO_STORAGE_PREFIX = "visit-photos"


def _stored_name(folder: str, filename: str) -> str:
    """``visit-photos/<folder>/2026/12/<uuid>.jpg``: never the user's file name on disk, only our extension."""
    extension = ".png" if filename.lower().endswith(".png") else ".jpg"
    return f"{PHOTO_STORAGE_PREFIX}/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def photo_upload_to(instance, filename: str) -> str:
    return _stored_name("full", filename)


def thumbnail_upload_to(instance, filename: str) -> str:
    return _stored_name("thumbs", filename)


class VisitPhoto(TimeStampedModel):
    """A photo of a visit (a meeting, a site tour, a signing), as the server re-encoded it.

    The files stay in storage when the row is deleted: a deleted visit's photos come back with it
    (``projects.restore``). ``purge_visit_photos`` removes the files of photos deleted long ago.
    """

    visit = models.ForeignKey(InvestmentVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit"))
    image = models.FileField(_("image"), upload_to=photo_upload_to, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_upload_to, max_length=200)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    byte_size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=32)
    original_name = models.CharField(
        _("original file name"), max_length=255, blank=True, help_text=_("Shown and offered on download only.")
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(width__gt=0, height__gt=0, byte_size__gt=0),
                name="projects_visitphoto_dimensions_positive",
                violation_error_message=_("A photo has a width, a height and a size."),
            )
        ]

    def __str__(self) -> str:
        return self.original_name or f"{self.visit} · {self.pk}"

    @property
    def download_name(self) -> str:
        """The name offered on download: the original name with the extension of what is stored."""
        stem = (self.original_name.rsplit(".", 1)[0] if self.original_name else "") or f"photo-{self.pk}"
        return f"{stem}{'.png' if self.content_type == 'image/png' else '.jpg'}"
