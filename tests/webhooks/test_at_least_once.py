"""A worker killed mid-task neither loses nor duplicates a delivery; manual redelivery; recovery of lost tasks.

The worker is "killed" by an exception that is not an Exception (as SystemExit is): nothing after it in the
attempt runs, as if the process had died there; the delivery's claim then stays until its lease ends.
"""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from webhooks.delivery import LEASE, attempt_delivery, http_post
from webhooks.models import Delivery
from webhooks.services import deliveries_recover, delivery_redeliver, subscription_create


class Killed(BaseException):
    """The worker process dying."""


def _delivery(subscription, now):
    return Delivery.objects.create(
        subscription=subscription,
        event_id=uuid.uuid4(),
        event_type="visit.created",
        occurred_at=now,
        resource="visits",
        object_id="7",
        payload={"id": 7},
        next_attempt_at=now,
        give_up_at=now + datetime.timedelta(hours=24),
    )


def _dies_before_sending(url, **kwargs):
    raise Killed


def _dies_after_sending(url, **kwargs):
    http_post(url, **kwargs)
    raise Killed


@pytest.fixture
def delivery(consumer, receiver, clock):
    subscription, _secret = subscription_create(owner=consumer, url=receiver.url, events=["visit.created"])
    return _delivery(subscription, clock.now)


@pytest.mark.django_db
def test_killed_before_sending_it_is_sent_once_after_the_lease(delivery, receiver, clock):
    with pytest.raises(Killed):
        attempt_delivery(delivery.pk, clock=clock, post=_dies_before_sending)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.locked_until == clock.now + LEASE
    # The task run again at once (another worker): the claim still holds, nothing is sent.
    assert attempt_delivery(delivery.pk, clock=clock).startswith("not due, claimed")
    assert receiver.requests == []
    clock.advance(seconds=61)
    assert attempt_delivery(delivery.pk, clock=clock) == "delivered"
    assert attempt_delivery(delivery.pk, clock=clock) != "delivered"
    assert [request["headers"]["X-Pinghu-Event-Id"] for request in receiver.requests] == [str(delivery.event_id)]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)


@pytest.mark.django_db
def test_killed_after_the_receiver_got_it_it_comes_again_with_the_same_event_id(delivery, receiver, clock):
    with pytest.raises(Killed):
        attempt_delivery(delivery.pk, clock=clock, post=_dies_after_sending)
    clock.advance(seconds=61)
    assert attempt_delivery(delivery.pk, clock=clock) == "delivered"
    ids = [request["headers"]["X-Pinghu-Event-Id"] for request in receiver.requests]
    assert ids == [str(delivery.event_id)] * 2  # at least once: the receiver drops the repeat by its id


@pytest.mark.django_db
def test_a_task_run_again_after_a_recorded_success_sends_nothing(delivery, receiver, clock):
    assert attempt_delivery(delivery.pk, clock=clock) == "delivered"
    # The worker died before marking its task done; the queue runs it again, later, twice.
    clock.advance(minutes=10)
    attempt_delivery(delivery.pk, clock=clock)
    attempt_delivery(delivery.pk, clock=clock)
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_the_db_worker_runs_the_queued_task_once_and_a_killed_ones_delivery_is_recovered(
    consumer, receiver, monkeypatch
):
    from django.utils import timezone
    from django_tasks_db.management.commands import db_worker

    # The worker closes stale connections between tasks: here that would be the test's own transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    from tests.factories import UserFactory
    from tests.webhooks.test_recording import _visit

    subscription_create(owner=consumer, url=receiver.url, events=["visit.created"])
    _visit(UserFactory(username="official", is_superuser=True))
    task = DBTaskResult.objects.get()
    # A worker claimed the task and died: the task stays "running" and no other worker takes it.
    task.claim("dead-worker")
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")
    assert receiver.requests == []
    # The recovery (run by a timer every few minutes) queues the delivery's attempt again.
    delivery = Delivery.objects.get()
    assert deliveries_recover(now=timezone.now()) == 0  # not yet: a busy queue may still reach it
    assert deliveries_recover(now=timezone.now() + datetime.timedelta(minutes=6)) == 1
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and len(receiver.requests) == 1
    assert receiver.requests[0]["headers"]["X-Pinghu-Event-Id"] == str(delivery.event_id)
    call_command("webhooks_recover")
    assert DBTaskResult.objects.filter(status="READY").count() == 0


@pytest.mark.django_db
def test_redelivery_sends_the_same_event_again_through_the_api(delivery, receiver, clock, consumer_client):
    assert attempt_delivery(delivery.pk, clock=clock) == "delivered"
    response = consumer_client.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [delivery.pk]
    delivery.refresh_from_db()
    clock.now = delivery.next_attempt_at  # due now (the API used the real clock)
    assert attempt_delivery(delivery.pk, clock=clock) == "delivered"
    assert [request["headers"]["X-Pinghu-Event-Id"] for request in receiver.requests] == [str(delivery.event_id)] * 2
    delivery.refresh_from_db()
    assert delivery.attempts == 2


@pytest.mark.django_db
def test_redelivery_is_refused_while_in_flight_or_for_a_disabled_subscription(delivery, clock, consumer_client):
    from django.core.exceptions import ValidationError

    with pytest.raises(Killed):
        attempt_delivery(delivery.pk, clock=clock, post=_dies_before_sending)
    with pytest.raises(ValidationError, match="正在发送|being sent"):
        delivery_redeliver(delivery, now=clock.now)
    delivery.subscription.is_active = False
    delivery.subscription.save()
    response = consumer_client.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_admin_action_redelivers(delivery, receiver, clock, admin_client):
    attempt_delivery(delivery.pk, clock=clock)
    response = admin_client.post(
        "/admin/webhooks/delivery/", {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True
    )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == "pending" and DBTaskResult.objects.count() == 1
    assert admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/").status_code == 200
    assert admin_client.get("/admin/webhooks/delivery/").status_code == 200


@pytest.mark.django_db
def test_the_admin_shows_a_new_subscriptions_secret_once(admin_client, consumer):
    response = admin_client.post(
        "/admin/webhooks/subscription/add/",
        {
            "owner": consumer.pk,
            "url": "https://bi.example/hook",
            "events": ["visit.created", "report.sent"],
            "is_active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    from webhooks.models import Subscription

    subscription = Subscription.objects.get()
    assert subscription.events == ["visit.created", "report.sent"] and subscription.owner == consumer
    assert subscription.secret in response.content.decode()
    page = admin_client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/").content.decode()
    assert subscription.secret not in page and subscription.secret[:10] in page
