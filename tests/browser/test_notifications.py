"""In Chromium: the navbar's unread count arrives by script (under the CSP), and marking all read clears it."""

import pytest
from playwright.sync_api import expect

from notifications.services import notify

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_unread_count_shows_and_clears(open_page, live_server, official):
    notify(users=[official], kind="test", title="问题已交办", link="/visits/")
    notify(users=[official], kind="test", title="跟进到期", link="/projects/")
    page = open_page(official, viewport=PHONE)
    page.goto(f"{live_server.url}/notifications/")
    badge = page.locator("a[data-inbox] [data-unread]")
    badge.wait_for(state="attached")
    expect(badge).to_have_text("2")  # a locator assertion: the CSP refuses wait_for_function's evaluated script
    assert badge.is_visible() or page.locator(".navbar-toggler").is_visible()  # collapsed on a phone
    page.click("text=全部标为已读")
    page.wait_for_load_state("networkidle")
    expect(badge).to_have_text("0")
    assert "d-none" in badge.get_attribute("class")
    page.click("text=跟进到期")
    page.wait_for_url(f"{live_server.url}/projects/")
    assert page.console_errors == []
