"""Importing the sheet the city hands down (kind ``targets``): matching, dry run, all or nothing, updates."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from pinghu.imports import run_import
from pinghu.permissions import Role
from targets.imports import TargetResource
from targets.models import Target
from tests.factories import UserFactory
from tests.importfiles import csv_bytes, xlsx_bytes

HEADER = ["年度", "截止年度", "考核对象", "对象名称", "指标", "目标值", "下达文件", "备注"]


@pytest.fixture
def bureau(db):
    return UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])


def sheet(*rows):
    return xlsx_bytes([HEADER, *rows])


def good_rows():
    return [
        [2025, None, "全市", None, "签约项目数", 120, "平委办〔2025〕1号", None],
        [2025, None, "产业链", "a", "内资到位", "500000", None, None],  # by code
        [2025, None, "产业链", "链B", "签约项目", 10, None, None],  # by name, the metric by its label
        [2025, None, "镇街道", "当湖街道", "亿元以上签约项目", 3, None, None],
        [2025, None, "责任单位", "平湖市 商务局", "周六招商日人次", 40, None, None],
        [2023, 2025, "产业链", "a", "产业链产值", 2500000, None, "机床链产值超250亿元"],
    ]


def test_a_good_sheet_sets_every_target(world, bureau):
    report = run_import(TargetResource(), sheet(*good_rows()), "目标.xlsx", user=bureau, dry_run=False)
    assert report.ok, report.problems
    assert report.totals.get("new") == 6
    made = {(t.scope_kind, t.metric): t for t in Target.objects.all()}
    assert made[("city", "signed_projects")].source == "平委办〔2025〕1号"
    assert made[("chain", "funds_in_place")].chain == world["a"]
    assert made[("chain", "signed_projects")].chain == world["b"]
    assert made[("town", "signed_cny_100m")].town == "当湖街道"
    assert made[("unit", "saturday_person_times")].unit.name == "平湖市商务局"
    span = made[("chain", "chain_output")]
    assert (span.year_from, span.year_to, span.value) == (2023, 2025, Decimal("2500000"))
    assert all(t.set_by == bureau for t in made.values())
    assert Target.history.filter(history_user=bureau).count() == 6


def test_a_dry_run_writes_nothing(world, bureau):
    report = run_import(TargetResource(), sheet(*good_rows()), "目标.xlsx", user=bureau, dry_run=True)
    assert report.ok and not report.written
    assert report.totals.get("new") == 6
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ([2025, None, "全市", None, "实际利用外资", 0, None, None], "目标值", "目标必须大于零"),
        ([2025, None, "产业链", "没有这条链", "签约项目数", 5, None, None], "对象名称", "未知"),
        ([2025, None, "镇街道", "乍浦镇", "招商走访", 5, None, None], "指标", "没有按镇街道的定义"),
        ([2025, 2024, "全市", None, "内资到位", 5, None, None], "截止年度", "不能早于起始年度"),
        ([2025, None, "全市", None, "不存在的指标", 5, None, None], "指标", None),
    ],
)
def test_one_bad_row_and_nothing_is_written(world, bureau, row, column, message):
    report = run_import(TargetResource(), sheet(*good_rows(), row), "目标.xlsx", user=bureau, dry_run=False)
    assert not report.ok
    problems = [problem for problem in report.problems if problem.row == 8]
    assert problems and all(problem.row == 8 for problem in report.problems), report.problems
    assert any(problem.column == column for problem in problems), problems
    if message:
        assert any(message in problem.message for problem in problems), problems
    assert not Target.objects.exists()


def test_a_second_sheet_updates_rather_than_duplicates(world, bureau):
    run_import(TargetResource(), sheet(*good_rows()), "目标.xlsx", user=bureau, dry_run=False)
    changed = [[2025, None, "全市", None, "签约项目数", 150, "平委办〔2025〕9号", "年中调整"]]
    report = run_import(TargetResource(), csv_bytes([HEADER, *changed]), "调整.csv", user=bureau, dry_run=False)
    assert report.ok, report.problems
    assert report.totals.get("update") == 1
    city = Target.objects.get(scope_kind="city")
    assert (city.value, city.note) == (Decimal("150"), "年中调整")
    assert Target.objects.count() == 6


def test_repeated_rows_are_refused(world, bureau):
    rows = good_rows()
    report = run_import(TargetResource(), sheet(*rows, rows[0]), "目标.xlsx", user=bureau, dry_run=False)
    assert [problem.row for problem in report.problems] == [8]
    assert not Target.objects.exists()


def test_an_official_cannot_import(world):
    official = UserFactory(username="official", roles=[Role.OFFICIAL])
    report = run_import(TargetResource(), sheet(*good_rows()), "目标.xlsx", user=official, dry_run=False)
    assert not report.ok
    assert not Target.objects.exists()


def test_import_data_offers_the_kind(world, bureau, tmp_path):
    path = tmp_path / "targets.xlsx"
    path.write_bytes(sheet(*good_rows()))
    call_command("import_data", str(path), kind="targets", user="bureau", dry_run=True)
    assert not Target.objects.exists()
    call_command("import_data", str(path), kind="targets", user="bureau")
    assert Target.objects.count() == 6


def test_the_export_re_imports_without_changing_anything(world, bureau, api_client):
    from pinghu.services import api_token_issue

    run_import(TargetResource(), sheet(*good_rows()), "目标.xlsx", user=bureau, dry_run=False)
    _token, key = api_token_issue(user=bureau, scope="read")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    answer = api_client.get("/api/v1/targets/", {"format": "csv"})
    assert answer.status_code == 200
    exported = b"".join(answer.streaming_content)
    assert "产业链产值" in exported.decode("utf-8-sig")
    report = run_import(TargetResource(), exported, "导出.csv", user=bureau, dry_run=False)
    assert report.ok, report.problems
    assert report.totals.get("skip") == 6
    assert Target.objects.count() == 6
