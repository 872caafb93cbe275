"""The admin's import in Chromium: upload a real file, read the preview or the problems, confirm."""

from io import StringIO

import pytest
from django.core.management import call_command

from chains.models import Enterprise
from pinghu.permissions import Role
from projects.imports import ProjectResource
from projects.models import Project
from tests.factories import UserFactory
from tests.importfiles import xlsx_bytes

from .conftest import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("import_uploads")]


@pytest.fixture
def bureau():
    call_command("seed_pinghu", stdout=StringIO())
    Enterprise.objects.create(name="嘉兴甲科技有限公司")
    return UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])


def project_file(tmp_path, name, *rows) -> str:
    resource = ProjectResource()
    headers = [str(field.column_name) for field in resource.get_import_fields()]
    path = tmp_path / name
    path.write_bytes(xlsx_bytes([headers, *[[row.get(header) for header in headers] for row in rows]]))
    return str(path)


def row(**values) -> dict:
    return {"名称": "导入的电池项目", "产业链": "nev", "投资方": "嘉兴甲科技有限公司", "总投资（万元）": 8000, **values}


def test_bureau_staff_import_projects_after_the_preview(open_page, live_server, bureau, tmp_path):
    page = open_page(bureau)
    page.goto(f"{live_server.url}/admin/projects/project/")
    page.click("a[href$='/admin/projects/project/import/']")

    # A bad row: the report names the row, the column, the value and the rule; no confirm button.
    page.set_input_files(
        "input[type=file]", project_file(tmp_path, "bad.xlsx", row(), row(名称="第二个", 产业链="造船"))
    )
    page.click("input[type=submit]")
    page.wait_for_selector("table.import-preview")
    problems = page.locator("table.import-preview tbody tr")
    assert problems.count() == 1
    assert problems.first.inner_text().split("\t")[:3] == ["3", "产业链", "造船"]
    assert page.locator("input[name=confirm]").count() == 0

    # The corrected file: a preview, then the confirmation writes it.
    page.set_input_files("input[type=file]", project_file(tmp_path, "good.xlsx", row(), row(名称="第二个")))
    page.click("input[type=submit]")
    page.wait_for_selector("input[name=confirm]")
    assert "新增 2 条" in page.inner_text("#content")
    screenshot(page, "import-preview")
    assert not Project.objects.exists()
    page.click("input[name=confirm]")
    page.wait_for_url(f"{live_server.url}/admin/projects/project/")
    assert "2" in page.inner_text(".messagelist")
    assert set(Project.objects.values_list("name", flat=True)) == {"导入的电池项目", "第二个"}
    assert {record.history_user for record in Project.history.all()} == {bureau}
    assert page.console_errors == []
