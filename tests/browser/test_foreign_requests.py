"""The browser fixtures' guard against requests to another host (``conftest.ForeignRequestGuard``)."""

import pytest
from playwright.sync_api import Error

from .conftest import ForeignRequestGuard

pytestmark = pytest.mark.django_db(transaction=True)


def test_only_network_requests_to_another_origin_count():
    guard = ForeignRequestGuard("http://localhost:40123")
    assert not guard.is_foreign("http://localhost:40123/static/vendor/bootstrap.min.css")
    assert guard.is_foreign("https://cdn.jsdelivr.net/npm/bootstrap.min.css")
    assert guard.is_foreign("http://localhost:8000/")  # another port is another origin
    assert guard.is_foreign("wss://push.example.com/socket")
    for url in ("data:,", "blob:http://localhost:40123/1f2e", "about:blank"):
        assert not guard.is_foreign(url)


def test_a_request_to_another_host_is_stopped_and_recorded(browser, live_server):
    guard = ForeignRequestGuard(live_server.url)
    context = browser.new_context()
    guard.watch(context)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        assert guard.foreign == []  # the login page, its styles and scripts: all from the live server
        with pytest.raises(Error, match="ERR_BLOCKED_BY_CLIENT"):
            page.goto("https://cdn.example.com/echarts.min.js")
    finally:
        context.close()
    assert guard.foreign == ["https://cdn.example.com/echarts.min.js"]
