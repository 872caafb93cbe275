"""Visit photos: checked by content, stripped, scaled, counted, stored with the visit's transaction."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from pinghu import events
from projects import photos as photo_checks
from projects.models import InvestmentVisit, VisitPhoto
from projects.restore import visit_restore
from projects.services import photos_change, visit_create, visit_delete, visit_update
from tests.factories import EnterpriseFactory, LeaderFactory, unit_named
from tests.projects.photo_files import image_bytes, jpeg_with_gps, png_claiming, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def stored_files(media) -> list:
    return sorted(path for path in media.rglob("*") if path.is_file())


def new_visit(photos=(), **fields) -> InvestmentVisit:
    visit = InvestmentVisit(
        date=datetime.date(2024, 3, 2), host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访"
    )
    for name, value in fields.items():
        setattr(visit, name, value)
    return visit_create(visit=visit, leaders=[LeaderFactory()], by=None, photos=photos)


def refusal(error: ValidationError) -> tuple[str, str]:
    (field, errors), *_rest = error.error_dict.items()
    return field, errors[0].code


# --- checks by content ---------------------------------------------------------------------------


def test_text_named_jpg_is_refused_by_its_content():
    with pytest.raises(ValidationError) as caught:
        photo_checks.process_upload(upload(b"not an image at all" * 10, "meeting.jpg"))
    assert refusal(caught.value) == ("photos", "not_an_image")
    assert "照片" in caught.value.messages[0] and "meeting.jpg" in caught.value.messages[0]


def test_gif_with_a_jpeg_name_and_type_is_refused():
    with pytest.raises(ValidationError) as caught:
        photo_checks.process_upload(upload(image_bytes(fmt="GIF", mode="P", color=1), "x.jpg"))
    assert refusal(caught.value)[1] == "not_an_image"


def test_decompression_bomb_is_refused_before_decoding():
    bomb = png_claiming(30_000, 30_000)
    assert len(bomb) < 100
    with pytest.raises(ValidationError) as caught:
        photo_checks.process_upload(upload(bomb, "bomb.png", "image/png"))
    assert refusal(caught.value)[1] == "too_many_pixels"


def test_just_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(photo_checks, "MAX_PIXELS", 100 * 100)
    with pytest.raises(ValidationError) as caught:
        photo_checks.process_upload(upload(image_bytes((101, 100))))
    assert refusal(caught.value)[1] == "too_many_pixels"


def test_a_damaged_jpeg_is_refused():
    data = image_bytes((400, 300))
    with pytest.raises(ValidationError) as caught:
        photo_checks.process_upload(upload(data[: len(data) // 2]))
    assert refusal(caught.value)[1] == "corrupt_image"


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(photo_checks, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(ValidationError) as caught:
        photo_checks.process_upload(upload(b"\xff" * 1001))
    assert refusal(caught.value)[1] == "too_large"


# --- processing ----------------------------------------------------------------------------------


def test_exif_and_gps_are_stripped_after_turning_the_photo_upright():
    original = Image.open(io.BytesIO(jpeg_with_gps((40, 20), orientation=6)))
    assert original.getexif().get_ifd(0x8825)  # the fixture really carries a GPS position
    processed = photo_checks.process_upload(upload(jpeg_with_gps((40, 20), orientation=6)))
    stored = Image.open(io.BytesIO(processed.image.read()))
    assert (stored.width, stored.height) == (20, 40)  # orientation 6: turned a quarter
    assert not stored.getexif() and "exif" not in stored.info
    assert b"PhoneMaker" not in processed.image.open().read()


def test_large_images_are_scaled_to_1600_and_get_a_320_thumbnail():
    processed = photo_checks.process_upload(upload(image_bytes((4000, 3000)), "big.jpg"))
    assert (processed.width, processed.height) == (1600, 1200)
    thumb = Image.open(io.BytesIO(processed.thumbnail.read()))
    assert (thumb.format, thumb.size) == ("JPEG", (320, 240))


def test_webp_is_accepted_and_stored_as_jpeg_a_transparent_png_as_png():
    webp = photo_checks.process_upload(upload(image_bytes((50, 50), "WEBP"), "a.webp", "image/webp"))
    assert webp.content_type == "image/jpeg"
    png = photo_checks.process_upload(upload(image_bytes((50, 50), "PNG", (1, 2, 3, 0), "RGBA"), "b.png"))
    assert png.content_type == "image/png"


# --- the service ---------------------------------------------------------------------------------


def test_a_visit_keeps_its_photos_with_sizes_and_names_never_on_disk(media):
    visit = new_visit([upload(image_bytes((2000, 1000)), "现场 照片.JPG")])
    photo = visit.photos.get()
    assert (photo.width, photo.height, photo.original_name) == (1600, 800, "现场 照片.JPG")
    assert photo.byte_size == photo.image.size and photo.content_type == "image/jpeg"
    assert photo.image.name.startswith("visit-photos/full/") and "现场" not in photo.image.name
    assert photo.thumbnail.name.startswith("visit-photos/thumbs/")
    assert len(stored_files(media)) == 2
    assert photo.download_name == "现场 照片.jpg"


def test_a_sixth_photo_is_refused_and_nothing_is_written(media):
    visit = new_visit([upload(image_bytes()) for _ in range(5)])
    before = stored_files(media)
    with pytest.raises(ValidationError) as caught:
        photos_change(visit, add=[upload(image_bytes())])
    assert refusal(caught.value)[1] == "too_many_photos"
    assert "5" in caught.value.messages[0]
    assert visit.photos.count() == 5 and stored_files(media) == before


def test_six_on_a_new_visit_leave_no_visit(media):
    with pytest.raises(ValidationError):
        new_visit([upload(image_bytes()) for _ in range(6)])
    assert not InvestmentVisit.objects.exists() and stored_files(media) == []


def test_a_refused_save_after_the_files_were_written_leaves_no_file(media):
    def refuse(sender, event, **kwargs):
        if event.type == events.VISIT_CREATED:
            raise ValidationError("拒绝")

    events.domain_event.connect(refuse)
    try:
        with pytest.raises(ValidationError):
            new_visit([upload(image_bytes()), upload(image_bytes())])
    finally:
        events.domain_event.disconnect(refuse)
    assert not InvestmentVisit.objects.exists() and not VisitPhoto.objects.exists()
    assert stored_files(media) == []


def test_an_edit_removes_and_adds_within_the_limit(media):
    visit = new_visit([upload(image_bytes()) for _ in range(5)])
    first, second = visit.photos.all()[:2]
    visit_update(
        visit=visit,
        leaders=list(visit.leaders.all()),
        chains=[],
        projects=[],
        photos=[upload(image_bytes()), upload(image_bytes())],
        remove_photos=[first.pk, second.pk],
    )
    assert visit.photos.count() == 5
    assert not VisitPhoto.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_deleted_with_the_visit_and_restored_with_it(media):
    visit = new_visit([upload(image_bytes()), upload(image_bytes((30, 60)))])
    names = sorted(visit.photos.values_list("image", flat=True))
    pk = visit.pk
    visit_delete(visit)
    assert not VisitPhoto.objects.exists()
    assert len(stored_files(media)) == 4  # the files wait for a restore
    visit_restore(InvestmentVisit.history.filter(id=pk).latest("history_date"))
    restored = InvestmentVisit.objects.get(pk=pk)
    assert sorted(restored.photos.values_list("image", flat=True)) == names
    assert all(photo.image.storage.exists(photo.image.name) for photo in restored.photos.all())


def test_a_photo_removed_before_the_deletion_stays_removed(media):
    visit = new_visit([upload(image_bytes()), upload(image_bytes())])
    first = visit.photos.first()
    photos_change(visit, remove=[first.pk])
    pk = visit.pk
    visit_delete(visit)
    visit_restore(InvestmentVisit.history.filter(id=pk).latest("history_date"))
    assert list(VisitPhoto.objects.filter(visit_id=pk).values_list("pk", flat=True)) != [first.pk]
    assert VisitPhoto.objects.filter(visit_id=pk).count() == 1
