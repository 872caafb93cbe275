"""The four journeys of the web UI, in Chromium: log a visit on a phone, charts, drill-down, a stage change."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from chains.models import Chain, Enterprise
from projects.models import InvestmentVisit, Project
from projects.services import project_create

from .conftest import PHONE, add_new_firm, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_log_a_visit_on_a_phone_and_see_it_counted(open_page, live_server, official):
    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}/visits/new/")
    # Defaults to the official's own leader record (chosen in the picker).
    expect(page.locator("#id_leaders option[selected]")).to_have_count(1)
    add_new_firm(page, "演示新能源零部件有限公司")
    page.check("#id_new_enterprise_in_pinghu")
    page.fill("#id_purpose", "洽谈电机项目落地")
    page.click("[data-fold=new-lead] > summary")
    page.fill("#id_new_lead_name", "年产10万台电机项目")
    page.select_option("#id_new_lead_chain", label="新能源汽车")
    page.fill("#id_new_lead_investment", "20000")
    screenshot(page, "visit-form-phone")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    screenshot(page, "visit-form-phone-after")
    page.wait_for_url(re.compile(r"/visits/\d+/$"))  # the visit's page
    assert "演示新能源零部件有限公司" in page.inner_text("main")

    visit = InvestmentVisit.objects.get()
    assert visit.enterprise.name == "演示新能源零部件有限公司" and visit.recorded_by == official
    lead = Project.objects.get(name="年产10万台电机项目")
    assert lead.investor == visit.enterprise and list(visit.projects.all()) == [lead]

    page.goto(f"{live_server.url}/?period=month")
    assert page.inner_text("[data-kpi=visits]") == "1"


def test_dashboard_charts_render_without_console_errors(open_page, live_server, official):
    call_command("generate_demo_data", "--projects", "60", "--visits", "80", "--seed", "4", stdout=StringIO())
    page = open_page(official)
    page.goto(f"{live_server.url}/?period=year")
    page.wait_for_selector("#trend-chart canvas")
    page.wait_for_selector("#funnel-chart canvas")
    box = page.locator("#trend-chart canvas").first.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    screenshot(page, "dashboard")
    assert page.console_errors == []


def test_drill_down_lands_on_a_list_with_that_many_rows(open_page, live_server, official):
    call_command("generate_demo_data", "--projects", "80", "--visits", "60", "--seed", "9", stdout=StringIO())
    page = open_page(official)
    page.goto(f"{live_server.url}/?period=last_year")
    for kpi in ("signed", "visits", "saturday"):
        page.goto(f"{live_server.url}/?period=last_year")
        shown = int(page.inner_text(f"[data-kpi={kpi}]"))
        page.click(f"[data-kpi={kpi}]")
        page.wait_for_load_state()
        assert int(page.inner_text("[data-count]")) == shown, kpi
    page.goto(f"{live_server.url}/?period=last_year")
    link = page.locator("[data-drill^=signed-]").first
    shown = int(link.inner_text())
    link.click()
    page.wait_for_load_state()
    assert int(page.inner_text("[data-count]")) == shown


def test_stage_change_from_the_project_page(open_page, live_server, official):
    project = project_create(
        project=Project(
            name="驱动电机扩产项目",
            chain=Chain.objects.get(code="nev"),
            investor=Enterprise.objects.get(name="尼得科集团"),
            total_investment=Decimal("50000"),
            first_contact_date=datetime.date(2024, 1, 5),
        ),
        by=official,
    )
    page = open_page(official)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.click("#stage-moves [data-move=negotiating]")  # each move asks on its own page what it needs
    page.fill("#id_note", "双方进入实质性洽谈")
    page.click("#move-form button[type=submit]")
    page.wait_for_selector("[data-stage=negotiating]")
    assert "双方进入实质性洽谈" in page.inner_text("#timeline")
    project.refresh_from_db()
    assert project.stage == "negotiating"
    assert project.stage_changes.order_by("-pk").first().by == official


def test_choosing_an_enterprise_offers_its_projects_to_link(open_page, live_server, official):
    firm = Enterprise.objects.get(name="长城汽车")
    project = project_create(
        project=Project(
            name="整车产能扩建项目",
            chain=Chain.objects.get(code="nev"),
            investor=firm,
            total_investment=Decimal("80000"),
            first_contact_date=datetime.date(2024, 1, 5),
        ),
        by=official,
    )
    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}/visits/new/")
    # The firm is picked by search (tom-select over the text box): its open projects are offered to link.
    page.click("#id_enterprise_name-ts-control")
    page.fill("#id_enterprise_name-ts-control", "长城汽车")
    page.click("#id_enterprise_name-ts-dropdown .option[data-value='长城汽车']")
    page.check(f"#project-{project.pk}")
    page.fill("#id_purpose", "回访扩建进度")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/visits/\d+/$"))
    assert list(InvestmentVisit.objects.get().projects.all()) == [project]


def test_a_problem_is_recorded_on_a_phone_and_handled_on_the_board(open_page, live_server, official):
    from django.contrib.auth.models import Group

    from aftercare.models import EnterpriseIssue

    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}/issues/new/")
    page.fill("#id_enterprise_name", "长城")
    page.wait_for_selector("#enterprise-options option", state="attached")  # (the CSP forbids evaluated JS)
    assert "长城汽车" in page.inner_html("#enterprise-options")  # search-as-you-type from the API
    page.fill("#id_enterprise_name", "长城汽车")
    page.select_option("#id_channel", "hotline")
    page.select_option("#id_category", "permits")
    page.fill("#id_description", "新厂房施工许可办理慢")
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-status=received]")
    screenshot(page, "issue-recorded-phone")
    issue = EnterpriseIssue.objects.get()
    assert issue.recorded_by == official and not page.query_selector("#advance-form")  # officials do not handle

    bureau = type(official).objects.create_user("bureau", password="pw-for-tests-1")
    bureau.groups.set(Group.objects.filter(name="局工作人员"))
    page = open_page(bureau)
    from tests.factories import unit_named

    housing = unit_named("平湖市住建局")  # the unit is chosen from the unit records
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    page.select_option("#id_unit", str(housing.pk))
    page.click("button[name=to_status][value=assigned]")
    page.wait_for_selector("[data-status=assigned]")
    page.fill("#id_note", "已开通绿色通道，三日内办结")
    page.click("button[name=to_status][value=resolved]")
    page.wait_for_selector("[data-status=resolved]")
    assert "住建局" in page.inner_text("#steps") and page.console_errors == []
    page.goto(f"{live_server.url}/issues/")
    assert page.inner_text("[data-kpi=resolved]") == "1"
    assert page.inner_text("[data-kpi=days]") == "0.0"  # resolved the day it came in: zero, not "no data"
    screenshot(page, "issue-board")
