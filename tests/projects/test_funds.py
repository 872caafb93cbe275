"""Funds in place and actual foreign investment: the record's rules, its service and its figures, by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pinghu.concurrency import version_of
from pinghu.permissions import Role
from projects import funds_stats
from projects.models import ProjectFunds
from projects.periods import Period
from projects.services import project_funds_create, project_funds_delete, project_funds_update
from tests.factories import ChainFactory, ClusterFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Q1 = Period(D(2024, 1, 1), D(2024, 3, 15))  # March counts: a record is dated on its month's first day


@pytest.fixture
def staff():
    return UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])


def record(project, month, domestic, foreign, by=None, note="商务局外资统计"):
    return project_funds_create(
        project=project,
        month=month,
        domestic_funds=Decimal(domestic),
        actual_foreign_investment=Decimal(foreign),
        source_note=note,
        by=by,
    )


@pytest.fixture
def data():
    """Cluster X (chains A, B), cluster Y (chain C).

    P1 A 当湖街道 total 1000: 2024-01 100 + 10 USD, 2024-03 200 + 0, 2024-04 50 (outside Q1)
    P2 A 钟埭街道 total 0:    2024-02 0 + 0 (no money in)
    P3 B 当湖街道 total 4000: 2024-02 300 + 20 USD
    P4 C no town total 500:   2023-12 400 (outside Q1)
    Q1: domestic 100+200+0+300 = 600; foreign 10+20 = 30; projects with money in: P1, P3 = 2.
    By chain: A 300 / 10 / 1 (P2 has no money in); B 300 / 20 / 1; C nothing.
    By town: 当湖街道 600 / 30 / 2; 钟埭街道 0 / 0 / 0.
    Per project: P1 cumulative 350, 到位率 0.35; P2 0, none (total 0); P3 300, 0.075; P4 400, 0.8.
    """
    x, y = ClusterFactory(code="x"), ClusterFactory(code="y")
    a, b, c = ChainFactory(code="a", cluster=x), ChainFactory(code="b", cluster=x), ChainFactory(code="c", cluster=y)
    p1 = ProjectFactory(name="P1", chain=a, town="当湖街道", total_investment=Decimal("1000"))
    p2 = ProjectFactory(name="P2", chain=a, town="钟埭街道", total_investment=Decimal("0"))
    p3 = ProjectFactory(name="P3", chain=b, town="当湖街道", total_investment=Decimal("4000"))
    p4 = ProjectFactory(name="P4", chain=c, town="", total_investment=Decimal("500"))
    record(p1, D(2024, 1, 1), "100", "10")
    record(p1, D(2024, 3, 1), "200", "0")
    record(p1, D(2024, 4, 1), "50", "0")
    record(p2, D(2024, 2, 1), "0", "0")
    record(p3, D(2024, 2, 1), "300", "20")
    record(p4, D(2023, 12, 1), "400", "0")
    return {"a": a, "b": b, "c": c, "x": x, "y": y, "p1": p1, "p2": p2, "p3": p3, "p4": p4}


def test_summary_by_hand(data):
    assert funds_stats.funds_summary(Q1) == {
        "funds_in_place": Decimal("600.00"),
        "foreign_paid_in": Decimal("30.00"),
        "projects_with_funds": 2,
    }
    assert funds_stats.funds_summary(Q1, chain=data["a"])["funds_in_place"] == Decimal("300.00")
    assert funds_stats.funds_summary(Q1, cluster=data["y"])["projects_with_funds"] == 0


def test_by_chain_cluster_and_town_by_hand(data):
    by_chain = funds_stats.funds_by_chain(Q1)
    assert by_chain[data["a"].pk] == {
        "funds_in_place": Decimal("300.00"),
        "foreign_paid_in": Decimal("10.00"),
        "projects_with_funds": 1,
    }
    assert by_chain[data["b"].pk]["foreign_paid_in"] == Decimal("20.00")
    assert data["c"].pk not in by_chain
    assert funds_stats.funds_by_cluster(Q1)[data["x"].pk]["projects_with_funds"] == 2
    towns = {row["town"]: row for row in funds_stats.funds_by_town(Q1)}
    assert towns["当湖街道"]["funds_in_place"] == Decimal("600.00")
    assert towns["当湖街道"]["projects_with_funds"] == 2
    assert towns["钟埭街道"]["projects_with_funds"] == 0
    assert "" not in towns  # P4 has no record in Q1


def test_cumulative_and_rate_per_project(data):
    projects = {p.name: p for p in funds_stats.with_funds()}
    assert projects["P1"].funds_in_place == Decimal("350")
    assert projects["P1"].funds_rate == Decimal("0.3500")
    assert projects["P1"].foreign_paid_in == Decimal("10")
    assert projects["P2"].funds_rate is None
    assert projects["P3"].funds_rate == Decimal("0.0750")
    months = list(funds_stats.project_funds_months(data["p1"]))
    assert [m.cumulative_domestic for m in months] == [Decimal("100"), Decimal("300"), Decimal("350")]


def test_one_record_per_project_and_month(data):
    with pytest.raises(ValidationError) as refused:
        record(data["p1"], D(2024, 1, 1), "1", "1")
    assert "请更正该记录" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFunds.objects.create(
            project=data["p1"], month=D(2024, 1, 1), domestic_funds=1, actual_foreign_investment=0
        )


def test_database_refuses_negative_and_mid_month():
    project = ProjectFactory()
    for values in ({"domestic_funds": -1}, {"actual_foreign_investment": -1}, {"month": D(2024, 1, 5)}):
        fields = {"project": project, "month": D(2024, 1, 1), "domestic_funds": 1, "actual_foreign_investment": 0}
        with pytest.raises(IntegrityError), transaction.atomic():
            ProjectFunds.objects.create(**{**fields, **values})


def test_month_rules_and_ceiling():
    project = ProjectFactory()
    with pytest.raises(ValidationError) as early:
        record(project, D(1999, 12, 1), "1", "0")
    assert "month" in early.value.error_dict
    future = (datetime.date.today().replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    with pytest.raises(ValidationError) as later:
        record(project, future, "1", "0")
    assert "month" in later.value.error_dict
    with pytest.raises(ValidationError) as high:
        record(project, D(2024, 1, 1), "1000001", "0")
    assert "domestic_funds" in high.value.error_dict
    assert record(project, D(2024, 5, 17), "1", "0").month == D(2024, 5, 1)  # any day names its month


def test_correction_is_an_edit_with_history(staff):
    funds = record(ProjectFactory(), D(2024, 1, 1), "100", "0", by=staff)
    corrected = project_funds_update(
        funds=funds, data={"domestic_funds": Decimal("120")}, expected_version=version_of(funds), by=staff
    )
    assert ProjectFunds.objects.count() == 1
    assert corrected.domestic_funds == Decimal("120")
    assert [h.domestic_funds for h in corrected.history.order_by("history_date")] == [Decimal("100"), Decimal("120")]
    with pytest.raises(ValidationError) as stale:
        project_funds_update(funds=funds, data={"domestic_funds": Decimal("1")}, expected_version="old", by=staff)
    assert stale.value.code == "stale"


def test_only_bureau_staff_enter_funds(staff):
    official = UserFactory(username="official", roles=[Role.OFFICIAL])
    with pytest.raises(ValidationError):
        record(ProjectFactory(), D(2024, 1, 1), "1", "0", by=official)
    assert record(ProjectFactory(), D(2024, 1, 1), "1", "0", by=staff).entered_by == staff


# ---------------------------------------------------------------- import (kind "funds")


def run_funds_import(rows, user, *, dry_run=False):
    from pinghu.imports import run_import
    from projects.imports import IMPORT_KINDS
    from tests.importfiles import xlsx_bytes

    header = ["ID", "项目ID", "项目", "月份", "内资到位（万元）", "实际外资（万美元）", "数据来源"]
    return run_import(IMPORT_KINDS["funds"](), xlsx_bytes([header, *rows]), "funds.xlsx", user=user, dry_run=dry_run)


def test_import_new_edit_and_dry_run(staff):
    p1, p2 = ProjectFactory(name="驱动电机项目"), ProjectFactory(name="光模块项目")
    existing = record(p1, D(2024, 1, 1), "100", "0")
    rows = [
        [None, p1.pk, None, "2024-01-01", 150, 5, "企业银行流水"],  # corrects January (project ID and month)
        [None, None, "光模块项目", "2024-02-15", 80, 0, None],  # new, by name; any day names the month
    ]
    dry = run_funds_import(rows, staff, dry_run=True)
    assert dry.ok, dry.problems
    assert ProjectFunds.objects.count() == 1
    report = run_funds_import(rows, staff)
    assert report.ok, report.problems
    existing.refresh_from_db()
    assert (existing.domestic_funds, existing.actual_foreign_investment) == (Decimal("150"), Decimal("5"))
    assert existing.history.count() == 2
    assert ProjectFunds.objects.get(project=p2).month == D(2024, 2, 1)
    assert ProjectFunds.objects.count() == 2


def test_import_refused_row_writes_nothing(staff):
    project = ProjectFactory(name="驱动电机项目")
    rows = [
        [None, project.pk, None, "2024-01-01", 150, 5, None],
        [None, None, "不存在的项目", "2024-02-01", 80, 0, None],
        [None, project.pk, None, "2024-03-01", -1, 0, None],
    ]
    report = run_funds_import(rows, staff)
    assert not report.ok
    messages = " ".join(problem.message for problem in report.problems)
    assert "不存在的项目" in messages
    assert ProjectFunds.objects.count() == 0


def test_import_template_has_the_columns():
    from pinghu.imports import template_workbook
    from projects.imports import IMPORT_KINDS

    assert template_workbook(IMPORT_KINDS["funds"]())[:2] == b"PK"


# ---------------------------------------------------------------- admin


def test_admin_adds_and_corrects_through_the_services(client, staff):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    project = ProjectFactory()
    body = {"project": project.pk, "month": "2024-03-01", "domestic_funds": "10", "actual_foreign_investment": "1"}
    response = client.post("/admin/projects/projectfunds/add/", {**body, "source_note": "企业银行流水"})
    assert response.status_code == 302, response.content.decode()[:2000]
    funds = ProjectFunds.objects.get()
    assert funds.entered_by == staff
    again = client.post("/admin/projects/projectfunds/add/", body)
    assert again.status_code == 200  # the month has a record: refused on the form
    assert ProjectFunds.objects.count() == 1
    url = f"/admin/projects/projectfunds/{funds.pk}/change/"
    stale = client.post(url, {**body, "domestic_funds": "11", "version": "old"})
    assert stale.status_code == 200
    fresh = client.post(url, {**body, "domestic_funds": "12", "version": version_of(funds)})
    assert fresh.status_code == 302
    funds.refresh_from_db()
    assert funds.domestic_funds == Decimal("12")
    assert client.get("/admin/projects/projectfunds/import/").status_code == 200
    deleted = client.post(f"/admin/projects/projectfunds/{funds.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302 and not ProjectFunds.objects.exists()
    assert funds.history.latest("history_date").history_type == "-"  # the record is kept in the history


def test_only_bureau_staff_delete_funds(staff):
    funds = record(ProjectFactory(), D(2024, 1, 1), "1", "0", by=staff)
    official = UserFactory(username="official", roles=[Role.OFFICIAL])
    with pytest.raises(ValidationError):
        project_funds_delete(funds=funds, by=official)
    assert ProjectFunds.objects.count() == 1
    project_funds_delete(funds=funds, by=staff)
    assert not ProjectFunds.objects.exists()


# ---------------------------------------------------------------- the project page


def test_project_page_lists_months_and_takes_the_form(client, staff):
    project = ProjectFactory(total_investment=Decimal("1000"))
    record(project, D(2024, 1, 1), "100", "10")
    client.force_login(staff)
    page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert page.context["funds_to_date"]["funds_rate"] == Decimal("0.1000")
    assert b"10.00%" in page.content
    url = f"/projects/{project.pk}/funds/"
    assert (
        client.post(url, {"month": "2024-02", "domestic_funds": "50", "actual_foreign_investment": "0"}).status_code
        == 302
    )
    assert (
        client.post(url, {"month": "2024-02", "domestic_funds": "9", "actual_foreign_investment": "0"}).status_code
        == 302
    )
    assert ProjectFunds.objects.filter(project=project).count() == 2  # the second February was refused
    months = client.get(f"/projects/{project.pk}/").context["funds_months"]
    assert [row.cumulative_domestic for row in months] == [Decimal("100"), Decimal("150")]
    february = months[1]
    edit = client.get(f"/projects/{project.pk}/", {"funds": february.pk})
    assert edit.context["funds_editing"] == february
    body = {"record": february.pk, "month": "2024-02", "domestic_funds": "60", "actual_foreign_investment": "0"}
    client.post(url, {**body, "version": version_of(february)})
    february.refresh_from_db()
    assert february.domestic_funds == Decimal("60")
    client.post(url, {**body, "domestic_funds": "70", "version": "old"})  # stale: refused
    february.refresh_from_db()
    assert february.domestic_funds == Decimal("60")
    assert client.post(url, {**body, "record": "abc"}).status_code == 404  # a tampered record id: not a 500


def test_officials_read_funds_but_cannot_enter_them(client):
    official = UserFactory(username="official", roles=[Role.OFFICIAL])
    project = ProjectFactory()
    client.force_login(official)
    page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert page.context["funds_form"] is None
    url = f"/projects/{project.pk}/funds/"
    response = client.post(url, {"month": "2024-02", "domestic_funds": "50", "actual_foreign_investment": "0"})
    assert response.status_code == 403
    assert not ProjectFunds.objects.exists()


def test_project_page_queries_do_not_grow_with_months(client, staff, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = ProjectFactory()
    record(project, D(2024, 1, 1), "1", "0")
    client.force_login(staff)
    client.get(f"/projects/{project.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/projects/{project.pk}/")
    for month in range(2, 10):
        record(project, D(2024, month, 1), "1", "0")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/projects/{project.pk}/")


# ---------------------------------------------------------------- demo data


def test_demo_funds_are_deterministic_marked_and_plausible():
    from io import StringIO

    from django.core.management import call_command
    from django.db.models import F, Sum

    from projects.demo import delete_demo_data, generate_demo_data

    call_command("seed_pinghu", stdout=StringIO())
    end = D(2026, 6, 30)

    def funds_rows():
        return list(
            ProjectFunds.objects.order_by("project__name", "month").values_list(
                "project__name", "month", "domestic_funds", "actual_foreign_investment", "source_note"
            )
        )

    counts = generate_demo_data(projects=200, visits=20, seed=4, end_date=end)
    first = funds_rows()
    assert counts.funds_records == len(first) > 0
    assert {row[4] for row in first} == {"演示"}
    assert max(row[1] for row in first) <= end
    overpaid = (
        ProjectFunds.objects.values("project")
        .annotate(paid=Sum("domestic_funds"))
        .filter(paid__gt=F("project__total_investment"))
    )
    assert not overpaid.exists()
    assert not ProjectFunds.objects.filter(
        actual_foreign_investment__gt=0, project__foreign_investment__isnull=True
    ).exists()
    assert not ProjectFunds.objects.filter(project__signed_date__isnull=True).exists()
    for funds in ProjectFunds.objects.all()[:20]:
        funds.full_clean()
    assert ProjectFunds.history.filter(history_type="+").count() == len(first)
    delete_demo_data()
    assert not ProjectFunds.objects.exists()
    generate_demo_data(projects=200, visits=20, seed=4, end_date=end)
    assert funds_rows() == first


def test_a_funds_record_moves_the_data_version_the_dashboard_is_cached_on():
    from pinghu import dataversion

    project = ProjectFactory()
    before = dataversion.current()
    record(project, D(2024, 1, 1), "1", "0")
    assert dataversion.current() != before


def test_project_list_shows_funds_to_date_and_rate(client, staff):
    project = ProjectFactory(name="列表项目", total_investment=Decimal("400"))
    record(project, D(2024, 1, 1), "100", "0")
    client.force_login(staff)
    page = client.get("/projects/")
    assert page.status_code == 200
    row = next(item for item in page.context["page"] if item.pk == project.pk)
    assert (row.funds_in_place, row.funds_rate) == (Decimal("100"), Decimal("0.2500"))
    assert b"25.00%" in page.content


def test_dashboard_shows_contracted_beside_actual_foreign_investment(client, staff):
    today = datetime.date.today()
    project = ProjectFactory(
        total_investment=Decimal("50000"), foreign_investment=Decimal("700"), stage="signed", signed_date=today
    )
    record(project, today.replace(day=1), "25000", "123.45")
    client.force_login(staff)
    content = client.get("/", {"period": "year"}).content.decode()
    assert "合同外资（万美元）" in content and "实际外资（万美元）" in content
    assert "内资到位（亿元）" in content and "到位项目数" in content
    assert 'data-kpi="foreign-paid-in">123.45<' in content
    assert 'data-kpi="funds-in-place">2.50<' in content
    assert 'data-kpi="projects-with-funds">1<' in content
    assert ">外资（万美元）<" not in content
