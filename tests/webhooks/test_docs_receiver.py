"""The ten-line receiver of docs/webhooks.md verifies a real delivery, refuses a forged one and drops a repeat."""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from webhooks.delivery import attempt_delivery, http_post
from webhooks.models import Delivery
from webhooks.services import subscription_create

from .test_delivery import _delivery


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def documented_receiver():
    text = (Path(settings.BASE_DIR) / "docs" / "webhooks.md").read_text(encoding="utf-8")
    code = re.search(r"A receiver in ten lines.*?```python\n(.*?)```", text, re.S).group(1)
    assert len(code.strip().splitlines()) == 10
    port = _free_port()
    secrets = {}

    def start(secret: str) -> str:
        program = code.replace('b"whsec_…"', repr(secret.encode())).replace('("", 8080)', f'("127.0.0.1", {port})')
        secrets["process"] = start.process = subprocess.Popen(
            [sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return f"http://127.0.0.1:{port}/"
            time.sleep(0.05)
        raise RuntimeError("the documented receiver did not start")

    yield start
    process = secrets["process"]
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.django_db
def test_the_documented_receiver_accepts_a_delivery_once_and_refuses_a_forged_one(
    consumer, clock, documented_receiver, monkeypatch
):
    from django.utils import timezone

    clock.now = timezone.now()  # the receiver checks the timestamp against its own clock
    subscription, secret = subscription_create(owner=consumer, url="http://127.0.0.1:1/", events=["visit.created"])
    subscription.url = documented_receiver(secret)
    subscription.save()
    delivery = _delivery(subscription, clock.now)
    assert attempt_delivery(delivery.pk, clock=clock) == "delivered"
    Delivery.objects.filter(pk=delivery.pk).update(status="pending")  # the same event again: dropped as a repeat
    assert attempt_delivery(delivery.pk, clock=clock) == "delivered"

    forged = _delivery(subscription, clock.now)

    def with_another_signature(url, *, headers, **kwargs):
        return http_post(url, headers={**headers, "X-Pinghu-Signature": "sha256=" + "0" * 64}, **kwargs)

    assert attempt_delivery(forged.pk, clock=clock, post=with_another_signature) == "failed"
    forged.refresh_from_db()
    assert forged.response_code == 401
    documented_receiver.process.terminate()
    printed, _errors = documented_receiver.process.communicate(timeout=10)
    assert printed.splitlines() == ["visit.created 7"]  # the event processed once, the forged one not at all
