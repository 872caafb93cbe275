"""The one-minute script (issue 21): the official, on a 375×812 phone in Chromium, logs a Saturday visit.

On demo data: a Saturday visit to an existing firm with two leaders and one linked project, in at most 12
interactions (taps plus fields typed, counted by ``Taps``) and under 60 seconds of scripted time including the
page loads; the official lands on the visit's page and the database holds exactly that one visit.
"""

import datetime
import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from django.utils import timezone
from playwright.sync_api import expect

from chains.models import Enterprise, EnterpriseChainRole, Leader
from projects.models import InvestmentVisit
from projects.phone import open_projects
from tests.factories import InvestmentVisitFactory, unit_named

from .conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
MAX_INTERACTIONS, MAX_SECONDS = 12, 60
VISIT_PAGE = re.compile(r"/visits/\d+/$")


class Taps:
    """Acts on the page and counts each tap and each field typed: one interaction each."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, selector: str) -> None:
        self.page.locator(selector).first.click()
        self.count += 1

    def type(self, selector: str, text: str) -> None:
        self.page.locator(selector).first.fill(text)
        self.count += 1


def shot(page, name: str) -> None:
    """The whole page in test-artifacts/ (kept by CI), to look at."""
    screenshot(page, name)


def last_saturday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=(today.weekday() - 5) % 7)


@pytest.fixture
def demo(official):
    """Demo data, and the official's own history: three recent visits with the same companion."""
    call_command("generate_demo_data", "--projects", "40", "--visits", "40", "--seed", "21", stdout=StringIO())
    companion = Leader.objects.create(name="赵局长", title="局长", unit=unit_named("平湖市经信局"))
    for days in (3, 5, 8):
        InvestmentVisitFactory(
            recorded_by=official,
            date=timezone.localdate() - datetime.timedelta(days=days),
            leaders=[official.leader, companion],
            purpose="洽谈扩产项目",
        )
    # An existing firm, not among the official's recent ones (found by search), with a chain role and one open project.
    firm = (
        Enterprise.objects.filter(
            Exists(EnterpriseChainRole.objects.filter(enterprise=OuterRef("pk"))),
            Exists(open_projects().filter(investor=OuterRef("pk"))),
        )
        .exclude(visits__recorded_by=official)
        .order_by("pk")
        .first()
    )
    assert firm is not None, "the demo data has a firm with a chain role and an open project"
    return {"companion": companion, "firm": firm, "project": open_projects().filter(investor=firm).first()}


def test_a_saturday_visit_in_under_a_minute_and_twelve_interactions(open_page, live_server, official, demo):
    page = open_page(official, viewport=PHONE)
    firm, project, companion = demo["firm"], demo["project"], demo["companion"]
    saturday = last_saturday()
    taps = Taps(page)
    started = time.monotonic()

    page.goto(f"{live_server.url}/")
    shot(page, "phone-home")
    taps.tap("#log-visit")
    page.wait_for_selector("#id_leaders-ts-control")
    taps.type("#id_date", saturday.isoformat())
    expect(page.locator("[data-saturday-mark]")).to_be_visible()
    taps.tap("#id_leaders-ts-control")
    taps.tap(f"#id_leaders-ts-dropdown [data-value='{companion.pk}']")  # first offered: the usual companion
    taps.tap("#id_enterprise_name-ts-control")
    taps.type("#id_enterprise_name-ts-control", firm.name)
    taps.tap(f"#id_enterprise_name-ts-dropdown .option[data-value='{firm.name}']")
    taps.tap(f"#project-{project.pk}")
    expect(page.locator(f"#project-{project.pk}")).to_be_checked()
    taps.tap("[data-phrases-for=id_purpose] [data-phrase]")  # the last purpose used
    shot(page, "phone-visit-form")
    taps.tap("form.visit-form button[type=submit]")
    page.wait_for_url(VISIT_PAGE)
    elapsed = time.monotonic() - started

    shot(page, "phone-visit-detail")
    assert taps.count <= MAX_INTERACTIONS, taps.count
    assert elapsed < MAX_SECONDS, elapsed
    visit = InvestmentVisit.objects.get(enterprise=firm, recorded_by=official, date=saturday)
    assert page.url == f"{live_server.url}/visits/{visit.pk}/"
    assert visit.is_saturday and visit.purpose == "洽谈扩产项目"
    assert set(visit.leaders.all()) == {official.leader, companion}
    assert list(visit.projects.all()) == [project]
    roles = set(EnterpriseChainRole.objects.filter(enterprise=firm).values_list("chain_id", flat=True))
    assert set(visit.chains.values_list("pk", flat=True)) == roles  # pre-filled from the firm's chain roles
    expect(page.locator("#visit-projects")).to_contain_text(project.name)
    assert InvestmentVisit.objects.filter(recorded_by=official, date=saturday).count() == 1
    assert not page.console_errors, page.console_errors
    print(f"phone visit: {taps.count} interactions, {elapsed:.1f} s")  # a figure for the report (pytest -s)


def test_a_double_submit_makes_one_visit(open_page, live_server, official, demo):
    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}/visits/new/")
    page.wait_for_selector("#id_leaders-ts-control")
    page.click("#id_enterprise_name-ts-control")
    page.fill("#id_enterprise_name-ts-control", demo["firm"].name)
    page.click(f"#id_enterprise_name-ts-dropdown .option[data-value='{demo['firm'].name}']")
    page.fill("#id_purpose", "双击测试")
    body = page.evaluate("new URLSearchParams(new FormData(document.querySelector('form.visit-form'))).toString()")
    before = InvestmentVisit.objects.count()
    page.dblclick("form.visit-form button[type=submit]")
    page.wait_for_url(VISIT_PAGE)
    landed = page.url
    assert InvestmentVisit.objects.count() == before + 1
    # The same form sent again (a retry after a lost answer) gets the first answer: still one visit.
    replay = page.request.post(
        f"{live_server.url}/visits/new/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert replay.status == 302 and f"{live_server.url}{replay.headers['location']}" == landed
    assert InvestmentVisit.objects.filter(purpose="双击测试").count() == 1


@pytest.mark.parametrize("url", ["/visits/", "/projects/", "/issues/", "/my-firms/"])
def test_lists_are_cards_on_a_phone_with_no_squeezed_cell(open_page, live_server, official, demo, url):
    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}{url}")
    page.wait_for_selector("#results")
    widths = page.eval_on_selector_all(
        "#results tbody td", "cells => cells.filter(c => c.offsetParent).map(c => c.getBoundingClientRect().width)"
    )
    assert widths and min(widths) > 250, widths  # a card's line, not a column squeezed to one character
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if url == "/visits/":
        shot(page, "phone-visit-list")
