"""Checking and re-encoding an uploaded visit photo with Pillow (issue 21).

An upload is judged by its content, never by its name or the browser's content type: Pillow must
recognise it as JPEG, PNG or WebP and decode it whole. Before decoding, the declared pixel count is
checked (a small file can claim a huge image: a decompression bomb). The image is turned upright by
its EXIF orientation and re-encoded from its pixels alone, which drops EXIF (GPS included), XMP,
ICC and comments; it is scaled down to ``LONG_SIDE`` and a ``THUMB_SIDE`` thumbnail is made. Nothing
here writes to storage: the service (``projects.services.photos``) does, inside the visit's transaction.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 40 megapixels: every phone camera in use, well under what would exhaust a worker's memory once decoded.
MAX_PIXELS = 40_000_000
LONG_SIDE = 1600
THUMB_SIDE = 320
JPEG_QUALITY = 85
FORMATS = ("JPEG", "PNG", "WEBP")


@dataclass
class ProcessedPhoto:
    """A checked, re-encoded photo ready to be stored."""

    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    content_type: str
    original_name: str

    @property
    def byte_size(self) -> int:
        return self.image.size


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _open(upload, field: str, name: str) -> Image.Image:
    """Open and fully decode ``upload``, refusing anything but a sound JPEG, PNG or WebP of sane dimensions."""
    with warnings.catch_warnings():
        # Pillow warns above its own limit and raises at twice it; either is a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            upload.seek(0)
            image = Image.open(upload, formats=FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError(f"{image.width}x{image.height}")
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _refuse(
                field,
                _("Photos: %(name)s has too many pixels (at most %(limit)s million).")
                % {"name": name, "limit": MAX_PIXELS // 1_000_000},
                "too_many_pixels",
            ) from error
        except UnidentifiedImageError as error:
            raise _refuse(
                field,
                _("Photos: %(name)s is not a JPEG, PNG or WebP image (judged by its content, not its name).")
                % {"name": name},
                "not_an_image",
            ) from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise _refuse(
                field,
                _("Photos: %(name)s is damaged and cannot be read as an image.") % {"name": name},
                "corrupt_image",
            ) from error
    return image


def _encode(image: Image.Image, *, alpha: bool) -> ContentFile:
    buffer = io.BytesIO()
    if alpha:
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def process_upload(upload, *, field: str = "photos") -> ProcessedPhoto:
    """Check ``upload`` (a Django ``UploadedFile``) and return it re-encoded, upright, scaled and stripped.

    Raises ``ValidationError`` on ``field`` naming the file and the rule it breaks: over
    ``MAX_UPLOAD_BYTES``, not JPEG/PNG/WebP by content, over ``MAX_PIXELS``, or damaged.
    """
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255]
    if upload.size > MAX_UPLOAD_BYTES:
        raise _refuse(
            field,
            _("Photos: %(name)s is larger than %(limit)s MB.") % {"name": name, "limit": MAX_UPLOAD_BYTES // 2**20},
            "too_large",
        )
    image = _open(upload, field, name)
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError):
        pass  # unreadable EXIF: the pixels are kept as they are, and the EXIF goes below anyway
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    # Only the pixels go on: a new image carries no EXIF, GPS, XMP, ICC or comment from the upload.
    image = image.convert("RGBA" if alpha else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    thumb = clean.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    if alpha:  # thumbnails are small JPEGs: transparency shows as white
        backdrop = Image.new("RGB", thumb.size, "white")
        backdrop.paste(thumb, mask=thumb.getchannel("A"))
        thumb = backdrop
    return ProcessedPhoto(
        image=_encode(clean, alpha=alpha),
        thumbnail=_encode(thumb, alpha=False),
        width=clean.width,
        height=clean.height,
        content_type="image/png" if alpha else "image/jpeg",
        original_name=name,
    )
