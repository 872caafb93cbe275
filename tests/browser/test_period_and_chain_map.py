"""The dashboard's period selector and the chain page's map, in Chromium (issue 20)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chains.models import ChainNode, EnterpriseChainRole
from tests.factories import EnterpriseFactory

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_typed_dates_choose_a_custom_period_a_reversed_range_is_refused_and_drill_down_keeps_it(
    open_page, live_server, official
):
    page = open_page(official)
    page.goto(f"{live_server.url}/?period=year")
    # Typing dates, the choice left at "this year": a custom period (the script sets the choice, the server agrees).
    page.fill("#start", "2024-01-05")
    page.fill("#end", "2024-02-01")
    expect(page.locator("#period")).to_have_value("custom")
    page.click("#period-form button[type=submit]")
    expect(page.locator("#period")).to_have_value("custom")
    expect(page.locator("#start")).to_have_value("2024-01-05")
    expect(page.locator("#period-shown")).to_contain_text("2024-01-05")
    expect(page.locator("#period-error")).to_have_count(0)

    # Drill down to a chain: the period goes along; the breadcrumb goes back with it.
    page.click("#chain-table a[href^='/chains/nev/']")
    expect(page.locator("#start")).to_have_value("2024-01-05")
    expect(page.locator("#end")).to_have_value("2024-02-01")
    page.click("#back-to-dashboard")
    expect(page.locator("#period")).to_have_value("custom")
    expect(page.locator("#end")).to_have_value("2024-02-01")

    # A reversed range: refused with a message naming the field; this year is shown instead, and says so.
    page.fill("#start", "2024-03-01")
    page.fill("#end", "2024-01-01")
    page.click("#period-form button[type=submit]")
    expect(page.locator("#period-error")).to_contain_text("止：2024-01-01 早于起始日期 2024-03-01。")
    today = timezone.localdate()
    expect(page.locator("#period-error")).to_contain_text(f"{today.year}-01-01 至 {today.isoformat()}")
    expect(page.locator("#period")).to_have_value("year")
    expect(page.locator("#start")).to_have_value(datetime.date(today.year, 1, 1).isoformat())

    # Choosing a named period after typing a date: the choice wins (the script puts the shown dates back).
    # The checks above pass as soon as the new page is parsed; typing before its script has run would
    # leave the typed date in the form (CI saw that once on a busy machine), so wait for the page's load.
    page.wait_for_load_state()
    page.fill("#start", "2024-06-01")
    page.select_option("#period", "last_year")
    page.click("#period-form button[type=submit]")
    expect(page.locator("#period")).to_have_value("last_year")
    expect(page.locator("#start")).to_have_value(f"{today.year - 1}-01-01")
    assert page.console_errors == []


def test_the_chain_page_draws_its_map_and_a_firm_opens_its_page(open_page, live_server, official):
    battery = ChainNode.objects.get(chain__code="nev", name="动力电池")
    battery.gap = True
    battery.save()
    firm = EnterpriseFactory(name="甲电池有限公司")
    EnterpriseChainRole.objects.create(enterprise=firm, chain=battery.chain, node=battery, is_lead=True)
    page = open_page(official)
    page.goto(f"{live_server.url}/chains/nev/")
    expect(page.locator("#chain-map-chart canvas")).to_have_count(1)
    expect(page.locator(".chain-map")).to_contain_text("甲电池有限公司")  # the text list stays
    screenshot(page, "chain-map")
    page.click(f".chain-map a[href='/enterprises/{firm.pk}/']")
    expect(page).to_have_url(f"{live_server.url}/enterprises/{firm.pk}/")
    assert page.console_errors == []
