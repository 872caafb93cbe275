"""Fixtures of the webhook tests: a local receiver, a subscriber with a token, a fake clock."""

import datetime
import socket

import pytest
from django.utils import timezone

from pinghu.permissions import Role
from pinghu.services import api_token_issue
from tests.factories import UserFactory

from .receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def down_url():
    """A URL where nothing listens: a port that was free a moment ago (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


@pytest.fixture
def consumer(db):
    return UserFactory(username="provincial", roles=[Role.API_CONSUMER])


@pytest.fixture
def consumer_client(api_client, consumer):
    _token, key = api_token_issue(user=consumer, scope="read")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api_client


class Clock:
    """A clock the tests move by hand (``attempt_delivery(clock=...)``)."""

    def __init__(self, start: datetime.datetime):
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta) -> datetime.datetime:
        self.now += datetime.timedelta(**delta)
        return self.now


@pytest.fixture
def clock():
    return Clock(timezone.now())
