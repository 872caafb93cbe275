"""The review sheet: /targets/export.csv and .xlsx with the page's rows, order and filters, Chinese (or English)
headers, rates as percentages; for bureau staff and admins, as every export."""

import csv
import io

import pytest
from openpyxl import load_workbook

from pinghu.permissions import Role
from tests.factories import UserFactory
from tests.targets.conftest import target

pytestmark = pytest.mark.django_db
JUNE = {"year": "2025", "as_of": "2025-06-30"}
HEADERS_ZH = ["范围", "指标", "目标", "实际完成", "单位", "完成率", "时序进度", "差距（百分点）", "状态", "排名"]
HEADERS_EN = [
    "Scope",
    "Metric",
    "Target",
    "Actual",
    "Unit",
    "Completion",
    "Time progress",
    "Gap (percentage points)",
    "Status",
    "Rank",
]


@pytest.fixture
def staff(client):
    user = UserFactory(username="staff", roles=[Role.BUREAU_STAFF])
    client.force_login(user)
    return user


@pytest.fixture
def sheet_targets(world):
    """City signed projects 4 (2 by 30 June: 50%, time progress 50%, ahead); towns 当湖 2 (1: 50%), 钟埭 2 (0: 0%)."""
    return [
        target("signed_projects", "4"),
        target("signed_projects", "2", scope_kind="town", town="当湖街道"),
        target("signed_projects", "2", scope_kind="town", town="钟埭街道"),
        target("signed_investment", "30000", scope_kind="chain", chain=world["a"]),
    ]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_rows_and_headers(client, staff, sheet_targets):
    response = client.get("/targets/export.csv", JUNE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="targets-2025-as-of-20250630-' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == HEADERS_ZH
    # The page's order: the city, the chain, then the towns. Chain A, June: P1 12,000 万元 of 30,000 = 40%.
    assert rows[1] == ["全市", "签约项目", "4.00", "2", "个", "50.00%", "50.00%", "0.00", "超前于时序进度", ""]
    assert rows[2][:8] == ["链A", "签约总投资", "30000.00", "12000.00", "万元", "40.00%", "50.00%", "-10.00"]
    assert rows[2][8] == "落后于时序进度"
    assert rows[3] == ["当湖街道", "签约项目", "2.00", "1", "个", "50.00%", "50.00%", "0.00", "超前于时序进度", "1"]
    assert rows[4] == [
        "钟埭街道",
        "签约项目",
        "2.00",
        "0",
        "个",
        "0.00%",
        "50.00%",
        "-50.00",
        "严重落后于时序进度",
        "2",
    ]
    assert len(rows) == 5


def test_csv_filtered_by_scope_kind(client, staff, sheet_targets):
    rows = read_csv(client.get("/targets/export.csv", {**JUNE, "kind": "town"}))
    assert [row[0] for row in rows[1:]] == ["当湖街道", "钟埭街道"]


def test_csv_in_english(client, staff, sheet_targets):
    rows = read_csv(client.get("/targets/export.csv", JUNE, headers={"accept-language": "en"}))
    assert rows[0] == HEADERS_EN
    assert rows[1][:2] == ["City", "Signed projects"]


def test_xlsx_has_percentage_cells(client, staff, sheet_targets):
    response = client.get("/targets/export.xlsx", JUNE)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS_ZH
    city = rows[1]
    assert city[:2] == ("全市", "签约项目")
    assert (float(city[2]), float(city[3]), float(city[5]), float(city[6]), float(city[7])) == (4, 2, 0.5, 0.5, 0)
    assert sheet.cell(row=2, column=6).number_format == "0.00%"
    assert sheet.cell(row=2, column=7).number_format == "0.00%"
    assert rows[4][9] == 2 and rows[4][8] == "严重落后于时序进度"


def test_export_is_for_bureau_staff(client, sheet_targets):
    client.force_login(UserFactory(username="official", roles=[Role.OFFICIAL]))
    assert client.get("/targets/export.csv", JUNE).status_code == 403
    content = client.get("/targets/", JUNE).content.decode()
    assert "/targets/export.csv" not in content


def test_export_buttons_for_staff_carry_the_filters(client, staff, sheet_targets):
    content = client.get("/targets/", {**JUNE, "kind": "town"}).content.decode()
    assert "/targets/export.csv?year=2025&amp;as_of=2025-06-30&amp;kind=town" in content
    assert client.get("/targets/export.pdf", JUNE).status_code == 404


def test_anonymous_export_goes_to_login(client, sheet_targets):
    response = client.get("/targets/export.csv", JUNE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
