"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

They never skip: if Chromium cannot start, they fail and say why (`make test` installs Debian's chromium
when it is missing and it may, see the Makefile's chromium target).
"""

import os
import shutil
from io import StringIO
from pathlib import Path

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


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(user, viewport)``: a logged-in page in a fresh Chinese-language context; console errors collected."""
    contexts = []

    def make(user, viewport=DESKTOP, password="pw-for-tests-1"):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
