"""Importing projects and visits (projects.imports): real files, the services, the report, the admin steps."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pinghu.imports import run_import
from pinghu.permissions import Role
from projects.imports import ProjectResource, VisitResource
from projects.models import InvestmentVisit, Project, ProjectStageChange
from projects.rollups import rollup_differences
from projects.services import project_create
from tests.factories import (
    ChainFactory,
    EnterpriseFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    SigningEventFactory,
    UserFactory,
    unit_named,
)
from tests.importfiles import csv_bytes, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_uploads")]


@pytest.fixture
def world():
    class World:
        bureau = UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])
        official = UserFactory(username="official", roles=[Role.OFFICIAL])
        nev = ChainFactory(code="nev", name="新能源汽车及零部件")
        optics = ChainFactory(code="optics", name="光机电")
        investor = EnterpriseFactory(name="嘉兴甲科技有限公司")
        other = EnterpriseFactory(name="平湖乙制造有限公司")
        zhang = LeaderFactory(name="张三")
        li = LeaderFactory(name="李四")
        units = [unit_named(name) for name in ("经信局", "商务局", "科技局")]

    return World()


def headers(resource) -> list[str]:
    return [str(field.column_name) for field in resource.get_import_fields()]


def sheet(resource, *rows: dict) -> list[list]:
    """Rows given by field name (``{"name": …, "chain": …}``) under the resource's Chinese headers."""
    names = [resource.get_field_name(field) for field in resource.get_import_fields()]
    return [headers(resource), *[[row.get(name) for name in names] for row in rows]]


def project_row(**values) -> dict:
    row = {
        "name": "新能源电池项目",
        "chain": "nev",
        "investor": "嘉兴甲科技有限公司",
        "stage": "线索",
        "total_investment": 50000,
        "first_contact_date": datetime.date(2024, 1, 10),
    }
    row.update(values)
    return row


def import_projects(data: bytes, user, name="projects.xlsx", dry_run=False):
    return run_import(ProjectResource(), data, name, user=user, dry_run=dry_run)


def messages(report) -> list[tuple]:
    return [(problem.row, problem.column, problem.value, problem.message) for problem in report.problems]


# ---------------------------------------------------------------- projects


def test_a_good_file_creates_projects_through_the_services(world):
    data = xlsx_bytes(
        sheet(
            ProjectResource(),
            project_row(),
            project_row(
                name="光学镜头项目",
                chain="光机电",  # by name
                investor="嘉兴甲科技有限公司 ",  # spaces do not count
                stage="签约",
                signed_date="2024/3/1",
                total_investment="12,000.50",
                source="中介机构",
                is_capital_increase="是",
                town="乍浦镇",
            ),
        )
    )
    report = import_projects(data, world.bureau)

    assert report.ok, report.problems
    assert report.totals == {"new": 2}
    lead = Project.objects.get(name="新能源电池项目")
    signed = Project.objects.get(name="光学镜头项目")
    assert (lead.chain, lead.investor, lead.stage, lead.total_investment) == (
        world.nev,
        world.investor,
        "lead",
        Decimal("50000.00"),
    )
    assert (signed.chain, signed.stage, signed.signed_date, signed.total_investment) == (
        world.optics,
        "signed",
        datetime.date(2024, 3, 1),
        Decimal("12000.50"),
    )
    assert (signed.source, signed.is_capital_increase, signed.town) == ("agency", True, "乍浦镇")
    assert signed.created_by == world.bureau
    # project_create's rules: a first stage change on the stage's date, by the importing user.
    change = ProjectStageChange.objects.get(project=signed)
    assert (change.from_stage, change.to_stage, change.at, change.by) == (
        "",
        "signed",
        datetime.date(2024, 3, 1),
        world.bureau,
    )
    # Every change is in the audit history, attributed to the importing user and the file.
    for record in [*Project.history.all(), *ProjectStageChange.history.all()]:
        assert record.history_user == world.bureau
        assert "projects.xlsx" in record.history_change_reason
    assert Project.history.count() == 2 and ProjectStageChange.history.count() == 2
    assert not any(rollup_differences().values())


def test_the_export_re_imports_without_changing_anything(world, admin_client):
    project_create(project=Project(**_project_fields(world)), by=world.bureau)
    signed = project_create(
        project=Project(
            **_project_fields(world, name="已签约项目", stage="signed", signed_date=datetime.date(2024, 2, 1))
        ),
        by=world.bureau,
    )
    signed.foreign_investment = Decimal("12.5")
    signed.save()
    history = Project.history.count()
    for export_format in ("xlsx", "csv"):
        response = admin_client.get("/api/v1/projects/", {"format": export_format})
        data = b"".join(response.streaming_content) if response.streaming else response.getvalue()
        report = import_projects(data, world.bureau, name=f"export.{export_format}")
        assert report.ok, report.problems
        assert report.totals == {"skip": 2}, export_format
    assert Project.history.count() == history
    assert Project.objects.count() == 2


def _project_fields(world, **values) -> dict:
    fields = {
        "name": "导出项目",
        "chain": world.nev,
        "investor": world.investor,
        "total_investment": Decimal("800"),
        "first_contact_date": datetime.date(2024, 1, 5),
    }
    fields.update(values)
    return fields


def test_an_edited_file_updates_the_matched_rows_and_never_duplicates(world):
    first = import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(), project_row(name="第二个项目"))), world.bureau
    )
    assert first.totals == {"new": 2}
    project = Project.objects.get(name="新能源电池项目")
    # Matched by ID (renamed) and by name and investor (amount changed, stage moved forward).
    edited = sheet(
        ProjectResource(),
        project_row(id=project.pk, name="新能源电池项目（一期）", total_investment=60000),
        project_row(name="第二个项目", stage="签约", signed_date=datetime.date(2024, 4, 2)),
    )
    report = import_projects(xlsx_bytes(edited), world.bureau, name="edited.xlsx")

    assert report.ok, report.problems
    assert report.totals == {"update": 2}
    assert Project.objects.count() == 2
    project.refresh_from_db()
    assert (project.name, project.total_investment) == ("新能源电池项目（一期）", Decimal("60000.00"))
    second = Project.objects.get(name="第二个项目")
    assert (second.stage, second.signed_date) == ("signed", datetime.date(2024, 4, 2))
    # The stage moved through a transition: a stage change on the signed date, by the importing user.
    moves = list(second.stage_changes.values_list("from_stage", "to_stage", "at", "by"))
    assert moves == [
        ("", "lead", datetime.date(2024, 1, 10), world.bureau.pk),
        ("lead", "signed", datetime.date(2024, 4, 2), world.bureau.pk),
    ]
    assert second.history.latest().history_user == world.bureau
    changed = {change.row: change.fields for change in report.changes}
    assert ("名称", "新能源电池项目", "新能源电池项目（一期）") in changed[2]
    assert not any(rollup_differences().values())


@pytest.mark.parametrize(
    ("values", "column", "value", "message"),
    [
        ({"chain": "不存在的链"}, "产业链", "不存在的链", "产业链"),
        ({"first_contact_date": "2024-13-45"}, "首次接触日期", "2024-13-45", "日期"),
        ({"total_investment": -5}, "总投资（万元）", "-5", "0"),
        ({"total_investment": "很多"}, "总投资（万元）", "很多", "数"),
        (
            {
                "stage": "投产",
                "signed_date": "2024-05-01",
                "registered_date": "2024-04-01",
                "construction_date": "2024-06-01",
                "production_date": "2024-07-01",
            },
            "注册日期",
            "",
            "",
        ),
        ({"investor": "嘉兴甲科技有限责任公司"}, "投资方", "嘉兴甲科技有限责任公司", "有限公司"),
        ({"stage": "无此阶段"}, "阶段", "无此阶段", "线索"),
        ({"signed_date": "2024-03-01"}, "签约日期", "", ""),
    ],
    ids=[
        "unknown chain",
        "bad date",
        "negative amount",
        "not a number",
        "stage dates out of order",
        "near name",
        "bad stage",
        "date before its stage",
    ],
)
def test_each_bad_row_is_reported_and_nothing_is_written(world, values, column, value, message):
    data = xlsx_bytes(sheet(ProjectResource(), project_row(name="好的项目"), project_row(**values)))
    report = import_projects(data, world.bureau)

    assert not report.ok
    problems = [problem for problem in report.problems if problem.row == 3]
    assert problems, report.problems
    assert all(problem.row != 2 for problem in report.problems)  # the good row has none
    assert any(problem.column == column for problem in problems), problems
    if value:
        assert any(problem.value == value for problem in problems), problems
    if message:
        assert any(message in problem.message for problem in problems), problems
    assert re.search(r"[\u4e00-\u9fff]", problems[0].message), "messages are in Chinese"
    assert not Project.objects.exists()  # all or nothing: the good row is not written either
    assert not ProjectStageChange.objects.exists() and not Project.history.exists()


def test_a_backwards_stage_is_refused_with_the_transition_rule(world):
    import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(stage="签约", signed_date="2024-02-01"))), world.bureau
    )
    report = import_projects(xlsx_bytes(sheet(ProjectResource(), project_row(stage="线索"))), world.bureau)
    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "阶段")]
    assert Project.objects.get().stage == "signed"


def test_duplicate_rows_in_the_file_are_refused(world):
    report = import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(), project_row(total_investment=1))), world.bureau
    )
    assert [
        (problem.row, "第 2 行" in problem.message or "row 2" in problem.message) for problem in report.problems
    ] == [(3, True)]
    assert not Project.objects.exists()


def test_an_unknown_id_is_refused_rather_than_created(world):
    report = import_projects(xlsx_bytes(sheet(ProjectResource(), project_row(id=999999))), world.bureau)
    assert [(problem.row, problem.column, problem.value) for problem in report.problems] == [(2, "ID", "999999")]


def test_a_dry_run_writes_nothing(world):
    report = import_projects(xlsx_bytes(sheet(ProjectResource(), project_row())), world.bureau, dry_run=True)
    assert report.ok and report.totals == {"new": 1}
    assert not Project.objects.exists() and not Project.history.exists()


def test_a_dropped_project_is_created_then_dropped(world):
    report = import_projects(xlsx_bytes(sheet(ProjectResource(), project_row(stage="终止"))), world.bureau)
    assert report.ok, report.problems
    project = Project.objects.get()
    assert project.stage == "dropped"
    assert list(project.stage_changes.values_list("to_stage", flat=True)) == ["lead", "dropped"]


def test_new_projects_cost_two_queries_a_row_at_most(world):
    def queries(count: int, offset: int) -> int:
        rows = [project_row(name=f"项目{offset + number}") for number in range(count)]
        data = xlsx_bytes(sheet(ProjectResource(), *rows))
        with CaptureQueriesContext(connection) as captured:
            report = import_projects(data, world.bureau)
        assert report.totals == {"new": count}
        return len(captured)

    small, large = queries(10, 0), queries(30, 100)
    # Each row has its savepoint (two statements); the projects, stage changes and history are written set-based.
    assert large - small <= 2 * 20 + 2, (small, large)


# ---------------------------------------------------------------- visits


def visit_row(**values) -> dict:
    row = {
        "date": "2024-03-02",
        "enterprise": "平湖乙制造有限公司",
        "leaders": "张三、李四",
        "chains": "nev",
        "host_unit": "经信局",
        "purpose": "洽谈扩产",
    }
    row.update(values)
    return row


def test_visits_import_with_leaders_and_chains(world):
    report = run_import(
        VisitResource(), xlsx_bytes(sheet(VisitResource(), visit_row())), "v.xlsx", user=world.bureau, dry_run=False
    )
    assert report.ok, report.problems
    visit = InvestmentVisit.objects.get()
    assert (visit.date, visit.enterprise, visit.recorded_by) == (datetime.date(2024, 3, 2), world.other, world.bureau)
    assert set(visit.leaders.all()) == {world.zhang, world.li}
    assert list(visit.chains.all()) == [world.nev]
    visit.refresh_from_db()
    assert visit.leader_count == 2
    record = visit.history.get()  # one record, with the links as they were (restore needs them)
    assert (record.history_type, record.history_user) == ("+", world.bureau)
    assert {link.leader_id for link in record.leaders.all()} == {world.zhang.pk, world.li.pk}
    assert [link.chain_id for link in record.chains.all()] == [world.nev.pk]
    assert not any(rollup_differences().values())


def test_the_visit_export_re_imports_and_an_edit_updates(world, admin_client):
    # Text the export guards against running as a formula ('-…, '=…) comes back as it was.
    visit = InvestmentVisitFactory(
        enterprise=world.other,
        leaders=[world.zhang],
        chains=[world.nev, world.optics],
        purpose="-洽谈二期",
        outcome="=达成意向",
    )
    response = admin_client.get("/api/v1/visits/", {"format": "csv"})
    data = b"".join(response.streaming_content)
    assert "张三" in data.decode("utf-8-sig") and "'-洽谈二期" in data.decode("utf-8-sig")
    report = run_import(VisitResource(), data, "v.csv", user=world.bureau, dry_run=False)
    assert report.ok and report.totals == {"skip": 1}, report.problems

    edited = data.decode("utf-8-sig").replace("张三", "张三、李四").encode("utf-8-sig")
    report = run_import(VisitResource(), edited, "v.csv", user=world.bureau, dry_run=False)
    assert report.ok and report.totals == {"update": 1}, report.problems
    assert set(visit.leaders.all()) == {world.zhang, world.li}
    assert InvestmentVisit.objects.count() == 1
    assert [change.fields[0][0] for change in report.changes] == ["领导"]


def test_bad_visit_rows_are_reported(world):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    data = csv_bytes(
        sheet(
            VisitResource(),
            visit_row(leaders="王五"),
            visit_row(date=future, host_unit="商务局"),
            visit_row(leaders="", host_unit="科技局"),
        )
    )
    report = run_import(VisitResource(), data, "v.csv", user=world.bureau, dry_run=False)
    got = {(problem.row, problem.column) for problem in report.problems}
    assert got == {(2, "领导"), (3, "日期"), (4, "领导")}, report.problems
    assert not InvestmentVisit.objects.exists()


# ---------------------------------------------------------------- the admin's upload, preview and confirm


def upload(client, url, data: bytes, name: str):
    return client.post(url, {"import_file": SimpleUploadedFile(name, data), "resource": "0"})


def test_admin_preview_then_confirm(world):
    client = Client()
    client.force_login(world.bureau)
    url = "/admin/projects/project/import/"
    assert client.get("/admin/projects/project/").content.decode().count(url) == 1

    response = upload(client, url, xlsx_bytes(sheet(ProjectResource(), project_row())), "p.xlsx")
    assert response.status_code == 200
    assert response.context["report"].ok and response.context["result"].totals["new"] == 1
    assert not Project.objects.exists()  # the preview writes nothing
    confirm = response.context["confirm_form"].initial
    response = client.post("/admin/projects/project/process_import/", confirm)
    assert response.status_code == 302
    assert Project.objects.get().created_by == world.bureau
    assert Project.history.get().history_user == world.bureau
    # A second click on "confirm" finds the file gone and writes nothing twice.
    response = client.post("/admin/projects/project/process_import/", confirm, follow=True)
    assert "上传的文件已不再保留，请重新上传。" in [str(message) for message in response.context["messages"]]
    assert Project.objects.count() == 1


def test_admin_preview_lists_the_problems(world):
    client = Client()
    client.force_login(world.bureau)
    data = xlsx_bytes(sheet(ProjectResource(), project_row(chain="不存在的链")))
    response = upload(client, "/admin/projects/project/import/", data, "p.xlsx")
    page = response.content.decode()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "不存在的链" in page and "产业链" in page
    assert not Project.objects.exists()


def test_admin_refuses_other_files_and_offers_the_template(world):
    client = Client()
    client.force_login(world.bureau)
    response = upload(client, "/admin/projects/project/import/", b"name\n", "p.txt")
    assert "p.txt" in response.context["form"].errors["import_file"][0]
    template = client.get("/admin/projects/project/import/template/")
    assert template.status_code == 200 and template["Content-Disposition"].endswith('.xlsx"')
    import io

    from openpyxl import load_workbook

    first_row = next(load_workbook(io.BytesIO(template.content)).worksheets[0].iter_rows(values_only=True))
    assert list(first_row) == headers(ProjectResource())


@pytest.mark.parametrize(
    ("role", "status"), [(Role.BUREAU_STAFF, 200), (Role.ADMIN, 200), (Role.OFFICIAL, 403), (Role.CHAIN_LEADER, 403)]
)
def test_admin_import_is_for_bureau_staff_and_admins(role, status):
    client = Client()
    client.force_login(UserFactory(roles=[role]))
    for url in [
        "/admin/projects/project/import/",
        "/admin/chains/enterprise/import/",
        "/admin/projects/project/import/template/",
    ]:
        assert client.get(url).status_code == status, url


def test_admin_confirm_refuses_when_the_data_changed_since_the_preview(world):
    client = Client()
    client.force_login(world.bureau)
    response = upload(
        client, "/admin/projects/project/import/", xlsx_bytes(sheet(ProjectResource(), project_row())), "p.xlsx"
    )
    confirm = response.context["confirm_form"].initial
    world.investor.delete()  # gone between the preview and the confirmation

    response = client.post("/admin/projects/project/process_import/", confirm, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/projects/project/import/"
    shown = [str(message) for message in response.context["messages"]]
    assert any("投资方" in message and "嘉兴甲科技有限公司" in message for message in shown), shown
    assert "导入被拒绝，未写入任何数据。" in shown
    assert not Project.objects.exists()


def test_the_command_lists_each_change_at_verbosity_two(world, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    import_projects(xlsx_bytes(sheet(ProjectResource(), project_row())), world.bureau)
    path = tmp_path / "edited.xlsx"
    path.write_bytes(
        xlsx_bytes(sheet(ProjectResource(), project_row(total_investment=70000), project_row(name="新项目")))
    )
    out = StringIO()
    call_command("import_data", str(path), "--kind", "projects", "--user", "bureau", "-v", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert "第 2 行 · 更新 · 新能源电池项目 · 总投资（万元）：50000.00 → 70000" in lines
    assert "第 3 行 · 新增 · 新项目" in lines
    assert lines[-1] == "导入完成：新增 1，更新 1"


def test_new_visits_cost_a_few_queries_a_row(world):
    def queries(count: int, offset: int) -> int:
        rows = [visit_row(host_unit=unit_named(f"单位{offset + number}").name) for number in range(count)]
        data = xlsx_bytes(sheet(VisitResource(), *rows))
        with CaptureQueriesContext(connection) as captured:
            report = run_import(VisitResource(), data, "v.xlsx", user=world.bureau, dry_run=False)
        assert report.totals == {"new": count}, report.problems
        return len(captured)

    small, large = queries(10, 0), queries(30, 100)
    # Per row: its savepoint and the visit's two check constraints, each in a savepoint of its own (the
    # visited firms are read with the file's others); the visits, their links and their history (with
    # the links) are written set-based after the last row.
    assert large - small <= 8 * 20 + 2, (small, large)


# ---------------------------------------------------------------- found in review: each failed before its fix


def test_a_blank_date_cell_keeps_the_date_on_record(world):
    row = project_row(first_contact_date=None)
    assert import_projects(xlsx_bytes(sheet(ProjectResource(), row)), world.bureau).totals == {"new": 1}
    recorded = Project.objects.get().first_contact_date
    assert recorded is not None  # project_create's rule: today for a new lead
    report = import_projects(xlsx_bytes(sheet(ProjectResource(), row)), world.bureau)
    assert report.totals == {"skip": 1}, report.changes
    assert Project.objects.get().first_contact_date == recorded


def test_moving_an_existing_project_to_a_dated_stage_needs_the_date(world):
    import_projects(xlsx_bytes(sheet(ProjectResource(), project_row())), world.bureau)
    report = import_projects(xlsx_bytes(sheet(ProjectResource(), project_row(stage="签约"))), world.bureau)
    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "签约日期")]
    assert Project.objects.get().stage == "lead"


@pytest.mark.parametrize("name", ["abc电池项目", "ＡＢＣ电池项目", "ABC 电池项目"])
def test_a_project_name_differing_only_in_width_case_or_spaces_is_the_same_project(world, name):
    import_projects(xlsx_bytes(sheet(ProjectResource(), project_row(name="ABC电池项目"))), world.bureau)
    report = import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(name=name, total_investment=1))), world.bureau
    )
    assert report.ok and report.totals == {"update": 1}, report.problems
    assert Project.objects.count() == 1


def test_exports_re_import_when_leaders_or_conferences_share_a_name(world, admin_client):
    namesake = LeaderFactory(name="张三", title="局长", unit="经信局")
    InvestmentVisitFactory(enterprise=world.other, leaders=[world.zhang, namesake])
    spring_2023 = SigningEventFactory(name="春季签约会", date=datetime.date(2023, 4, 1))
    spring_2024 = SigningEventFactory(name="春季签约会", date=datetime.date(2024, 4, 1))
    for event in (spring_2023, spring_2024):
        fields = _project_fields(
            world,
            name=f"签约项目{event.date.year}",
            stage="signed",
            signed_date=event.date,
            first_contact_date=datetime.date(2023, 1, 5),
        )
        project_create(project=Project(**fields, signing_event=event), by=world.bureau)

    for path, resource in (("/api/v1/visits/", VisitResource), ("/api/v1/projects/", ProjectResource)):
        data = b"".join(admin_client.get(path, {"format": "csv"}).streaming_content)
        report = run_import(resource(), data, "export.csv", user=world.bureau, dry_run=False)
        assert report.ok, (path, report.problems)
        assert set(report.totals) == {"skip"}, path


def test_a_stage_date_on_record_changes_only_with_a_stage_change(world):
    import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(stage="签约", signed_date="2024-02-01"))), world.bureau
    )
    report = import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(stage="签约", signed_date="2024-06-01"))), world.bureau
    )
    assert [(problem.row, problem.column, problem.value) for problem in report.problems] == [
        (2, "签约日期", "2024-06-01")
    ]
    assert Project.objects.get().signed_date == datetime.date(2024, 2, 1)


def test_a_conference_is_added_by_its_rules_and_never_removed(world):
    event = SigningEventFactory(name="园区签约会", date=datetime.date(2024, 5, 9))
    import_projects(xlsx_bytes(sheet(ProjectResource(), project_row())), world.bureau)
    # A lead signed at the conference: the service moves it to signed on the conference's date.
    report = import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(signing_event="园区签约会"))), world.bureau
    )
    assert report.ok, report.problems
    project = Project.objects.get()
    assert (project.stage, project.signed_date, project.signing_event) == ("signed", event.date, event)
    assert project.stage_changes.last().at == event.date
    report = import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(stage="签约", signed_date="2024-05-09"))), world.bureau
    )
    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "签约大会")]
    assert Project.objects.get().signing_event == event


def test_updating_projects_costs_a_few_queries_a_row(world):
    rows = [project_row(name=f"项目{number}") for number in range(50)]
    import_projects(xlsx_bytes(sheet(ProjectResource(), *rows)), world.bureau)

    def queries(count: int, amount: int) -> int:
        data = xlsx_bytes(sheet(ProjectResource(), *[dict(row, total_investment=amount) for row in rows[:count]]))
        with CaptureQueriesContext(connection) as captured:
            report = import_projects(data, world.bureau)
        assert report.totals == {"update": count}, report.problems
        return len(captured)

    small, large = queries(10, 1), queries(50, 2)
    # Rows are only checked while read (no savepoint, no statement); after the last one the projects are
    # written by one UPDATE … FROM VALUES per batch and their history by one INSERT … SELECT per 1,000
    # (5 queries a row before; 75 before that, with every check). A batch is 1,000 rows on PostgreSQL and
    # 999 parameters' worth on SQLite (34 rows of this resource's 29 columns): 50 rows are one more.
    batches = 0 if connection.vendor == "postgresql" else 1
    assert large - small <= batches, (small, large)
    assert Project.objects.filter(total_investment=2).count() == 50
    assert Project.history.filter(history_type="~", total_investment=2).count() == 50


def test_an_import_that_renames_a_project_refreshes_its_search_key(world):
    import_projects(xlsx_bytes(sheet(ProjectResource(), project_row())), world.bureau)
    project = Project.objects.get()
    report = import_projects(
        xlsx_bytes(sheet(ProjectResource(), project_row(id=project.pk, name="光伏组件项目"))), world.bureau
    )
    assert report.ok and report.totals == {"update": 1}, report.problems
    project.refresh_from_db()
    assert project.name == "光伏组件项目"
    assert "guangfuzujianxiangmu" in project.search_key and "xinneng" not in project.search_key


def test_multi_line_text_and_formula_guarded_names_re_import_unchanged(world, admin_client):
    firm = EnterpriseFactory(name="-号企业有限公司")
    InvestmentVisitFactory(enterprise=firm, leaders=[world.zhang], purpose="第一行\r\n第二行")
    response = admin_client.get("/api/v1/visits/", {"format": "xlsx"})
    data = b"".join(response.streaming_content) if response.streaming else response.getvalue()
    report = run_import(VisitResource(), data, "v.xlsx", user=world.bureau, dry_run=False)
    assert report.ok and report.totals == {"skip": 1}, (report.problems, report.changes)


def test_a_row_with_more_cells_than_headers_is_refused(world):
    rows = sheet(VisitResource(), visit_row())
    rows[1] = [*rows[1], "多出来的", "单元格"]
    report = run_import(VisitResource(), csv_bytes(rows), "v.csv", user=world.bureau, dry_run=False)
    assert [problem.row for problem in report.problems] == [2]
    assert "引号" in report.problems[0].message
    assert not InvestmentVisit.objects.exists()


def test_a_project_named_by_id_and_by_name_in_one_file_is_a_repeat(world):
    import_projects(xlsx_bytes(sheet(ProjectResource(), project_row())), world.bureau)
    project = Project.objects.get()
    rows = sheet(ProjectResource(), project_row(id=project.pk, total_investment=100), project_row(total_investment=200))
    report = import_projects(xlsx_bytes(rows), world.bureau)
    assert [problem.row for problem in report.problems] == [3]
    assert Project.objects.get().total_investment == Decimal("50000.00")


def test_a_bad_id_cell_is_a_problem_of_the_id_column(world):
    report = import_projects(xlsx_bytes(sheet(ProjectResource(), project_row(id="abc"))), world.bureau)
    assert [(problem.row, problem.column, problem.value) for problem in report.problems] == [(2, "ID", "abc")]
    assert "数据库" not in report.problems[0].message


def test_a_damaged_workbook_is_refused_and_an_altered_confirmation_asks_again(world, tmp_path):
    import io
    import zipfile

    good = xlsx_bytes(sheet(ProjectResource(), project_row()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, b"<broken" if item.filename.endswith("sheet1.xml") else content)
    report = import_projects(damaged.getvalue(), world.bureau)
    assert [(problem.row, problem.message) for problem in report.problems] == [
        (0, "“projects.xlsx”不是可读取的 Excel（.xlsx）文件。")
    ]

    client = Client()
    client.force_login(world.bureau)
    response = upload(client, "/admin/projects/project/import/", good, "p.xlsx")
    confirm = dict(response.context["confirm_form"].initial, format="1")  # CSV, though the file is Excel
    response = client.post("/admin/projects/project/process_import/", confirm, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/projects/project/import/"
    assert not Project.objects.exists()


def test_a_project_level_imports_with_its_year_and_is_refused_without(world):
    """Bands and levels (issue 16): a level by its Chinese name with its year; a level without a year is refused."""
    data = xlsx_bytes(sheet(ProjectResource(), project_row(name="省重大", level="省重大项目", level_year=2025)))
    report = import_projects(data, world.bureau)
    assert report.ok, report.problems
    assert Project.objects.values_list("level", "level_year").get() == ("provincial_major", 2025)

    data = xlsx_bytes(sheet(ProjectResource(), project_row(name="缺年份", level="平湖市重点项目")))
    report = import_projects(data, world.bureau)
    assert not report.ok
    assert any("列入年份" in problem.message for problem in report.problems), report.problems
    assert not Project.objects.filter(name="缺年份").exists()


def test_a_host_unit_is_matched_by_its_normalised_name_and_an_unknown_one_is_the_rows_error(world):
    matched = run_import(
        VisitResource(),
        xlsx_bytes(sheet(VisitResource(), visit_row(host_unit="平湖市 经信局"))),
        "v.xlsx",
        user=world.bureau,
        dry_run=False,
    )
    assert matched.ok, matched.problems
    assert InvestmentVisit.objects.get().host_unit.name == "经信局"
    refused = run_import(
        VisitResource(),
        xlsx_bytes(sheet(VisitResource(), visit_row(host_unit="招商一组", date="2024-03-09"))),
        "v.xlsx",
        user=world.bureau,
        dry_run=False,
    )
    assert [(problem.column, problem.value) for problem in refused.problems] == [("主办单位", "招商一组")]
    assert "找不到单位" in refused.problems[0].message
    assert InvestmentVisit.objects.count() == 1
