"""The main menu in Chromium: one line from 1280 px in both languages with room left for a search box,
dropdowns that open, a hamburger on a phone."""

import pytest
from playwright.sync_api import expect

from pinghu import navigation
from pinghu.permissions import Role
from tests.factories import UserFactory

from .conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

SEARCH_WIDTH = 160  # px at least for the navbar's search box, on the same line as the menu


def busiest_role_user():
    """A user of the role that sees the most entries of the menu."""
    users = [UserFactory(username=f"nav-{n}", roles=[role]) for n, role in enumerate(Role.ALL)]
    return max(users, key=lambda user: sum(len(entry.get("entries", [entry])) for entry in navigation.menu_for(user)))


def choose_english(page):
    page.click("nav form.language-switch button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_menu_is_one_line_at_1280_px_with_the_search_box(open_page, live_server, language):
    user = busiest_role_user()
    page = open_page(user, viewport={"width": 1280, "height": 800})
    if language == "en":
        choose_english(page)
    items = page.locator("ul.main-menu > li.nav-item")
    expect(items.first).to_be_visible()
    assert items.count() == 6  # the dashboard and five dropdowns
    navbar = page.locator("nav.navbar").bounding_box()
    tops = {round(items.nth(n).bounding_box()["y"]) for n in range(items.count())}
    assert len(tops) == 1 and navbar["height"] < 70, (tops, navbar)
    menu = page.locator("ul.main-menu").bounding_box()
    tools = page.locator(".navbar-tools").bounding_box()
    assert round(tools["y"]) <= min(tops) + 10  # the tools on the same line
    assert tools["x"] >= menu["x"] + menu["width"] and tools["x"] + tools["width"] <= 1280  # no overlap, no overflow
    search = page.locator("#site-search").bounding_box()  # the search box, first of the tools
    assert search["width"] >= SEARCH_WIDTH and abs(search["y"] - tools["y"]) < 20, (search, tools)
    screenshot(page, f"navbar-1280-{language}")

    # A dropdown opens and leads to its page.
    page.click("li[data-menu-group=projects] > a.dropdown-toggle")
    link = page.locator("li[data-menu-group=projects] a.dropdown-item[href='/signing-events/']")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"{live_server.url}/signing-events/")
    expect(page.locator("li[data-menu-group=projects] > a.dropdown-toggle")).to_have_class(
        "nav-link dropdown-toggle active"
    )


def test_on_a_phone_the_menu_collapses_behind_the_toggler(open_page):
    page = open_page(UserFactory(username="nav-staff", roles=[Role.BUREAU_STAFF]), viewport=PHONE)
    toggler = page.locator("button.navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("ul.main-menu")).to_be_hidden()
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    toggler.click()
    expect(page.locator("ul.main-menu")).to_be_visible()
    page.click("li[data-menu-group=visits] > a.dropdown-toggle")
    expect(page.locator("li[data-menu-group=visits] a.dropdown-item[href='/visits/']")).to_be_visible()
    screenshot(page, "navbar-phone-open")
