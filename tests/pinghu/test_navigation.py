"""The main menu: apps add their pages (``pinghu.navigation``); base.html lists those the user may see."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import UserFactory

EVERYONE = [
    "projects:dashboard",
    "projects:visit-list",
    "projects:project-list",
    "projects:board",
    "projects:signing-event-list",
    "projects:overdue",
]


def menu_links(client) -> list[str]:
    html = client.get(reverse("projects:dashboard")).content.decode()
    menu = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r'class="nav-link" href="([^"]+)"', menu)


@pytest.mark.django_db
def test_a_superuser_sees_every_entry_in_menu_order(admin_client):
    assert menu_links(admin_client) == [
        reverse(name)
        for name in [
            "projects:dashboard",
            "projects:visit-new",
            "projects:visit-list",
            "projects:project-list",
            "projects:board",
            "projects:signing-event-list",
            "aftercare:issue-list",
            "targets:target-list",
            "targets:ranking",
            "chains:per-mu",
            "reports:report-list",
            "aftercare:my-firms",
            "projects:overdue",
            "projects:data-quality",
            "units:unit-list",
            "reminders:rule-list",
        ]
    ]


@pytest.mark.django_db
def test_entries_needing_a_permission_are_shown_only_with_it(client):
    user = UserFactory(username="plain")
    client.force_login(user)
    assert menu_links(client) == [reverse(name) for name in EVERYONE]

    user.user_permissions.add(Permission.objects.get(codename="view_enterpriseannualmetric"))
    links = menu_links(client)
    assert reverse("chains:per-mu") in links
    assert reverse("projects:visit-new") not in links
    assert reverse("targets:target-list") not in links

    user.user_permissions.add(Permission.objects.get(codename="view_target"))
    links = menu_links(client)
    assert reverse("targets:target-list") in links and reverse("targets:ranking") in links


@pytest.mark.django_db
def test_the_brand_links_to_where_signing_in_lands(admin_client, settings):
    html = admin_client.get(reverse("projects:dashboard")).content.decode()
    assert f'<a class="navbar-brand" href="{reverse(settings.LOGIN_REDIRECT_URL)}">' in html
