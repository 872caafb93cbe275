"""Reports through the pages, the API and the workbook: roles, the stored numbers equal in all three, drift marked."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from pinghu.services import api_token_issue
from reports.models import Report, ReportVersion
from reports.services import report_close, report_create, report_send
from tests.reports.conftest import MARCH

D = datetime.date
pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    _token, key = api_token_issue(user=user, scope="write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def site(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report(world, template, people):
    made = report_create(template=template, period_kind="month", period_start=MARCH, by=people["bureau"])
    report_close(report=made, by=people["bureau"])
    return Report.objects.get(pk=made.pk)


def test_officials_read_sent_reports_only(report, people, template):
    draft = report_create(template=template, period_kind="month", period_start=D(2025, 4, 1), by=people["bureau"])
    assert site(people["official"]).get(report.get_absolute_url()).status_code == 404
    assert api(people["official"]).get("/api/v1/reports/").json()["count"] == 0
    assert api(people["bureau"]).get("/api/v1/reports/").json()["count"] == 2
    report_send(report=report, sent_to="嘉兴市经信局", by=people["bureau"])
    assert site(people["official"]).get(report.get_absolute_url()).status_code == 200
    listed = api(people["official"]).get("/api/v1/reports/").json()
    assert [row["id"] for row in listed["results"]] == [report.pk]
    assert site(people["official"]).get(draft.get_absolute_url()).status_code == 404
    page = site(people["official"]).get("/reports/")
    assert page.status_code == 200 and "报" in page.content.decode()


def test_api_actions_follow_the_roles(world, template, people):
    body = {"template": "city-monthly", "period_kind": "month", "period_start": "2025-03-01"}
    assert api(people["official"]).post("/api/v1/reports/", body, format="json").status_code == 403
    created = api(people["bureau"]).post("/api/v1/reports/", body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    closed = api(people["bureau"]).post(f"/api/v1/reports/{pk}/close/")
    assert closed.status_code == 200 and closed.json()["versions"][0]["figures"]["summary"]["visits"] == 2
    assert api(people["bureau"]).post(f"/api/v1/reports/{pk}/reopen/", {"reason": "x"}).status_code == 403
    assert api(people["admin"]).post(f"/api/v1/reports/{pk}/reopen/", {"reason": ""}).status_code == 400
    assert api(people["bureau"]).post(f"/api/v1/reports/{pk}/send/", {"sent_to": "嘉兴"}).status_code == 200
    reopened = api(people["admin"]).post(f"/api/v1/reports/{pk}/reopen/", {"reason": "更正"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "draft"
    # No route changes or deletes a version or a report.
    assert api(people["admin"]).patch(f"/api/v1/reports/{pk}/", {"status": "draft"}).status_code == 405
    assert api(people["admin"]).delete(f"/api/v1/reports/{pk}/").status_code == 405
    assert "/api/v1/reports/{id}/close/" in api(people["admin"]).get("/api/schema/?format=json").json()["paths"]


def test_the_admin_cannot_change_a_version(report, admin_client):
    version = report.versions.get()
    page = admin_client.get(f"/admin/reports/reportversion/{version.pk}/change/")
    assert page.status_code == 200 and 'name="figures"' not in page.content.decode()
    assert admin_client.post(f"/admin/reports/reportversion/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ReportVersion.objects.filter(pk=version.pk).exists()


def test_page_workbook_and_api_show_the_same_stored_numbers(report, people, world):
    world["p2"].signed_date = D(2025, 2, 28)
    world["p2"].save()  # drift: the stored figures stay, marked
    html = site(people["bureau"]).get(report.get_absolute_url()).content.decode()
    page = dict(re.findall(r'data-figure="([^"]+)" data-value="([^"]*)"', html))
    assert 'data-drift="summary.signed_projects"' in html and "data-drifted" in html
    stored = api(people["bureau"]).get(f"/api/v1/reports/{report.pk}/").json()["versions"][0]["figures"]
    book = load_workbook(BytesIO(site(people["bureau"]).get(f"/reports/{report.pk}/xlsx/?version=1").content))
    sheet = book["汇总"]
    workbook = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(4, sheet.max_row + 1)}
    assert sheet.freeze_panes == "A4" and sheet["A1"].value == "平湖市招商引资月报 2025年3月"
    rates = {sheet.cell(row, 1).value: sheet.cell(row, 2) for row in range(4, sheet.max_row + 1)}
    assert rates["办结率"].number_format == "0.00%" and rates["办结率"].value == Decimal("0.5")
    assert rates["签约总投资（万元）"].number_format == "#,##0.00"
    checked = 0
    for key, value in stored["summary"].items():
        if f"summary.{key}" not in page:
            continue
        assert Decimal(page[f"summary.{key}"] or "0") == Decimal(str(value or "0"))
        checked += 1
    assert checked >= 20
    assert workbook["签约项目"] == stored["summary"]["signed_projects"] == 2
    assert Decimal(str(workbook["签约总投资（万元）"])) == Decimal(stored["summary"]["signed_investment"])
    assert Decimal(page["chains.a.signed_investment"]) == Decimal(stored["chains"][0]["signed_investment"])
    chains = book["按产业链"]
    assert chains.cell(3, 1).value == "产业链" and chains.cell(4, 1).value == "链A"


def test_pages_close_send_and_refuse_in_chinese(world, template, people):
    bureau = site(people["bureau"])
    answer = bureau.post(
        "/reports/new/", {"template": template.pk, "period_kind": "quarter", "period_start": "2025-02-01"}
    )
    assert "季度" in answer.content.decode() or "1 月 1 日" in answer.content.decode()
    answer = bureau.post(
        "/reports/new/", {"template": template.pk, "period_kind": "month", "period_start": "2025-03-01"}
    )
    report = Report.objects.get()
    assert answer.status_code == 302 and answer["Location"] == report.get_absolute_url()
    assert "data-preview" in bureau.get(report.get_absolute_url()).content.decode()
    bureau.post(f"/reports/{report.pk}/close/", {})
    assert Report.objects.get().status == "draft"
    bureau.post(f"/reports/{report.pk}/close/", {"confirm": "on"})
    assert Report.objects.get().status == "closed"
    followed = bureau.post(f"/reports/{report.pk}/reopen/", {"reason": "x"}, follow=True)
    assert followed.status_code == 403
    bureau.post(f"/reports/{report.pk}/send/", {"sent_to": "嘉兴市经信局", "reference_number": "平经信〔2025〕3号"})
    assert Report.objects.get().status == "sent"
    text = site(people["admin"]).post(f"/reports/{report.pk}/reopen/", {"reason": ""}, follow=True).content.decode()
    assert Report.objects.get().status == "sent" and "重新打开" in text


def test_the_list_leaves_out_the_rows_one_report_has_them(report, people):
    listed = api(people["bureau"]).get("/api/v1/reports/").json()["results"][0]["versions"][0]
    one = api(people["bureau"]).get(f"/api/v1/reports/{report.pk}/").json()["versions"][0]
    assert "rows" not in listed and listed["figures"] == one["figures"]
    assert one["rows"]["signed_projects"] == sorted(report.versions.get().rows["signed_projects"])


def test_a_long_list_shows_its_first_rows_and_says_the_workbook_holds_them_all(world, template, people, monkeypatch):
    from tests.factories import ProjectFactory

    for day in (21, 22):
        ProjectFactory(
            chain=world["a"],
            stage="construction",
            signed_date=D(2025, 3, 1),
            registered_date=D(2025, 3, 2),
            construction_date=D(2025, 3, day),
        )
    made = report_create(template=template, period_kind="month", period_start=MARCH, by=people["bureau"])
    version = report_close(report=made, by=people["bureau"])
    assert len(version.figures["started"]) == 3  # stored whole
    monkeypatch.setattr("reports.views.PAGE_LIST_LIMIT", 1)
    html = site(people["bureau"]).get(made.get_absolute_url()).content.decode()
    section = html[html.index('id="section-started"') :]
    section = section[: section.index("</section>")]
    assert section.count("<tr>") == 2 and 'data-more="2"' in section and "Excel" in section  # header and 1 row
    from django.urls import reverse
    from django.utils import translation

    from reports.choices import Section

    book = load_workbook(BytesIO(site(people["bureau"]).get(reverse("reports:report-xlsx", args=[made.pk])).content))
    with translation.override("zh-hans"):
        sheet = book[str(Section.STARTED.label)]
    assert sheet.max_row == 3 + 3  # the headings, then every project


def test_the_drift_names_each_figure_as_the_tables_do_and_links_the_projects(report, people, world):
    from django.urls import reverse
    from django.utils import translation

    from reports.choices import Section

    world["p1"].chain = world["c"]  # corrected: P1 is chain C's
    world["p1"].save()
    html = site(people["bureau"]).get(report.get_absolute_url()).content.decode()
    with translation.override("zh-hans"):
        label = f"{Section.CHAINS.label} · 链A · 签约项目"
    item = html[html.index('data-drift="chains.a.signed_projects"') :]
    item = item[: item.index("</li>")]
    assert label in item, item
    assert f'href="{reverse("projects:project-detail", args=[world["p1"].pk])}"' in item and ">P1</a>" in item
