"""A local HTTP receiver (apprise's ``json://`` target; never the internet), a fake clock, people and channels."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from notifications import clock
from notifications.models import Channel
from notifications.services import channel_save
from pinghu.permissions import Role
from tests.factories import UserFactory


class Receiver:
    """Records every POST (path, headers, JSON body); answers ``status`` (500 while "down")."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "json": json.loads(body or b"{}")}
                    )
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"json://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivery_ids(self) -> list[str]:
        return [request["headers"].get("X-Pinghu-Delivery") for request in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


class FakeClock:
    def __init__(self, start: datetime.datetime):
        self.moment = start

    def __call__(self) -> datetime.datetime:
        return self.moment

    def advance(self, **delta) -> datetime.datetime:
        self.moment += datetime.timedelta(**delta)
        return self.moment


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def fake_clock(monkeypatch, settings):
    """Monday 2026-03-02 10:00 in Pinghu (outside the default quiet hours 22:00–07:00)."""
    settings.PINGHU_QUIET_HOURS = "22:00-07:00"
    fake = FakeClock(local(2026, 3, 2, 10, 0))
    monkeypatch.setattr(clock, "_source", fake)
    return fake


@pytest.fixture
def person(db):
    return UserFactory(username="zhang")


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", roles=[Role.BUREAU_STAFF])


def make_channel(url: str, *, owner=None, unit=None, name="") -> Channel:
    return channel_save(channel=Channel(owner=owner, unit=unit, name=name), url=url)
