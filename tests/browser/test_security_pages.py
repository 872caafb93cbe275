"""In Chromium: a double-clicked visit form saves one visit; chart tooltips show under the CSP, with no violation."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from projects.models import InvestmentVisit, Project

from .conftest import PHONE, add_new_firm

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_clicked_visit_form_saves_one_visit_and_one_lead(open_page, live_server, official):
    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}/visits/new/")
    add_new_firm(page, "双击测试有限公司")
    page.fill("#id_purpose", "洽谈")
    page.click("[data-fold=new-lead] > summary")
    page.fill("#id_new_lead_name", "双击线索项目")
    page.select_option("#id_new_lead_chain", label="新能源汽车")
    page.fill("#id_new_lead_investment", "500")
    page.dblclick("main button[type=submit]")
    page.wait_for_url(re.compile(r"/visits/\d+/$"))  # the visit's page
    page.wait_for_load_state("networkidle")
    assert InvestmentVisit.objects.count() == 1
    assert Project.objects.filter(name="双击线索项目").count() == 1
    assert page.console_errors == []


def test_a_chart_tooltip_shows_its_markers_without_a_csp_violation(open_page, live_server, official):
    call_command("generate_demo_data", "--projects", "30", "--visits", "40", "--seed", "4", stdout=StringIO())
    page = open_page(official)
    page.goto(f"{live_server.url}/?period=year")
    chart = page.locator("#trend-chart")
    page.wait_for_selector("#trend-chart canvas")
    chart.scroll_into_view_if_needed()  # below the panels above it (the targets' 目标完成)
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6)
    marker = page.locator("#trend-chart span[style*='border-radius']").first
    marker.wait_for(state="visible", timeout=5000)
    # The marker's colour comes from its inline style attribute: blocked, it would be transparent.
    colour = marker.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour not in ("", "rgba(0, 0, 0, 0)", "transparent"), colour
    assert [error for error in page.console_errors if "Content Security Policy" in error] == []
    assert page.console_errors == []
