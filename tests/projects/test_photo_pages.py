"""Visit photos on the pages and in the API: served after a permission check, counted queries, S3 settings."""

import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pinghu.media_storage import media_storage
from pinghu.permissions import Role
from projects.models import InvestmentVisit, VisitPhoto
from projects.photo_purge import purge_visit_photos
from projects.services import photos_change, visit_create, visit_delete
from tests.factories import EnterpriseFactory, LeaderFactory, UserFactory, unit_named
from tests.projects.photo_files import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    return UserFactory(username="official", roles=[Role.OFFICIAL])


def make_visit(by, photos: int = 1, enterprise=None) -> InvestmentVisit:
    visit = InvestmentVisit(
        date=timezone.localdate() - datetime.timedelta(days=1),
        host_unit=unit_named("经信局"),
        enterprise=enterprise or EnterpriseFactory(),
        purpose="走访",
    )
    return visit_create(
        visit=visit, leaders=[LeaderFactory()], by=by, photos=[upload(image_bytes()) for _ in range(photos)]
    )


# --- serving -------------------------------------------------------------------------------------


def test_a_reader_gets_the_photo_privately_cached_others_do_not(client, official):
    photo = make_visit(official).photos.get()
    url = f"/visits/photos/{photo.pk}/"
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(UserFactory(username="norole"))
    assert client.get(url).status_code == 403
    assert client.get(f"/visits/photos/{photo.pk}/thumb/").status_code == 403
    client.force_login(UserFactory(username="colleague", roles=[Role.OFFICIAL]))  # reads every visit
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == photo.image.open().read()
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    download = client.get(f"/visits/photos/{photo.pk}/download/")
    assert download["Content-Disposition"].startswith("attachment") and "photo.jpg" in download["Content-Disposition"]
    assert client.get(f"/visits/photos/{photo.pk}/other/").status_code == 404


def test_a_deleted_visits_photo_is_gone_from_the_site(client, official):
    visit = make_visit(official)
    photo = visit.photos.get()
    visit_delete(visit)
    client.force_login(official)
    assert client.get(f"/visits/photos/{photo.pk}/").status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_edit_page_and_the_firm_page_do_not_query_per_photo(client, official):
    client.force_login(official)
    firm = EnterpriseFactory()
    one = make_visit(official, photos=1, enterprise=firm)
    many = make_visit(official, photos=5)
    assert _queries(client, f"/visits/{one.pk}/edit/") == _queries(client, f"/visits/{many.pk}/edit/")
    page = client.get(f"/visits/{many.pk}/edit/").content.decode()
    assert page.count('name="remove_photos"') == 5 and 'enctype="multipart/form-data"' in page
    firm_url = f"/enterprises/{firm.pk}/"
    before = _queries(client, firm_url)
    make_visit(official, photos=4, enterprise=firm)
    assert _queries(client, firm_url) == before
    assert client.get(firm_url).content.decode().count("/thumb/") == 5


def test_the_new_visit_form_takes_photos_and_refuses_a_fake(client, official):
    client.force_login(official)
    body = {
        "date": timezone.localdate().isoformat(),
        "leaders": [LeaderFactory().pk],
        "enterprise_name": EnterpriseFactory().name,
        "purpose": "洽谈",
        "host_unit": unit_named("经信局").pk,
    }
    form_key = client.get("/visits/new/").context["form"]["idempotency_key"].value()
    fake = upload(b"plain text" * 50, "site.jpg")
    response = client.post("/visits/new/", body | {"idempotency_key": form_key, "photos": [fake]})
    assert response.status_code == 200 and not InvestmentVisit.objects.exists()
    assert "site.jpg" in response.content.decode()
    response = client.post(
        "/visits/new/", body | {"idempotency_key": form_key, "photos": [upload(image_bytes((3000, 2000)))]}
    )
    assert response.status_code == 302
    photo = VisitPhoto.objects.get()
    assert (photo.width, photo.height, photo.uploaded_by) == (1600, 1067, official)


# --- API -----------------------------------------------------------------------------------------


def test_api_lists_adds_and_removes_photos_under_the_change_rule(api_client, official):
    visit = make_visit(official, photos=1)
    api_client.force_login(official)
    with CaptureQueriesContext(connection) as one_photo:
        listed = api_client.get(f"/api/v1/visits/{visit.pk}/").json()["photos"]
    assert listed[0]["width"] == 40 and listed[0]["thumbnail_url"].endswith("/thumb/")
    response = api_client.post(
        f"/api/v1/visits/{visit.pk}/photos/",
        {"photos": [upload(image_bytes((2400, 1200)), "a.png")], "captions": ["签约"]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()[0]["width"] == 1600 and response.json()[0]["caption"] == "签约"
    file = api_client.get(response.json()[0]["file_url"])
    assert file.status_code == 200 and file["Content-Type"] == "image/jpeg"
    too_many = api_client.post(
        f"/api/v1/visits/{visit.pk}/photos/",
        {"photos": [upload(image_bytes()) for _ in range(4)]},
        format="multipart",
    )
    assert too_many.status_code == 400 and "photos" in str(too_many.json()), too_many.json()
    fake = api_client.post(
        f"/api/v1/visits/{visit.pk}/photos/", {"photos": [upload(b"GIF89a-not", "x.jpg")]}, format="multipart"
    )
    assert fake.status_code == 400
    api_client.force_login(UserFactory(username="colleague", roles=[Role.OFFICIAL]))  # reads, may not change
    photo_id = listed[0]["id"]
    assert api_client.delete(f"/api/v1/visits/{visit.pk}/photos/{photo_id}/").status_code == 403
    assert (
        api_client.post(
            f"/api/v1/visits/{visit.pk}/photos/", {"photos": [upload(image_bytes())]}, format="multipart"
        ).status_code
        == 403
    )
    api_client.force_login(official)
    with CaptureQueriesContext(connection) as two_photos:
        assert len(api_client.get(f"/api/v1/visits/{visit.pk}/").json()["photos"]) == 2
    assert len(two_photos) == len(one_photo)
    assert api_client.delete(f"/api/v1/visits/{visit.pk}/photos/{photo_id}/").status_code == 204
    assert visit.photos.count() == 1


# --- purge and storage settings ------------------------------------------------------------------


def test_purge_keeps_files_for_a_restore_then_removes_them(official):
    visit = make_visit(official, photos=2)
    kept = make_visit(official, photos=1).photos.get()
    photo = visit.photos.first()
    names = [photo.image.name, photo.thumbnail.name]
    visit_delete(visit)
    assert purge_visit_photos() == 0
    later = timezone.now() + datetime.timedelta(days=400)
    assert purge_visit_photos(now=later) == 4
    assert not any(photo.image.storage.exists(name) for name in names)
    assert kept.image.storage.exists(kept.image.name)
    orphan = kept.image.storage.save("visit-photos/full/2020/01/orphan.jpg", upload(image_bytes()))
    assert purge_visit_photos() == 0 and purge_visit_photos(now=later) == 1
    assert not kept.image.storage.exists(orphan) and kept.image.storage.exists(kept.thumbnail.name)


def test_local_storage_is_the_default_and_s3_builds_a_valid_backend():
    local = media_storage({}, media_root="/srv/media")
    assert local == {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": "/srv/media"}}
    config = media_storage(
        {
            "PINGHU_MEDIA_STORAGE": "s3",
            "PINGHU_S3_BUCKET": "pinghu-photos",
            "PINGHU_S3_ENDPOINT_URL": "https://minio.example.internal:9000",
            "PINGHU_S3_ACCESS_KEY": "key",
            "PINGHU_S3_SECRET_KEY": "secret",
            "PINGHU_S3_REGION": "cn-east-1",
            "PINGHU_S3_PREFIX": "photos",
            "PINGHU_S3_ADDRESSING_STYLE": "path",
        },
        media_root="/unused",
    )
    from django.utils.module_loading import import_string

    storage = import_string(config["BACKEND"])(**config["OPTIONS"])  # no network: built, not connected
    assert (storage.bucket_name, storage.endpoint_url, storage.default_acl) == (
        "pinghu-photos",
        "https://minio.example.internal:9000",
        "private",
    )
    assert storage.querystring_auth and not storage.file_overwrite
    assert (storage.location, storage.addressing_style) == ("photos", "path")
    with pytest.raises(ImproperlyConfigured):
        media_storage({"PINGHU_MEDIA_STORAGE": "s3"}, media_root="/x")
    with pytest.raises(ImproperlyConfigured):
        media_storage({"PINGHU_MEDIA_STORAGE": "ftp"}, media_root="/x")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_two_requests_cannot_both_add_the_fifth_photo():
    visit = make_visit(None, photos=4)
    start = threading.Barrier(2)
    outcomes = []

    def add() -> None:
        try:
            start.wait()
            photos_change(visit, add=[upload(image_bytes())])
            outcomes.append("added")
        except ValidationError as refused:
            outcomes.append(refused.error_dict["photos"][0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added", "too_many_photos"]
    assert visit.photos.count() == 5
