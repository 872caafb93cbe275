"""Delivering: the signed POST, retries with backoff on a fake clock, giving up, disabling, a receiver that is down."""

import datetime
import json
import uuid

import pytest
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification
from webhooks.delivery import attempt_delivery, backoff
from webhooks.models import Delivery, Subscription
from webhooks.services import subscription_create
from webhooks.signing import verify

from .receiver import Receiver

S = datetime.timedelta(seconds=1)


def _delivery(subscription, now, **fields):
    values = {
        "subscription": subscription,
        "event_id": uuid.uuid4(),
        "event_type": "visit.created",
        "occurred_at": now,
        "resource": "visits",
        "object_id": "7",
        "payload": {"id": 7, "purpose": "洽谈"},
        "next_attempt_at": now,
        "give_up_at": now + datetime.timedelta(hours=24),
    }
    return Delivery.objects.create(**{**values, **fields})


def _subscribe(owner, url):
    return subscription_create(owner=owner, url=url, events=["visit.created"])


def test_backoff_doubles_from_thirty_seconds_up_to_two_hours():
    assert [backoff(n).total_seconds() for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3840, 7200]
    assert backoff(30) == datetime.timedelta(hours=2)


@pytest.mark.django_db
def test_the_receiver_gets_the_signed_event_and_can_verify_it(consumer, receiver, clock):
    subscription, secret = _subscribe(consumer, receiver.url)
    delivery = _delivery(subscription, clock.now)
    assert attempt_delivery(delivery.pk, clock=clock) == "delivered"
    [got] = receiver.requests
    headers, body = got["headers"], got["body"]
    assert json.loads(body) == {
        "id": str(delivery.event_id),
        "type": "visit.created",
        "time": clock.now.isoformat(),
        "resource": "visits",
        "data": {"id": 7, "purpose": "洽谈"},
        "details": {},
    }
    assert headers["X-Pinghu-Event-Id"] == str(delivery.event_id) and headers["X-Pinghu-Event-Type"] == "visit.created"
    timestamp = headers["X-Pinghu-Timestamp"]
    assert int(timestamp) == int(clock.now.timestamp())
    assert verify(secret, timestamp, body, headers["X-Pinghu-Signature"], now=int(timestamp))
    # A changed body, another secret or a stale timestamp do not verify.
    assert not verify(secret, timestamp, body.replace(b"7", b"8"), headers["X-Pinghu-Signature"], now=int(timestamp))
    assert not verify("whsec_other", timestamp, body, headers["X-Pinghu-Signature"], now=int(timestamp))
    assert not verify(secret, timestamp, body, headers["X-Pinghu-Signature"], now=int(timestamp) + 301)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code, delivery.delivered_at) == (
        "succeeded",
        1,
        200,
        clock.now,
    )
    assert delivery.duration_ms is not None and delivery.locked_until is None
    # Run again (a duplicate task): nothing is sent twice.
    assert attempt_delivery(delivery.pk, clock=clock) != "delivered"
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_server_errors_are_retried_with_backoff_until_it_answers(consumer, clock):
    with Receiver(answers=[500, 503, 502, 200]) as flaky:
        subscription, _secret = _subscribe(consumer, flaky.url)
        delivery = _delivery(subscription, clock.now)
        start = clock.now
        assert attempt_delivery(delivery.pk, clock=clock).startswith("retry at")
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
        assert delivery.next_attempt_at == start + 30 * S and "HTTP 500" in delivery.last_error
        # The retry is a task that runs no earlier than then.
        retry = DBTaskResult.objects.get()
        assert retry.run_after == start + 30 * S and retry.args_kwargs["args"] == [delivery.pk]
        # Not due yet: nothing is sent.
        clock.advance(seconds=29)
        assert attempt_delivery(delivery.pk, clock=clock).startswith("not due")
        assert len(flaky.requests) == 1
        clock.advance(seconds=1)
        attempt_delivery(delivery.pk, clock=clock)
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == clock.now + 60 * S and delivery.response_code == 503
        clock.advance(seconds=60)
        attempt_delivery(delivery.pk, clock=clock)
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == clock.now + 120 * S
        clock.advance(seconds=120)
        assert attempt_delivery(delivery.pk, clock=clock) == "delivered"
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.response_code, delivery.last_error) == (
            "succeeded",
            4,
            200,
            "",
        )
        assert len({request["headers"]["X-Pinghu-Event-Id"] for request in flaky.requests}) == 1
        subscription.refresh_from_db()
        assert subscription.failing_since is None and subscription.is_active


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "retried"), [(400, False), (404, False), (410, False), (301, False), (408, True), (429, True)]
)
def test_client_errors_other_than_408_and_429_are_not_retried(consumer, clock, code, retried):
    with Receiver(answers=[code]) as refusing:
        subscription, _secret = _subscribe(consumer, refusing.url)
        delivery = _delivery(subscription, clock.now)
        attempt_delivery(delivery.pk, clock=clock)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.response_code) == ("pending" if retried else "failed", code)
        assert DBTaskResult.objects.count() == (1 if retried else 0)
        clock.advance(hours=1)
        attempt_delivery(delivery.pk, clock=clock)
        assert len(refusing.requests) == (2 if retried else 1)


@pytest.mark.django_db
def test_a_receiver_that_is_down_is_retried_and_the_error_logged(consumer, down_url, clock):
    subscription, _secret = _subscribe(consumer, down_url)
    delivery = _delivery(subscription, clock.now)
    assert attempt_delivery(delivery.pk, clock=clock).startswith("retry at")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("pending", None, 1)
    assert "ConnectionError" in delivery.last_error
    subscription.refresh_from_db()
    assert subscription.failing_since == clock.now and subscription.is_active


@pytest.mark.django_db
def test_after_24_hours_of_failures_it_gives_up_the_subscription_is_disabled_and_the_owner_told(
    consumer, down_url, clock
):
    subscription, _secret = _subscribe(consumer, down_url)
    first = _delivery(subscription, clock.now)
    start = clock.now
    attempts = 0
    while True:
        outcome = attempt_delivery(first.pk, clock=clock)
        attempts += 1
        first.refresh_from_db()
        if first.status != "pending":
            break
        clock.now = first.next_attempt_at
    # Attempts at 0, 30 s, 1 min 30 s, … doubling: the 9th at 2 h 7 min 30 s; then every 2 hours (ten more, the
    # last at 22 h 7 min 30 s); the 20th on the deadline, 24 hours after the event.
    assert outcome == "failed" and first.status == "failed" and attempts == first.attempts == 20
    assert clock.now - start == datetime.timedelta(hours=24)
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_at == clock.now
    [message] = Notification.objects.filter(recipient=consumer)
    assert message.kind == "webhook_disabled" and down_url in message.title
    # A later event's pending delivery is not sent to a disabled subscription.
    later = _delivery(subscription, clock.now)
    assert attempt_delivery(later.pk, clock=clock) == "subscription disabled"
    later.refresh_from_db()
    assert later.status == "failed"


@pytest.mark.django_db
def test_a_success_between_failures_starts_the_24_hours_again(consumer, clock):
    with Receiver(answers=[500, 200, 500]) as flaky:
        subscription, _secret = _subscribe(consumer, flaky.url)
        attempt_delivery(_delivery(subscription, clock.now).pk, clock=clock)
        subscription.refresh_from_db()
        assert subscription.failing_since == clock.now
        clock.advance(hours=20)
        attempt_delivery(_delivery(subscription, clock.now).pk, clock=clock)
        subscription.refresh_from_db()
        assert subscription.failing_since is None
        clock.advance(hours=5)
        attempt_delivery(_delivery(subscription, clock.now).pk, clock=clock)
        subscription.refresh_from_db()
        assert subscription.is_active and subscription.failing_since == clock.now
        assert not Subscription.objects.filter(is_active=False).exists()
