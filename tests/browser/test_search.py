"""Search in Chromium: pinyin typed into the navbar box, the quick results reached with the arrow keys,
and the results page opened with Enter (which works without JavaScript too)."""

import pytest
from playwright.sync_api import expect

from tests.factories import EnterpriseFactory, ProjectFactory

from .conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_pinyin_in_the_navbar_box_reaches_a_result(open_page, live_server, official):
    firm = EnterpriseFactory(name="长城汽车股份有限公司")
    project = ProjectFactory(name="长城汽车新能源整车项目", investor=firm)
    page = open_page(official, viewport=DESKTOP)

    box = page.locator("#site-search")
    box.click()
    box.press_sequentially("ccqc", delay=30)
    quick = page.locator("#site-search-quick")
    expect(quick).to_be_visible()
    expect(quick.locator("a[data-search-hit]", has_text="长城汽车新能源整车项目")).to_be_visible()
    expect(quick).to_contain_text("拼音首字母: ccqc")
    screenshot(page, "search-quick")

    # Arrow keys walk the quick results; Enter on one opens it.
    box.press("ArrowDown")
    expect(quick.locator("a[data-search-hit]").first).to_be_focused()
    box_hits = quick.locator("a[data-search-hit]")
    target = next(i for i in range(box_hits.count()) if "整车项目" in box_hits.nth(i).inner_text())
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    expect(box_hits.nth(target)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    expect(page.locator("h1")).to_contain_text("长城汽车新能源整车项目")
    assert not page.console_errors


def test_enter_opens_the_grouped_results_page(open_page, live_server, official):
    firm = EnterpriseFactory(name="长城汽车股份有限公司")
    ProjectFactory(name="整车项目", investor=firm)
    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}/projects/")
    page.locator(".navbar-toggler").click()
    box = page.locator("#site-search")
    box.fill("changcheng")
    box.press("Enter")
    page.wait_for_url("**/search/?q=changcheng")
    expect(page.locator('[data-search-group="enterprises"]')).to_contain_text("长城汽车股份有限公司")
    expect(page.locator('[data-search-group="projects"]')).to_contain_text("投资方 · 全拼: changcheng")
    # Tab from the results page's box reaches the first result.
    page.locator("#search-page-q").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("a[data-search-hit]").first).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "search-page-phone")
    assert not page.console_errors
