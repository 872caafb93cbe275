"""Importing enterprises and their annual figures from real .xlsx and .csv files (``chains.imports``).

Files are built with openpyxl and the csv module (``tests.importfiles``) and go through
``pinghu.imports.run_import`` or the ``import_data`` command, as an upload would.
"""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from chains.imports import EnterpriseMetricResource, EnterpriseResource
from chains.models import Enterprise, EnterpriseAnnualMetric
from chains.validators import credit_code_check_character
from pinghu.imports import run_import
from pinghu.permissions import Role
from tests.factories import EnterpriseAnnualMetricFactory, EnterpriseFactory, UserFactory, make_credit_code
from tests.importfiles import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ENTERPRISE_FIELDS = EnterpriseResource._meta.fields  # the columns in the order the template has them
METRIC_FIELDS = EnterpriseMetricResource._meta.fields
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def header(resource_class, name: str) -> str:
    """The column header of a field, in the active language (Chinese in the tests)."""
    return str(resource_class().fields[name].column_name)


def table(resource_class, fields, records) -> list[list]:
    """A header row for ``fields`` and one row per record (a dict of field name → cell value)."""
    return [[header(resource_class, name) for name in fields]] + [
        [record.get(name) for name in fields] for record in records
    ]


def enterprise_rows(*records) -> list[list]:
    return table(EnterpriseResource, ENTERPRISE_FIELDS, records)


def metric_rows(*records) -> list[list]:
    return table(EnterpriseMetricResource, METRIC_FIELDS, records)


def import_enterprises(data: bytes, user, filename: str = "企业.xlsx", *, dry_run: bool = False):
    return run_import(EnterpriseResource(), data, filename, user=user, dry_run=dry_run)


def import_metrics(data: bytes, user, filename: str = "亩均.xlsx", *, dry_run: bool = False):
    return run_import(EnterpriseMetricResource(), data, filename, user=user, dry_run=dry_run)


def bad_check_character(code: str) -> str:
    """``code`` with a wrong 18th character."""
    right = credit_code_check_character(code[:17])
    return code[:17] + ("1" if right != "1" else "2")


def mentions_row(message: str, row: int) -> bool:
    return re.search(rf"(?<!\d){row}(?!\d)", message) is not None


@pytest.fixture
def staff():
    return UserFactory(username="importer", roles=[Role.BUREAU_STAFF])


CODE_A = make_credit_code(900001)
CODE_B = make_credit_code(900002)
CODE_C = make_credit_code(900003)

FIRM_A = {
    "name": "浙江甲乙精密机械有限公司",
    "short_name": "甲乙精密",
    "credit_code": CODE_A,
    "ownership": "内资",
    "country": "中国",
    "fortune500": "否",
    "srdi_level": "省级专精特新",
    "above_size": "是",
    "in_pinghu": "是",
    "town": "当湖街道",
    "address": "平湖市当湖街道新华路1号",
}
FIRM_B = {
    "name": "日本丙丁株式会社",
    "short_name": "丙丁",
    "credit_code": None,
    "ownership": "外资",
    "country": "日本",
    "fortune500": "是",
    "srdi_level": None,
    "above_size": "否",
    "in_pinghu": "否",
    "town": None,
    "address": "东京都港区",
}
FIRM_C = {
    "name": "平湖戊己电子有限公司",
    "credit_code": CODE_C,
    "ownership": "港澳台资",
    "srdi_level": "国家级专精特新“小巨人”",
    "above_size": "是",
    "in_pinghu": None,  # empty means 是
    "town": "平湖经济技术开发区",
    "address": "平湖市经济开发区兴平一路88号",
}


# ---------------------------------------------------------------- enterprises: a good file


def test_good_xlsx_creates_the_firms_with_their_values(staff):
    report = import_enterprises(xlsx_bytes(enterprise_rows(FIRM_A, FIRM_B, FIRM_C)), staff)

    assert report.ok, report.problems
    assert report.written
    assert report.totals == {"new": 3}
    assert Enterprise.objects.count() == 3

    a = Enterprise.objects.get(credit_code=CODE_A)
    assert a.name == "浙江甲乙精密机械有限公司"
    assert a.short_name == "甲乙精密"
    assert a.ownership == "domestic"
    assert a.country == "中国"
    assert a.fortune500 is False
    assert a.srdi_level == "provincial"
    assert a.above_size is True
    assert a.in_pinghu is True
    assert a.town == "当湖街道"
    assert a.address == "平湖市当湖街道新华路1号"

    b = Enterprise.objects.get(name="日本丙丁株式会社")
    assert b.credit_code is None
    assert b.ownership == "foreign"
    assert b.fortune500 is True
    assert b.srdi_level is None  # an empty cell is unknown, not "none"
    assert b.above_size is False
    assert b.in_pinghu is False
    assert b.town == ""

    c = Enterprise.objects.get(credit_code=CODE_C)
    assert c.ownership == "hmt"
    assert c.srdi_level == "national"
    assert c.in_pinghu is True
    assert c.town == "平湖经济技术开发区"
    assert c.short_name == "" and c.country == ""  # columns present but empty cells

    assert [change.kind for change in report.changes] == ["new", "new", "new"]
    assert [change.row for change in report.changes] == [2, 3, 4]


def test_each_created_firm_has_one_history_row_naming_the_importer_and_the_file(staff):
    import_enterprises(xlsx_bytes(enterprise_rows(FIRM_A, FIRM_B)), staff, filename="二月企业名录.xlsx")

    for firm in Enterprise.objects.all():
        records = list(firm.history.all())
        assert len(records) == 1
        assert records[0].history_type == "+"
        assert records[0].history_user == staff
        assert "二月企业名录.xlsx" in records[0].history_change_reason


def test_choice_cells_accept_labels_in_other_languages_and_stored_values(staff):
    rows = enterprise_rows(
        {"name": "英文标签有限公司", "ownership": "Hong Kong, Macao or Taiwan", "srdi_level": "national"},
        {"name": "存储值有限公司", "ownership": "foreign", "fortune500": "Yes", "above_size": 1},
    )
    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert Enterprise.objects.get(name="英文标签有限公司").ownership == "hmt"
    assert Enterprise.objects.get(name="英文标签有限公司").srdi_level == "national"
    second = Enterprise.objects.get(name="存储值有限公司")
    assert (second.ownership, second.fortune500, second.above_size) == ("foreign", True, True)


def test_unknown_facts_import_as_unknown_not_as_no(staff):
    """未知 or an empty cell is unknown (None) for Fortune 500, SRDI level and size; 否 and 无 are a known no."""
    rows = enterprise_rows(
        {"name": "未知企业有限公司", "fortune500": "未知", "srdi_level": "未知", "above_size": "unknown"},
        {"name": "空白企业有限公司", "fortune500": None, "srdi_level": None, "above_size": ""},
        {"name": "确知企业有限公司", "fortune500": "否", "srdi_level": "无", "above_size": "否"},
    )
    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    facts = dict(
        (name, (f500, srdi, size))
        for name, f500, srdi, size in Enterprise.objects.values_list("name", "fortune500", "srdi_level", "above_size")
    )
    assert facts == {
        "未知企业有限公司": (None, None, None),
        "空白企业有限公司": (None, None, None),
        "确知企业有限公司": (False, "none", False),
    }
    resource = EnterpriseResource()
    firm = Enterprise.objects.get(name="未知企业有限公司")
    with translation.override("zh-hans"):
        rendered = [resource.fields[name].widget.render(getattr(firm, name)) for name in ("fortune500", "srdi_level")]
    assert rendered == ["未知", "未知"]  # the export writes 未知, which imports back as unknown


def test_credit_code_typed_in_lower_case_with_spaces_is_stored_canonically(staff):
    typed = f"{CODE_A[:6]} {CODE_A[6:]}".lower()
    report = import_enterprises(xlsx_bytes(enterprise_rows({"name": "空格代码有限公司", "credit_code": typed})), staff)

    assert report.ok, report.problems
    assert Enterprise.objects.get().credit_code == CODE_A


def test_bad_choice_and_boolean_cells_are_reported_by_column(staff):
    rows = enterprise_rows({"name": "乱填有限公司", "ownership": "国企", "fortune500": "也许", "town": "上海"})
    report = import_enterprises(xlsx_bytes(rows), staff)

    assert not report.ok
    by_column = {problem.column: problem for problem in report.problems}
    assert set(by_column) == {
        header(EnterpriseResource, "ownership"),
        header(EnterpriseResource, "fortune500"),
        header(EnterpriseResource, "town"),
    }
    assert all(problem.row == 2 for problem in report.problems)
    assert by_column[header(EnterpriseResource, "ownership")].value == "国企"
    assert "内资" in by_column[header(EnterpriseResource, "ownership")].message
    assert "是" in by_column[header(EnterpriseResource, "fortune500")].message
    assert Enterprise.objects.count() == 0


def test_dry_run_reports_but_writes_nothing(staff):
    report = import_enterprises(xlsx_bytes(enterprise_rows(FIRM_A, FIRM_B)), staff, dry_run=True)

    assert report.ok, report.problems
    assert report.totals == {"new": 2}
    assert not report.written
    assert Enterprise.objects.count() == 0
    assert Enterprise.history.count() == 0


# ---------------------------------------------------------------- re-importing and editing


def test_reimporting_the_same_file_changes_nothing(staff):
    data = xlsx_bytes(enterprise_rows(FIRM_A, FIRM_B, FIRM_C))
    assert import_enterprises(data, staff).totals == {"new": 3}
    before = dict(Enterprise.objects.values_list("pk", "updated_at"))
    history_rows = Enterprise.history.count()

    report = import_enterprises(data, staff)

    assert report.ok, report.problems
    assert report.totals == {"skip": 3}
    assert report.changes == []
    assert Enterprise.objects.count() == 3
    assert Enterprise.history.count() == history_rows == 3
    assert dict(Enterprise.objects.values_list("pk", "updated_at")) == before


def test_an_edited_address_updates_only_that_firm(staff):
    import_enterprises(xlsx_bytes(enterprise_rows(FIRM_A, FIRM_B, FIRM_C)), staff)
    firm = Enterprise.objects.get(credit_code=CODE_A)
    edited = dict(FIRM_A, address="平湖市钟埭街道兴港路2号")

    report = import_enterprises(xlsx_bytes(enterprise_rows(edited, FIRM_B, FIRM_C)), staff, filename="更正.xlsx")

    assert report.ok, report.problems
    assert report.totals == {"update": 1, "skip": 2}
    assert Enterprise.objects.count() == 3
    firm.refresh_from_db()
    assert firm.address == "平湖市钟埭街道兴港路2号"
    assert [(change.row, change.kind) for change in report.changes] == [(2, "update")]
    assert report.changes[0].fields == [
        (header(EnterpriseResource, "address"), "平湖市当湖街道新华路1号", "平湖市钟埭街道兴港路2号")
    ]
    latest = firm.history.first()
    assert firm.history.count() == 2
    assert latest.history_type == "~"
    assert latest.history_user == staff
    assert "更正.xlsx" in latest.history_change_reason
    assert Enterprise.history.count() == 4


def test_a_file_without_a_column_leaves_that_field_alone(staff):
    firm = EnterpriseFactory(name="只改地址有限公司", credit_code=CODE_A, short_name="只改", town="新埭镇")
    rows = [
        [header(EnterpriseResource, "name"), header(EnterpriseResource, "address")],
        ["只改地址有限公司", "新地址1号"],
    ]
    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.totals == {"update": 1}
    firm.refresh_from_db()
    assert (firm.address, firm.credit_code, firm.short_name, firm.town) == ("新地址1号", CODE_A, "只改", "新埭镇")


def test_a_blank_credit_code_cell_keeps_the_code_on_record(staff):
    firm = EnterpriseFactory(name="有代码有限公司", credit_code=CODE_A)
    rows = [
        [header(EnterpriseResource, "name"), header(EnterpriseResource, "credit_code")],
        ["有代码有限公司", None],
    ]
    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok and report.totals == {"skip": 1}, report.problems
    firm.refresh_from_db()
    assert firm.credit_code == CODE_A


# ---------------------------------------------------------------- matching existing firms


@pytest.mark.parametrize(
    ("stored", "in_file"),
    [
        ("平湖（中国）精密机械有限公司", "平湖(中国)精密机械有限公司"),
        ("平湖(中国)精密机械有限公司", "平湖（中国）精密机械有限公司"),
        ("ＡＢＣ平湖科技有限公司", "ABC平湖科技有限公司"),
        ("平湖嘉兴科技有限公司", " 平湖 嘉兴\u3000科技有限公司 "),
    ],
)
def test_a_name_differing_only_in_width_or_spaces_updates_that_firm_and_keeps_its_name(staff, stored, in_file):
    firm = EnterpriseFactory(name=stored, credit_code=None, address="旧地址")
    rows = enterprise_rows({"name": in_file, "address": "新地址"})

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.totals == {"update": 1}
    assert Enterprise.objects.count() == 1
    firm.refresh_from_db()
    assert firm.name == stored
    assert firm.address == "新地址"


def test_a_name_differing_only_in_width_with_nothing_else_changed_is_skipped(staff):
    EnterpriseFactory(name="平湖（中国）精密机械有限公司", credit_code=None, address="地址")
    history_rows = Enterprise.history.count()
    rows = enterprise_rows({"name": "平湖(中国)精密机械有限公司", "address": "地址"})

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.totals == {"skip": 1}
    assert Enterprise.objects.get().name == "平湖（中国）精密机械有限公司"
    assert Enterprise.history.count() == history_rows


def test_a_known_credit_code_with_a_new_name_renames_that_firm(staff):
    firm = EnterpriseFactory(name="平湖旧名称有限公司", credit_code=CODE_B)
    other = EnterpriseFactory(name="别的企业有限公司", credit_code=CODE_C)

    report = import_enterprises(
        xlsx_bytes(enterprise_rows({"name": "平湖新名称有限公司", "credit_code": CODE_B})), staff
    )

    assert report.ok, report.problems
    assert report.totals == {"update": 1}
    assert Enterprise.objects.count() == 2
    firm.refresh_from_db()
    assert firm.name == "平湖新名称有限公司"
    assert firm.credit_code == CODE_B
    other.refresh_from_db()
    assert other.name == "别的企业有限公司"
    assert report.changes[0].fields[0] == (
        header(EnterpriseResource, "name"),
        "平湖旧名称有限公司",
        "平湖新名称有限公司",
    )


def test_the_credit_code_wins_over_a_name_of_another_firm(staff):
    by_code = EnterpriseFactory(name="代码企业有限公司", credit_code=CODE_A, address="甲")
    by_name = EnterpriseFactory(name="名称企业有限公司", credit_code=CODE_B, address="乙")
    # The name belongs to the second firm, the code to the first: renaming the first clashes.
    report = import_enterprises(xlsx_bytes(enterprise_rows({"name": "名称企业有限公司", "credit_code": CODE_A})), staff)

    assert not report.ok
    assert [problem.row for problem in report.problems] == [2]
    by_code.refresh_from_db()
    by_name.refresh_from_db()
    assert (by_code.name, by_name.name) == ("代码企业有限公司", "名称企业有限公司")


def test_youxian_gongsi_and_youxian_zeren_gongsi_are_different_firms_with_a_warning(staff):
    existing = EnterpriseFactory(name="平湖庚辛有限公司", credit_code=None)

    # Ticked as another firm; without the tick the row is refused, naming the recorded firm (issue 15).
    rows = enterprise_rows({"name": "平湖庚辛有限责任公司", "near_name_confirmed": "是"})
    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.totals == {"new": 1}
    assert Enterprise.objects.count() == 2
    assert Enterprise.objects.filter(name="平湖庚辛有限责任公司").exists()
    existing.refresh_from_db()
    assert existing.name == "平湖庚辛有限公司"
    assert len(report.warnings) == 1
    assert "平湖庚辛有限公司" in report.warnings[0]
    assert "平湖庚辛有限责任公司" in report.warnings[0]
    assert mentions_row(report.warnings[0], 2)


def test_both_company_forms_in_one_file_are_two_firms_with_a_warning(staff):
    rows = enterprise_rows({"name": "平湖壬癸有限责任公司"}, {"name": "平湖壬癸有限公司", "near_name_confirmed": "是"})

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.totals == {"new": 2}
    assert len(report.warnings) == 1
    assert mentions_row(report.warnings[0], 2) and mentions_row(report.warnings[0], 3)


def test_no_company_form_warning_for_an_exact_match(staff):
    EnterpriseFactory(name="平湖庚辛有限公司", credit_code=None)
    EnterpriseFactory(name="平湖庚辛有限责任公司", credit_code=None)

    report = import_enterprises(xlsx_bytes(enterprise_rows({"name": "平湖庚辛有限公司", "address": "新"})), staff)

    assert report.ok, report.problems
    assert report.totals == {"update": 1}
    assert report.warnings == []


# ---------------------------------------------------------------- bad rows: all or nothing


@pytest.mark.parametrize(
    ("bad_code", "expected"),
    [
        (bad_check_character(CODE_B), "校验"),
        ("91330482123", "统一社会信用代码应为18位，当前为11位。"),
        (CODE_B[:17].replace("0", "O", 1) + CODE_B[17], "O"),
    ],
    ids=["check-character", "length", "letter-O"],
)
def test_a_bad_credit_code_is_one_problem_and_nothing_is_written(staff, bad_code, expected):
    rows = enterprise_rows(FIRM_A, {"name": "坏代码有限公司", "credit_code": bad_code}, FIRM_B)

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert not report.ok
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.row == 3
    assert problem.column == "统一社会信用代码"
    assert problem.value == bad_code
    assert CHINESE.search(problem.message)
    assert expected in problem.message
    assert Enterprise.objects.count() == 0
    assert Enterprise.history.count() == 0
    assert report.changes == []


def test_a_bad_row_on_a_later_import_leaves_the_existing_firms_untouched(staff):
    import_enterprises(xlsx_bytes(enterprise_rows(FIRM_A)), staff)
    rows = enterprise_rows(dict(FIRM_A, address="改过的地址"), {"name": "坏代码有限公司", "credit_code": "123"})

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert not report.ok
    assert Enterprise.objects.get().address == FIRM_A["address"]
    assert Enterprise.history.count() == 1


def test_problem_rows_are_the_excel_row_numbers_even_after_blank_rows(staff):
    rows = enterprise_rows(FIRM_A)
    rows += [[None] * len(ENTERPRISE_FIELDS), [""] * len(ENTERPRISE_FIELDS)]
    rows += enterprise_rows({"name": "坏代码有限公司", "credit_code": "123"})[1:]

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert [(problem.row, problem.column) for problem in report.problems] == [(5, "统一社会信用代码")]
    assert Enterprise.objects.count() == 0


def test_an_empty_name_is_reported(staff):
    rows = enterprise_rows(FIRM_A, {"name": None, "credit_code": CODE_B, "address": "无名"})

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert not report.ok
    assert [(problem.row, problem.column) for problem in report.problems] == [(3, "名称")]
    assert Enterprise.objects.count() == 0


def test_a_town_for_a_firm_outside_pinghu_is_reported(staff):
    rows = enterprise_rows({"name": "外地企业有限公司", "in_pinghu": "否", "town": "乍浦镇"})

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert not report.ok
    assert [problem.row for problem in report.problems] == [2]
    assert header(EnterpriseResource, "town") in {problem.column for problem in report.problems}
    assert Enterprise.objects.count() == 0


def test_rows_repeating_a_credit_code_are_reported_on_the_later_row(staff):
    rows = enterprise_rows(
        {"name": "重复代码一有限公司", "credit_code": CODE_A},
        FIRM_B,
        {"name": "重复代码二有限公司", "credit_code": CODE_A.lower()},
    )

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert not report.ok
    assert len(report.problems) == 1
    assert report.problems[0].row == 4
    assert mentions_row(report.problems[0].message, 2)
    assert CODE_A in report.problems[0].message
    assert Enterprise.objects.count() == 0


def test_rows_repeating_a_normalised_name_are_reported_on_the_later_row(staff):
    rows = enterprise_rows(
        {"name": "平湖（重复）有限公司", "address": "一"},
        {"name": "平湖(重复) 有限公司", "address": "二"},
    )

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert not report.ok
    assert len(report.problems) == 1
    assert report.problems[0].row == 3
    assert mentions_row(report.problems[0].message, 2)
    assert Enterprise.objects.count() == 0


def test_the_same_normalised_name_with_and_without_a_credit_code_is_a_repeat(staff):
    rows = enterprise_rows(
        {"name": "平湖（重复）有限公司", "credit_code": CODE_A},
        {"name": "平湖(重复)有限公司", "address": "二"},
    )

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert Enterprise.objects.count() == 0
    assert not report.ok
    assert report.problems[0].row == 3
    assert mentions_row(report.problems[0].message, 2)


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_files_in_gb18030_and_utf8_import(staff, encoding):
    data = csv_bytes(enterprise_rows(FIRM_A, FIRM_B), encoding=encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")

    report = import_enterprises(data, staff, filename="企业.csv")

    assert report.ok, report.problems
    assert report.totals == {"new": 2}
    firm = Enterprise.objects.get(credit_code=CODE_A)
    assert firm.name == "浙江甲乙精密机械有限公司"
    assert (firm.ownership, firm.above_size, firm.town) == ("domestic", True, "当湖街道")
    assert Enterprise.objects.get(name="日本丙丁株式会社").in_pinghu is False


def test_csv_problem_rows_are_line_numbers(staff):
    data = csv_bytes(enterprise_rows(FIRM_A, FIRM_B, {"name": "坏代码有限公司", "credit_code": "123"}))

    report = import_enterprises(data, staff, filename="企业.csv")

    assert [(problem.row, problem.column) for problem in report.problems] == [(4, "统一社会信用代码")]
    assert Enterprise.objects.count() == 0


def test_an_exported_style_csv_reimports_unchanged(staff):
    data = csv_bytes(enterprise_rows(FIRM_A, FIRM_C), encoding="gb18030")
    import_enterprises(data, staff, filename="企业.csv")

    report = import_enterprises(data, staff, filename="企业.csv")

    assert report.totals == {"skip": 2}


# ---------------------------------------------------------------- annual metrics


def metric(enterprise=None, credit_code=None, year=2024, **amounts):
    values = {
        "land_area": 50,
        "tax_paid": 600,
        "industrial_output": 12000,
        "revenue": 13000,
        "energy_use": 800,
        "employees": 120,
        "rd_spending": 300,
    }
    values.update(amounts)
    return {"enterprise": enterprise, "credit_code": credit_code, "year": year, **values}


@pytest.fixture
def firms():
    return (
        EnterpriseFactory(name="亩均甲有限公司", credit_code=CODE_A),
        EnterpriseFactory(name="亩均乙有限公司", credit_code=CODE_B),
        EnterpriseFactory(name="亩均丙有限公司", credit_code=CODE_C),
    )


def test_metrics_good_file_by_name_and_by_credit_code(staff, firms):
    a, b, c = firms
    rows = metric_rows(
        metric("亩均甲有限公司", tax_paid="1,234.5", energy_use=None, rd_spending=None),
        metric(None, CODE_B, year=2023, land_area=Decimal("20.5"), employees=80),
        metric("已改名的丙公司", CODE_C, year="2024"),
    )

    report = import_metrics(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.totals == {"new": 3}
    first = EnterpriseAnnualMetric.objects.get(enterprise=a)
    assert first.year == 2024
    assert first.land_area == Decimal("50")
    assert first.tax_paid == Decimal("1234.50")
    assert first.industrial_output == Decimal("12000")
    assert first.revenue == Decimal("13000")
    assert first.energy_use is None and first.rd_spending is None
    assert first.employees == 120
    second = EnterpriseAnnualMetric.objects.get(enterprise=b)
    assert (second.year, second.land_area, second.employees) == (2023, Decimal("20.50"), 80)
    third = EnterpriseAnnualMetric.objects.get(enterprise=c)
    assert (third.year, third.energy_use, third.rd_spending) == (2024, Decimal("800"), Decimal("300"))
    assert third.history.get().history_user == staff
    c.refresh_from_db()
    assert c.name == "亩均丙有限公司"  # a metric import never renames the firm


def test_metrics_enterprise_by_normalised_name(staff, firms):
    EnterpriseFactory(name="亩均（平湖）有限公司", credit_code=None)
    report = import_metrics(xlsx_bytes(metric_rows(metric("亩均(平湖) 有限公司"))), staff)

    assert report.ok, report.problems
    assert EnterpriseAnnualMetric.objects.get().enterprise.name == "亩均（平湖）有限公司"


def test_metrics_negative_amount_names_the_column(staff, firms):
    rows = metric_rows(metric("亩均甲有限公司"), metric("亩均乙有限公司", tax_paid=-5))

    report = import_metrics(xlsx_bytes(rows), staff)

    assert not report.ok
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "实缴税收（万元）", "-5")
    assert problem.column == header(EnterpriseMetricResource, "tax_paid")
    assert EnterpriseAnnualMetric.objects.count() == 0


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"year": "二〇二四年"}, "year"),
        ({"year": "abc"}, "year"),
        ({"year": 1999}, "year"),
        ({"year": 2024.5}, "year"),
        ({"land_area": 0}, "land_area"),
        ({"employees": "很多"}, "employees"),
        ({"revenue": "十万"}, "revenue"),
    ],
)
def test_metrics_bad_cells_are_reported_by_column(staff, firms, cells, column):
    rows = metric_rows(metric("亩均甲有限公司"), {**metric("亩均乙有限公司"), **cells})

    report = import_metrics(xlsx_bytes(rows), staff)

    assert not report.ok
    assert [(problem.row, problem.column) for problem in report.problems] == [
        (3, header(EnterpriseMetricResource, column))
    ]
    assert report.problems[0].message
    assert EnterpriseAnnualMetric.objects.count() == 0


def test_metrics_unknown_enterprise_and_unknown_code(staff, firms):
    unknown_code = make_credit_code(987654)
    rows = metric_rows(metric("不存在的企业有限公司"), metric(None, unknown_code))

    report = import_metrics(xlsx_bytes(rows), staff)

    assert not report.ok
    assert {(problem.row, problem.column) for problem in report.problems} == {(2, "企业"), (3, "企业")}
    messages = {row: " ".join(p.message for p in report.problems if p.row == row) for row in (2, 3)}
    assert "不存在的企业有限公司" in messages[2]
    assert unknown_code in messages[3]
    assert EnterpriseAnnualMetric.objects.count() == 0


def test_metrics_unknown_enterprise_is_one_problem_per_row(staff, firms):
    rows = metric_rows(metric("不存在的企业有限公司"), metric(None, make_credit_code(987654)))

    report = import_metrics(xlsx_bytes(rows), staff)

    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "企业"), (3, "企业")]


def test_metrics_unknown_name_hints_at_the_other_company_form(staff, firms):
    report = import_metrics(xlsx_bytes(metric_rows(metric("亩均甲有限责任公司"))), staff)

    assert not report.ok
    assert "亩均甲有限公司" in report.problems[0].message


def test_metrics_reimport_skips_and_an_edited_value_updates(staff, firms):
    a, b, _c = firms
    first = [metric("亩均甲有限公司", land_area="12.5", revenue="1,300.10"), metric("亩均乙有限公司", year=2023)]
    assert import_metrics(xlsx_bytes(metric_rows(*first)), staff).totals == {"new": 2}

    again = import_metrics(xlsx_bytes(metric_rows(*first)), staff)
    assert again.ok, again.problems
    assert again.totals == {"skip": 2}
    assert EnterpriseAnnualMetric.history.count() == 2

    edited = [
        metric("亩均甲有限公司", land_area=12.5, revenue=1300.1),  # the same figures, typed as numbers
        metric(None, CODE_B, year=2023, tax_paid="700.00"),
    ]
    report = import_metrics(xlsx_bytes(metric_rows(*edited)), staff, filename="更正亩均.xlsx")

    assert report.ok, report.problems
    assert report.totals == {"update": 1, "skip": 1}
    assert EnterpriseAnnualMetric.objects.count() == 2
    changed = EnterpriseAnnualMetric.objects.get(enterprise=b, year=2023)
    assert changed.tax_paid == Decimal("700")
    assert EnterpriseAnnualMetric.objects.get(enterprise=a).tax_paid == Decimal("600")
    latest = changed.history.first()
    assert (latest.history_type, latest.history_user) == ("~", staff)
    assert "更正亩均.xlsx" in latest.history_change_reason


def test_metrics_update_a_figure_entered_before(staff, firms):
    a = firms[0]
    existing = EnterpriseAnnualMetricFactory(enterprise=a, year=2024, employees=100)

    report = import_metrics(xlsx_bytes(metric_rows(metric("亩均甲有限公司", employees=150))), staff)

    assert report.ok, report.problems
    assert report.totals == {"update": 1}
    existing.refresh_from_db()
    assert existing.employees == 150
    assert existing.land_area == Decimal("50")


def test_metrics_same_firm_and_year_twice_is_reported(staff, firms):
    rows = metric_rows(
        metric("亩均甲有限公司"),
        metric("亩均乙有限公司"),
        metric(None, CODE_A, tax_paid=10),  # the first firm again, by its code
    )

    report = import_metrics(xlsx_bytes(rows), staff)

    assert not report.ok
    assert len(report.problems) == 1
    assert report.problems[0].row == 4
    assert mentions_row(report.problems[0].message, 2)
    assert "亩均甲有限公司" in report.problems[0].message
    assert EnterpriseAnnualMetric.objects.count() == 0


def test_metrics_same_firm_in_two_years_is_not_a_repeat(staff, firms):
    rows = metric_rows(metric("亩均甲有限公司", year=2023), metric("亩均甲有限公司", year=2024))

    report = import_metrics(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert sorted(EnterpriseAnnualMetric.objects.values_list("year", flat=True)) == [2023, 2024]


def test_metrics_export_only_columns_are_ignored_without_a_warning(staff, firms):
    rows = metric_rows(metric("亩均甲有限公司"))
    rows[0].append("亩均税收（万元/亩）")
    rows[1].append("999")

    report = import_metrics(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.warnings == []
    assert EnterpriseAnnualMetric.objects.count() == 1


# ---------------------------------------------------------------- the whole file refused


def _header_only():
    return xlsx_bytes(enterprise_rows()), "企业.xlsx", "没有数据行"


FILE_REFUSALS = {
    "text-file": lambda: (b"name,address\nx,y\n", "企业.txt", "企业.txt"),
    "not-a-workbook": lambda: (b"PK\x03\x04 this is not a workbook", "企业.xlsx", "企业.xlsx"),
    "empty-xlsx": lambda: (b"", "企业.xlsx", "空"),
    "empty-csv": lambda: (b"  \n", "企业.csv", "空"),
    "header-only-xlsx": _header_only,
    "header-only-csv": lambda: (csv_bytes(enterprise_rows()), "企业.csv", "没有数据行"),
    "blank-rows-only": lambda: (
        xlsx_bytes(enterprise_rows() + [[None] * len(ENTERPRISE_FIELDS)] * 3),
        "企业.xlsx",
        "没有数据行",
    ),
    "missing-required-column": lambda: (
        xlsx_bytes([["简称", "地址"], ["甲", "某路1号"]]),
        "企业.xlsx",
        "名称",
    ),
    "data-on-the-second-sheet": lambda: (
        xlsx_bytes(enterprise_rows(FIRM_A), sheet="企业名录", before={"填表说明": [["请按模板填写"], ["第二行"]]}),
        "企业.xlsx",
        "企业名录",
    ),
    "a-column-twice": lambda: (
        xlsx_bytes([["名称", "地址", "name"], ["甲有限公司", "路", "甲有限公司"]]),
        "企业.xlsx",
        "名称",
    ),
}


@pytest.mark.parametrize("make", FILE_REFUSALS.values(), ids=FILE_REFUSALS.keys())
def test_a_refused_file_is_one_whole_file_problem_and_writes_nothing(staff, make):
    data, filename, expected = make()

    report = import_enterprises(data, staff, filename=filename)

    assert not report.ok
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.row, problem.column, problem.value) == (0, "", "")
    assert expected in problem.message
    assert report.totals == {}
    assert Enterprise.objects.count() == 0


def test_the_missing_column_message_names_every_missing_metric_column(staff, firms):
    rows = [[header(EnterpriseMetricResource, "enterprise"), header(EnterpriseMetricResource, "year")]]
    rows.append(["亩均甲有限公司", 2024])

    report = import_metrics(xlsx_bytes(rows), staff)

    assert [problem.row for problem in report.problems] == [0]
    message = report.problems[0].message
    for name in ("land_area", "tax_paid", "industrial_output", "revenue", "employees"):
        assert header(EnterpriseMetricResource, name) in message
    assert header(EnterpriseMetricResource, "energy_use") not in message  # optional
    assert EnterpriseAnnualMetric.objects.count() == 0


def test_an_enterprise_sheet_given_as_metrics_is_refused(staff, firms):
    report = import_metrics(xlsx_bytes(enterprise_rows(FIRM_A)), staff)

    assert [problem.row for problem in report.problems] == [0]
    assert "年度" in report.problems[0].message
    assert EnterpriseAnnualMetric.objects.count() == 0


def test_a_file_over_the_row_limit_is_refused(staff, monkeypatch):
    monkeypatch.setattr("pinghu.imports.reading.MAX_ROWS", 3)
    records = [{"name": f"行数测试{n}有限公司"} for n in range(4)]

    report = import_enterprises(xlsx_bytes(enterprise_rows(*records)), staff)

    assert [(problem.row, problem.column) for problem in report.problems] == [(0, "")]
    assert "3" in report.problems[0].message
    assert Enterprise.objects.count() == 0


def test_a_file_at_the_row_limit_imports(staff, monkeypatch):
    monkeypatch.setattr("pinghu.imports.reading.MAX_ROWS", 3)
    records = [{"name": f"行数测试{n}有限公司"} for n in range(3)]
    rows = enterprise_rows(*records) + [[None] * len(ENTERPRISE_FIELDS)] * 5  # blank rows do not count

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert Enterprise.objects.count() == 3


def test_a_file_over_the_byte_limit_is_refused(staff, monkeypatch):
    data = xlsx_bytes(enterprise_rows(FIRM_A))
    monkeypatch.setattr("pinghu.imports.reading.MAX_BYTES", len(data) - 1)

    report = import_enterprises(data, staff)

    assert [(problem.row, problem.column) for problem in report.problems] == [(0, "")]
    assert "MB" in report.problems[0].message
    assert Enterprise.objects.count() == 0


def test_a_file_at_the_byte_limit_imports(staff, monkeypatch):
    data = xlsx_bytes(enterprise_rows(FIRM_A))
    monkeypatch.setattr("pinghu.imports.reading.MAX_BYTES", len(data))

    report = import_enterprises(data, staff)

    assert report.ok, report.problems
    assert Enterprise.objects.count() == 1


def test_an_unknown_extra_column_is_only_a_warning(staff):
    rows = enterprise_rows(FIRM_A)
    rows[0].append("备注")
    rows[1].append("老客户")

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.totals == {"new": 1}
    assert len(report.warnings) == 1
    assert "备注" in report.warnings[0]
    assert Enterprise.objects.get().name == FIRM_A["name"]


def test_english_headers_import_too(staff):
    rows = [["name", "unified social credit code", "ownership", "town"], ["英文表头有限公司", CODE_A, "内资", "乍浦镇"]]

    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert report.warnings == []
    firm = Enterprise.objects.get()
    assert (firm.name, firm.credit_code, firm.ownership, firm.town) == (
        "英文表头有限公司",
        CODE_A,
        "domestic",
        "乍浦镇",
    )


# ---------------------------------------------------------------- the import_data command


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_prints_the_totals(staff, tmp_path):
    path = tmp_path / "企业名录.xlsx"
    path.write_bytes(xlsx_bytes(enterprise_rows(FIRM_A, FIRM_B)))

    out, _err = run_command(path, "--kind", "enterprises", "--user", staff.username)

    assert "新增 2" in out
    assert Enterprise.objects.count() == 2
    assert all(record.history_user == staff for record in Enterprise.history.all())
    assert all("企业名录.xlsx" in record.history_change_reason for record in Enterprise.history.all())

    out, _err = run_command(path, "--kind", "enterprises", "--user", staff.username)
    assert "未变 2" in out
    assert "新增" not in out
    assert Enterprise.history.count() == 2


def test_command_prints_warnings(staff, tmp_path):
    EnterpriseFactory(name="平湖庚辛有限公司", credit_code=None)
    path = tmp_path / "企业.csv"
    rows = enterprise_rows({"name": "平湖庚辛有限责任公司", "near_name_confirmed": "是"})
    path.write_bytes(csv_bytes(rows, encoding="gb18030"))

    out, _err = run_command(path, "--kind", "enterprises", "--user", staff.username)

    assert "平湖庚辛有限公司" in out
    assert Enterprise.objects.count() == 2


def test_command_dry_run_writes_nothing(staff, tmp_path):
    path = tmp_path / "企业.xlsx"
    path.write_bytes(xlsx_bytes(enterprise_rows(FIRM_A, FIRM_B)))

    out, _err = run_command(path, "--kind", "enterprises", "--user", staff.username, "--dry-run")

    assert "新增 2" in out
    assert "试运行" in out
    assert Enterprise.objects.count() == 0
    assert Enterprise.history.count() == 0


def test_command_metrics(staff, firms, tmp_path):
    path = tmp_path / "亩均.xlsx"
    path.write_bytes(xlsx_bytes(metric_rows(metric("亩均甲有限公司"), metric(None, CODE_B))))

    out, _err = run_command(path, "--kind", "metrics", "--user", staff.username)

    assert "新增 2" in out
    assert EnterpriseAnnualMetric.objects.count() == 2


def test_command_bad_file_raises_and_writes_nothing(staff, tmp_path):
    path = tmp_path / "企业.xlsx"
    path.write_bytes(xlsx_bytes(enterprise_rows(FIRM_A, {"name": "坏代码有限公司", "credit_code": "123"})))
    err = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command(
            "import_data",
            str(path),
            "--kind",
            "enterprises",
            "--user",
            staff.username,
            stdout=io.StringIO(),
            stderr=err,
        )

    assert "1 个问题" in str(raised.value)
    assert "第 3 行" in err.getvalue()
    assert "统一社会信用代码" in err.getvalue()
    assert "«123»" in err.getvalue()
    assert Enterprise.objects.count() == 0


def test_command_refused_file_raises(staff, tmp_path):
    path = tmp_path / "企业.txt"
    path.write_text("名称\n甲有限公司\n")

    with pytest.raises(CommandError):
        run_command(path, "--kind", "enterprises", "--user", staff.username)
    assert Enterprise.objects.count() == 0


def test_command_missing_file_raises(staff, tmp_path):
    with pytest.raises(CommandError, match="不存在|No such file"):
        run_command(tmp_path / "没有.xlsx", "--kind", "enterprises", "--user", staff.username)


def test_command_needs_a_user(tmp_path):
    path = tmp_path / "企业.xlsx"
    path.write_bytes(xlsx_bytes(enterprise_rows(FIRM_A)))

    with pytest.raises(CommandError, match="--user"):
        run_command(path, "--kind", "enterprises")
    assert Enterprise.objects.count() == 0


def test_command_unknown_or_inactive_user_raises(tmp_path):
    UserFactory(username="gone", is_active=False, roles=[Role.BUREAU_STAFF])
    path = tmp_path / "企业.xlsx"
    path.write_bytes(xlsx_bytes(enterprise_rows(FIRM_A)))

    for name in ("nobody", "gone"):
        with pytest.raises(CommandError, match=name):
            run_command(path, "--kind", "enterprises", "--user", name)
    assert Enterprise.objects.count() == 0


def test_command_user_without_the_import_role_raises(tmp_path):
    official = UserFactory(username="official", roles=[Role.OFFICIAL])
    path = tmp_path / "企业.xlsx"
    path.write_bytes(xlsx_bytes(enterprise_rows(FIRM_A)))

    with pytest.raises(CommandError, match="official"):
        run_command(path, "--kind", "enterprises", "--user", official.username)
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "resource_class"), [("enterprises", EnterpriseResource), ("metrics", EnterpriseMetricResource)]
)
def test_command_template_writes_the_headers(tmp_path, kind, resource_class):
    path = tmp_path / "模板.xlsx"

    run_command(path, "--kind", kind, "--template")

    book = load_workbook(path, read_only=True)
    first_row = next(book.worksheets[0].iter_rows(values_only=True))
    expected = [str(resource_field.column_name) for resource_field in resource_class().get_import_fields()]
    assert list(first_row) == expected
    if kind == "enterprises":
        assert expected == [header(EnterpriseResource, name) for name in ENTERPRISE_FIELDS]


def test_a_filled_in_template_imports(staff, tmp_path):
    path = tmp_path / "模板.xlsx"
    run_command(path, "--kind", "enterprises", "--template")
    book = load_workbook(path)
    book.worksheets[0].append([FIRM_A.get(name) for name in ENTERPRISE_FIELDS])
    book.save(path)

    run_command(path, "--kind", "enterprises", "--user", staff.username)

    assert Enterprise.objects.get().credit_code == CODE_A


def test_a_name_matching_two_firms_on_record_is_a_problem_not_a_third_firm(staff):
    EnterpriseFactory(name="平湖(甲)科技有限公司", credit_code=None)
    EnterpriseFactory(name="平湖（甲）科技有限公司", credit_code=None)
    report = import_enterprises(xlsx_bytes(enterprise_rows({"name": "平湖 (甲) 科技有限公司"})), staff)

    assert [(problem.row, problem.column) for problem in report.problems] == [(2, header(EnterpriseResource, "name"))]
    assert "统一社会信用代码" in report.problems[0].message
    assert Enterprise.objects.count() == 2


def test_industry_leader_imports_yes_no_and_unknown(staff):
    """国际行业龙头 (issue 16): 是/否 are known, 未知 or an empty cell is unknown (None)."""
    rows = enterprise_rows(
        {"name": "龙头企业有限公司", "industry_leader": "是"},
        {"name": "非龙头企业有限公司", "industry_leader": "否"},
        {"name": "不详企业有限公司", "industry_leader": "未知"},
        {"name": "空白龙头企业有限公司", "industry_leader": None},
    )
    report = import_enterprises(xlsx_bytes(rows), staff)

    assert report.ok, report.problems
    assert dict(Enterprise.objects.values_list("name", "industry_leader")) == {
        "龙头企业有限公司": True,
        "非龙头企业有限公司": False,
        "不详企业有限公司": None,
        "空白龙头企业有限公司": None,
    }
