"""Demo photos (issue 21): a few dozen generated images on the latest demo visits, not one per visit.

Each is drawn with Pillow from the seed (the same seed gives the same pictures), captioned with the
演示 mark, and goes through the same checks, re-encoding and storage as an upload (``photos_change``),
so the demo shows thumbnails, downloads and the limit of five as they really work.
"""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from .models import VisitPhoto
from .services import photos_change

DEMO_PHOTO_VISITS = 15  # the latest demo visits get 1 to 3 photos each: about 30 in all
SCENES = ("会谈", "参观车间", "签约仪式")


def _picture(rng: random.Random, number: int) -> bytes:
    """A 1200×900 landscape of coloured blocks and a frame number: plainly synthetic, cheap to encode."""
    sky = tuple(rng.randrange(60, 200) for _ in range(3))
    image = Image.new("RGB", (1200, 900), sky)
    draw = ImageDraw.Draw(image)
    for _block in range(6):
        x, y = rng.randrange(0, 1000), rng.randrange(300, 800)
        colour = tuple(rng.randrange(0, 256) for _ in range(3))
        draw.rectangle([x, y, x + rng.randrange(80, 300), 900], fill=colour)
    draw.text((40, 40), f"DEMO {number:03d}", fill=(255, 255, 255), font_size=96)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def demo_photos(visits, *, seed: int) -> int:
    """Give the latest of ``visits`` (demo visits) their photos; return how many were written."""
    rng = random.Random(f"{seed}-photos")
    written = 0
    for visit in visits.order_by("-date", "-pk")[:DEMO_PHOTO_VISITS]:
        count = rng.randint(1, 3)
        uploads, captions = [], []
        for _ in range(count):
            written += 1
            scene = rng.choice(SCENES)
            uploads.append(SimpleUploadedFile(f"demo-{written:03d}.jpg", _picture(rng, written), "image/jpeg"))
            captions.append(f"演示照片：{scene}")
        photos_change(visit, add=uploads, captions=captions)
    return written


def delete_demo_photos(visits) -> None:
    """Remove the photos of demo ``visits`` and their files (a demo's photos are not kept for a restore)."""
    for photo in VisitPhoto.objects.filter(visit__in=visits):
        for stored in (photo.image, photo.thumbnail):
            stored.storage.delete(stored.name)
        photo.delete()
