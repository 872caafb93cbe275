"""Targets (目标考核) in Chromium: the dashboard's 目标完成 panel, the targets page with its ECharts chart and a
target's trend chart, at desktop width and on a 375 px phone, without the page overflowing sideways."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from targets.models import Target

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def no_sideways_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_panel_targets_page_and_trend_render(open_page, live_server, official, viewport):
    call_command("generate_demo_data", "--projects", "60", "--visits", "60", "--seed", "3", stdout=StringIO())
    page = open_page(official, viewport=viewport)
    name = "desktop" if viewport == DESKTOP else "phone"

    page.goto(f"{live_server.url}/")
    panel = page.locator("#targets-panel")
    panel.wait_for()
    assert (
        panel.locator(".time-marker").count() >= 11
    )  # every metric but chain output (set for last year) has a city target
    assert panel.locator(".progress-bar").first.is_visible()
    assert no_sideways_overflow(page)
    screenshot(page, f"targets-panel-{name}")

    page.click("#targets-panel a[href^='/targets/?']")
    page.wait_for_selector("#targets-chart canvas")
    box = page.locator("#targets-chart canvas").first.bounding_box()
    assert box["width"] > 250 and box["height"] > 200
    # This year's targets: not the 2023–2025 goal, nor last year's chain output targets.
    this_year = Target.objects.filter(year_from__lte=date.today().year, year_to__gte=date.today().year)
    assert page.locator("#targets-table tbody tr").count() == this_year.count() < Target.objects.count()
    assert no_sideways_overflow(page)
    screenshot(page, f"targets-page-{name}")

    page.locator("#targets-table tbody tr a[href^='/targets/']").nth(1).click()
    page.wait_for_selector("#trend-chart canvas")
    assert page.locator("#rows-behind").is_visible()
    assert no_sideways_overflow(page)
    screenshot(page, f"target-detail-{name}")

    page.goto(f"{live_server.url}/targets/rankings/")
    page.wait_for_selector("#ranking-table")
    assert page.locator("#ranking-table [data-metric-tied]").count() >= 2  # the demo's tie in signed projects
    assert no_sideways_overflow(page)
    screenshot(page, f"targets-ranking-{name}")
    page.locator("#ranking-table tbody th a").first.click()
    page.wait_for_selector("#town-standing")
    assert no_sideways_overflow(page)
    assert page.console_errors == []
