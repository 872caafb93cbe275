"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

They never skip: if Chromium cannot start, they fail and say why (`make test` installs Debian's chromium
when it is missing and it may, see the Makefile's chromium target).
"""

import os
import shutil
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from chains.models import Leader
from pinghu.permissions import Role
from tests.factories import UserFactory, unit_named

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make between
# browser steps are ordinary synchronous calls, so Django's async-safety guard is lifted here only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PINGHU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1400, "height": 1000}


@pytest.fixture
def official():
    """An official (招商官员) with their leader record, on the seeded reference data."""
    call_command("seed_pinghu", stdout=StringIO())
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    Leader.objects.create(name="王副市长", title="副市长", unit=unit_named("平湖市人民政府"), user=user)
    return user


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set PINGHU_CHROMIUM).")
    with sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
        except Exception as error:
            pytest.fail(f"Chromium could not start: {error}")
        yield instance
        instance.close()


class ForeignRequestGuard:
    """Aborts and records every request a browser context makes to a host other than the live server's.

    The site serves everything itself (no CDN, fonts, analytics or maps from elsewhere); a request leaving for
    another host is a leak of who uses the site and a page that breaks without that host, so a test whose pages
    made one fails at teardown, naming the URLs. Only network schemes count (data:, blob: and about: stay in the
    browser); another port on the same host is another origin and counts too.
    """

    NETWORK_SCHEMES = {"http", "https", "ws", "wss"}

    def __init__(self, live_server_url: str):
        self.own = urlsplit(live_server_url).netloc
        self.foreign: list[str] = []

    def is_foreign(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in self.NETWORK_SCHEMES and parts.netloc != self.own

    def watch(self, context) -> None:
        # The route stops the request before it leaves; the request event also sees requests a route may not
        # (a service worker's own fetches), so both record.
        context.route("**/*", self.route)
        context.on("request", lambda request: self.record(request.url))

    def route(self, route) -> None:
        if self.is_foreign(route.request.url):
            self.record(route.request.url)
            route.abort("blockedbyclient")
        else:
            route.fallback()

    def record(self, url: str) -> None:
        if self.is_foreign(url) and url not in self.foreign:
            self.foreign.append(url)


@pytest.fixture
def new_context(browser, live_server):
    """``new_context(viewport)``: a fresh Chinese-language context, not logged in, whose requests to any host but the
    live server's are aborted and fail the test at teardown (``ForeignRequestGuard``)."""
    contexts = []
    guard = ForeignRequestGuard(live_server.url)

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
        guard.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    if guard.foreign:
        pytest.fail("Requests left for another host: " + ", ".join(guard.foreign), pytrace=False)


def new_page(context):
    """A page of ``context`` collecting its console errors in ``page.console_errors``."""
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


@pytest.fixture
def open_anonymous(new_context):
    """``open_anonymous(viewport)``: a page of a fresh context without login (the login page, error pages)."""

    def make(viewport=DESKTOP):
        return new_page(new_context(viewport))

    return make


@pytest.fixture
def open_page(new_context, live_server):
    """``open_page(user, viewport)``: a logged-in page in a fresh Chinese-language context; console errors collected;
    requests to another host aborted and failing the test (``new_context``)."""

    def make(user, viewport=DESKTOP, password="pw-for-tests-1"):
        page = new_page(new_context(viewport))
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return make


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def add_new_firm(page, name: str) -> None:
    """On the visit form: type a firm name in the firm picker (tom-select) and take its "add as a new firm" offer,
    which ticks 新企业 and opens that folded part."""
    page.click("#id_enterprise_name-ts-control")
    # Typing asks the server for suggestions (after tom-select's 250 ms throttle). Its answer, if it came after the
    # offer was taken, would reopen the picker and take the next field's typing (seen on a busy machine): wait for it.
    with page.expect_response(lambda response: "/suggest" in response.url and "q=" in response.url):
        page.fill("#id_enterprise_name-ts-control", name)
    page.click("#id_enterprise_name-ts-dropdown .create")
    page.wait_for_selector("[data-fold=new-firm][open]")
