"""The login lockout behind a proxy: the client's address from X-Forwarded-For, never the proxy's."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.factories import UserFactory

PROXY = "10.0.0.1"


def _through_proxy(forwarded_for: str, password: str, url: str = "/accounts/login/"):
    """A login as nginx passes it on: REMOTE_ADDR is the proxy, the client is appended to the header."""
    return Client().post(
        url,
        {"username": "zhang", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1
    UserFactory(username="zhang", password="right-password", is_staff=True)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_failures_from_one_client_do_not_lock_out_another_behind_the_same_proxy(one_proxy, url):
    for _ in range(5):
        _through_proxy("203.0.113.5", "wrong", url)
    assert _through_proxy("203.0.113.5", "right-password", url).status_code == 429
    # The attempts are recorded at the client's address, not the proxy's.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    # The same user name from another client still logs in.
    assert _through_proxy("198.51.100.9", "right-password", url).status_code == 302


@pytest.mark.django_db
def test_a_client_cannot_escape_its_lock_by_writing_the_header_itself(one_proxy):
    for _ in range(5):
        _through_proxy("203.0.113.5", "wrong")
    # nginx appends the real client after whatever the client sent: the last address counts.
    assert _through_proxy("198.51.100.9, 203.0.113.5", "right-password").status_code == 429
    assert _through_proxy("198.51.100.9", "right-password").status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_the_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    UserFactory(username="zhang", password="right-password", is_staff=True)
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"]:
        _through_proxy(address, "wrong")
    # Every attempt came from the same REMOTE_ADDR, whatever the header said.
    assert _through_proxy("198.51.100.9", "right-password").status_code == 429
