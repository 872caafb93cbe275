"""The main menu: apps add their pages into named dropdowns (``pinghu.navigation``); base.html lists them."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from pinghu import navigation
from pinghu.permissions import Role
from tests.factories import UserFactory

EVERYONE = [
    "projects:dashboard",
    "projects:visit-list",
    "projects:overdue",
    "projects:project-list",
    "projects:board",
    "projects:signing-event-list",
]


def menu_html(client, url=None) -> str:
    html = client.get(url or reverse("projects:dashboard")).content.decode()
    return re.search(r'<ul class="navbar-nav me-auto main-menu">(.*?)<div class="d-flex', html, re.S).group(1)


def menu_links(client) -> list[str]:
    return [
        href for href in re.findall(r'class="(?:nav-link|dropdown-item)[^"]*"[^>]*href="([^"#]+)"', menu_html(client))
    ]


def menu_groups(client) -> list[str]:
    return re.findall(r'data-menu-group="([^"]+)"', menu_html(client))


@pytest.mark.django_db
def test_a_superuser_sees_every_entry_in_menu_order(admin_client):
    assert menu_links(admin_client) == [
        reverse(name)
        for name in [
            "projects:dashboard",
            "projects:visit-new",
            "projects:visit-list",
            "projects:overdue",
            "projects:project-list",
            "projects:board",
            "projects:signing-event-list",
            "aftercare:issue-list",
            "chains:per-mu",
            "aftercare:my-firms",
            "targets:target-list",
            "targets:ranking",
            "reports:report-list",
            "projects:data-quality",
            "units:unit-list",
            "reminders:rule-list",
        ]
    ]
    assert menu_groups(admin_client) == ["visits", "projects", "firms", "assessment", "settings"]


@pytest.mark.django_db
def test_entries_needing_a_permission_are_shown_only_with_it(client):
    user = UserFactory(username="plain")
    client.force_login(user)
    assert menu_links(client) == [reverse(name) for name in EVERYONE]
    # A dropdown none of whose entries the user may see is not shown at all.
    assert menu_groups(client) == ["visits", "projects"]

    user.user_permissions.add(Permission.objects.get(codename="view_enterpriseannualmetric"))
    links = menu_links(client)
    assert reverse("chains:per-mu") in links
    assert reverse("projects:visit-new") not in links
    assert reverse("targets:target-list") not in links
    assert menu_groups(client) == ["visits", "projects", "firms"]

    user.user_permissions.add(Permission.objects.get(codename="view_target"))
    links = menu_links(client)
    assert reverse("targets:target-list") in links and reverse("targets:ranking") in links


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.BUREAU_STAFF])
def test_the_roles_see_at_most_six_entries_on_the_bar(client, role):
    """Grouped so the bar fits on one line (tests/browser/test_navigation.py measures it)."""
    client.force_login(UserFactory(roles=[role]))
    html = menu_html(client)
    top_level = re.findall(r'<li class="nav-item[^"]*"', html)
    assert 3 <= len(top_level) <= 6


@pytest.mark.django_db
def test_the_page_shown_is_marked_in_the_menu(admin_client):
    html = menu_html(admin_client, reverse("projects:project-list"))
    url = reverse("projects:project-list")
    assert f'class="dropdown-item active" aria-current="page" href="{url}"' in html
    assert re.search(r'data-menu-group="projects">\s*<a class="nav-link dropdown-toggle active"', html)
    assert re.search(r'data-menu-group="visits">\s*<a class="nav-link dropdown-toggle"', html)


def test_every_entry_names_a_declared_group():
    groups = navigation.menu_groups()
    for item in navigation.menu_items():
        assert item.group is None or item.group in groups, item


@pytest.mark.django_db
def test_the_brand_links_to_where_signing_in_lands(admin_client, settings):
    html = admin_client.get(reverse("projects:dashboard")).content.decode()
    assert f'<a class="navbar-brand" href="{reverse(settings.LOGIN_REDIRECT_URL)}">' in html
