"""Where the admin's import keeps an upload: a full disk is a message, refused and abandoned uploads are removed."""

import errno
import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client

from projects.imports import ProjectResource
from projects.models import Project
from tests.importfiles import xlsx_bytes
from tests.projects.test_imports import project_row, sheet, upload, world  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db]
URL = "/admin/projects/project/import/"


def _stored(folder) -> list[str]:
    return sorted(path.name for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def bureau_client(world):  # noqa: F811
    client = Client()
    client.force_login(world.bureau)
    return client


def test_a_full_disk_is_a_message_on_the_form_and_leaves_no_partial_file(bureau_client, import_uploads, monkeypatch):
    def full_after_a_little(self, chunk_size=None):
        yield self.read(1024)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ContentFile, "chunks", full_after_a_little)
    response = upload(bureau_client, URL, xlsx_bytes(sheet(ProjectResource(), project_row())), "p.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [
        "服务器上已没有空间存放上传的文件，因此没有导入任何数据。请稍后再试，或告知管理员。"
    ]
    assert _stored(import_uploads) == []
    assert not Project.objects.exists()


def test_a_refused_preview_keeps_no_file(bureau_client, import_uploads):
    bad_row = xlsx_bytes(sheet(ProjectResource(), project_row(chain="不存在的链")))
    response = upload(bureau_client, URL, bad_row, "p.xlsx")
    assert "不存在的链" in response.content.decode()
    assert _stored(import_uploads) == []
    response = upload(bureau_client, URL, b"PK\x03\x04 not a workbook", "p.xlsx")
    assert response.context["form"].errors["import_file"]
    assert _stored(import_uploads) == []


def test_an_altered_confirmation_removes_the_file(bureau_client, import_uploads):
    response = upload(bureau_client, URL, xlsx_bytes(sheet(ProjectResource(), project_row())), "p.xlsx")
    confirm = dict(response.context["confirm_form"].initial)
    assert len(_stored(import_uploads)) == 1  # kept for the confirmation
    confirm["format"] = "1"  # read as CSV: refused
    bureau_client.post("/admin/projects/project/process_import/", confirm)
    assert _stored(import_uploads) == []
    assert not Project.objects.exists()


def test_the_daily_purge_removes_uploads_never_confirmed(bureau_client, import_uploads):
    for _ in range(2):
        upload(bureau_client, URL, xlsx_bytes(sheet(ProjectResource(), project_row())), "p.xlsx")
    old, recent = sorted(import_uploads.rglob("*"), key=str)[-2:]
    day_and_more = time.time() - 25 * 3600
    os.utime(old, (day_and_more, day_and_more))
    out = StringIO()
    call_command("purge_import_uploads", stdout=out)
    assert _stored(import_uploads) == [recent.name]
    assert "1" in out.getvalue()
