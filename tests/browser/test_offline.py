"""The installable app offline, in Chromium: visits logged with no connection are kept in IndexedDB, the form opens
again offline from the service worker's cache, and each visit arrives exactly once when the connection returns,
also when the network fails half-way through a send; a refused visit comes back to the form with its message.

Playwright's ``context.set_offline(True)`` cuts the page's requests and, in this Chromium, the service worker's
own requests too (checked below from inside the worker), so the form's offline reload can only come from the
worker's cache.
"""

import re

import pytest

from projects.models import InvestmentVisit

from .conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
NETWORK_ERRORS = re.compile(r"ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|Failed to fetch|Failed to load resource")


def _until(page, script: str, timeout: float = 15) -> None:
    """Polls ``script`` with ``page.evaluate`` (the page's CSP forbids the evaluated JS of ``wait_for_function``)."""
    for _ in range(int(timeout * 4)):
        race = f"Promise.race([Promise.resolve({script}), new Promise(r => setTimeout(() => r(false), 1000))])"
        if page.evaluate(race):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"never true: {script}; console: {page.console_errors}")


def _ready_offline(page, live_server):
    """The visit form with the service worker in control and the offline pages kept."""
    page.goto(f"{live_server.url}/visits/new/")
    _until(page, "navigator.serviceWorker.ready.then(() => true)")
    _until(page, "caches.open('pinghu-pages').then(c => c.match('/visits/new/')).then(Boolean)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()  # the first page was loaded before the worker took control


def _log(page, firm: str, purpose: str) -> None:
    page.fill("#id_enterprise_name", firm)
    page.fill("#id_purpose", purpose)
    page.click("main form.visit-form button[type=submit]")


def _badge(page) -> str:
    return page.inner_text("[data-offline-badge] [data-offline-count]")


def _wait_for_visits(page, count: int) -> None:
    for _ in range(60):
        if InvestmentVisit.objects.count() >= count:
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(500)  # long enough for a duplicate to arrive, if one were on its way


def test_two_visits_logged_offline_arrive_once(open_page, live_server, official):
    page = open_page(official, viewport=PHONE)
    _ready_offline(page, live_server)
    page.context.set_offline(True)
    _log(page, "长城汽车", "离线走访一")
    page.wait_for_selector("[data-offline-alert].alert-success")
    _log(page, "长城汽车", "离线走访二")
    _until(page, "document.querySelector('[data-offline-count]').textContent === '2'")
    assert InvestmentVisit.objects.count() == 0

    worker = page.context.service_workers[0]
    assert worker.evaluate("fetch('/healthz', {cache: 'no-store'}).then(() => 'online', () => 'offline')") == "offline"
    page.reload()  # offline: the service worker's copy of the form
    page.wait_for_selector("form[data-offline-queue]")
    assert _badge(page) == "2"
    screenshot(page, "offline-form-phone")
    page.goto(f"{live_server.url}/offline/")
    page.wait_for_selector("[data-offline-item]")
    assert page.locator("[data-offline-item][data-offline-status=waiting]").count() == 2

    page.context.set_offline(False)  # the `online` event (or Background Sync) sends them
    _wait_for_visits(page, 2)
    assert sorted(InvestmentVisit.objects.values_list("purpose", flat=True)) == ["离线走访一", "离线走访二"]
    page.wait_for_selector("[data-offline-badge].d-none", state="attached")
    # Only the failed requests of the offline minutes: no script error.
    assert [error for error in page.console_errors if not NETWORK_ERRORS.search(error)] == []


def test_a_send_cut_off_after_the_server_saved_is_sent_again_and_saved_once(open_page, live_server, official):
    page = open_page(official, viewport=PHONE)
    _ready_offline(page, live_server)
    page.context.set_offline(True)
    _log(page, "长城汽车", "断网重发")
    page.wait_for_selector("[data-offline-alert].alert-success")

    # The first POST reaches the server (which saves the visit), then its answer is lost.
    cut = {"done": False}

    def cut_first_answer(route):
        if route.request.method == "POST" and not cut["done"]:
            cut["done"] = True
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.context.route(re.compile(r".*/visits/new/$"), cut_first_answer)
    page.context.set_offline(False)
    _wait_for_visits(page, 1)
    assert cut["done"]
    # Kept after the failure, then sent again (this page's load, the `online` event, Background Sync or 发送):
    # the server answers with the first save, and the queue is empty.
    page.goto(f"{live_server.url}/offline/")
    if page.locator("[data-offline-item]").count():
        page.click("[data-offline-send]")
    page.wait_for_selector("[data-offline-list] p")
    assert InvestmentVisit.objects.filter(purpose="断网重发").count() == 1
    assert _badge(page) == "0"


def test_a_refused_visit_comes_back_to_the_form_with_the_message(open_page, live_server, official):
    page = open_page(official, viewport=PHONE)
    _ready_offline(page, live_server)
    page.context.set_offline(True)
    _log(page, "没有这家企业", "被退回的走访")
    page.wait_for_selector("[data-offline-alert].alert-success")
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/offline/")
    page.wait_for_selector("[data-offline-item][data-offline-status=refused]")
    assert "没有这家企业" in page.inner_text("[data-offline-item]")
    assert InvestmentVisit.objects.count() == 0
    page.click("[data-offline-item] a")
    page.wait_for_selector("[data-offline-error]")
    assert page.input_value("#id_purpose") == "被退回的走访"
    assert "没有这家企业" in page.inner_text("[data-offline-alert]")
    page.check("#id_create_enterprise")
    page.click("main form.visit-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/visits/(\d+/)?$"))  # the list, or the visit's page
    assert InvestmentVisit.objects.get().purpose == "被退回的走访"
    page.goto(f"{live_server.url}/offline/")
    page.wait_for_selector("[data-offline-list] p")
    assert page.locator("[data-offline-item]").count() == 0
