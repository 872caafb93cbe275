"""Urgent notifications go out as tasks: queued in the notification's transaction, sent once, retried with backoff,
held by a paused channel, and neither lost nor doubled when a worker dies mid-task (fake clock, local receiver)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from notifications import delivery as delivery_module
from notifications import sending
from notifications.choices import DeliveryStatus
from notifications.delivery import backoff, deliver, sweep
from notifications.models import Channel, Delivery, Notification, UnitMessage
from notifications.services import channel_resume, notify
from pinghu.permissions import Role
from tests.factories import UserFactory
from tests.notifications.conftest import local, make_channel
from units.models import Unit

pytestmark = pytest.mark.django_db


def queued_ids() -> list[str]:
    return [row.args_kwargs["args"][0] for row in DBTaskResult.objects.filter(task_path__endswith="deliver_task")]


def test_an_urgent_notification_queues_one_delivery_per_channel_in_its_transaction(person, receiver, fake_clock):
    make_channel(receiver.url, owner=person)
    make_channel("dingtalk://abcdef123456/", owner=person)
    assert notify(users=[person], kind="test", title="交办", urgent=True) == 1
    deliveries = list(Delivery.objects.order_by("channel_id"))
    assert [d.status for d in deliveries] == ["pending", "pending"]
    assert sorted(queued_ids()) == sorted(str(d.pk) for d in deliveries)


def test_a_rolled_back_notification_leaves_no_delivery_and_no_task(person, receiver, fake_clock):
    make_channel(receiver.url, owner=person)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[person], kind="test", title="交办", urgent=True)
        raise RuntimeError("the change failed")
    assert not Delivery.objects.exists() and not queued_ids()


def test_a_non_urgent_notification_waits_for_the_digest(person, receiver, fake_clock):
    make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="到期")
    assert not Delivery.objects.exists()


def test_a_delivery_reaches_the_receiver_with_its_id_and_an_absolute_link(person, receiver, fake_clock, settings):
    settings.PINGHU_SITE_URL = "https://zs.pinghu.example"
    make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="问题已交办", body="请处理", link="/issues/7/", urgent=True)
    row = Delivery.objects.get()
    assert deliver(str(row.pk)) == "sent"
    [request] = receiver.requests
    assert request["json"]["title"] == "问题已交办"
    assert request["json"]["message"] == "请处理\nhttps://zs.pinghu.example/issues/7/"
    assert request["headers"]["X-Pinghu-Delivery"] == str(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at) == ("sent", 1, fake_clock.moment)


def test_a_task_run_twice_sends_once(person, receiver, fake_clock):
    make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="一次", urgent=True)
    delivery_id = str(Delivery.objects.get().pk)
    assert deliver(delivery_id) == "sent"
    assert deliver(delivery_id) == "sent"
    assert len(receiver.requests) == 1


def test_the_db_worker_sends_what_was_queued(person, receiver, fake_clock, monkeypatch):
    # The worker closes stale connections between tasks; the test's connection holds its transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="工作进程", urgent=True)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert [r["json"]["title"] for r in receiver.requests] == ["工作进程"]
    assert Delivery.objects.get().status == "sent"


def test_a_unit_addressed_urgent_message_goes_once_to_the_units_robot(receiver, fake_clock):
    unit = Unit.objects.create(name="新埭镇")
    members = [UserFactory(username="m1"), UserFactory(username="m2")]
    unit.members.add(*members)
    make_channel(receiver.url, unit=unit)
    assert notify(units=[unit], kind="test", title="问题交办新埭镇", urgent=True) == 2
    assert Notification.objects.count() == 2 and UnitMessage.objects.count() == 1
    [row] = Delivery.objects.all()
    assert row.unit_message.unit == unit
    deliver(str(row.pk))
    assert [r["json"]["title"] for r in receiver.requests] == ["问题交办新埭镇"]


def test_a_receiver_down_is_retried_with_doubling_waits(person, receiver, fake_clock, settings):
    settings.PINGHU_DELIVERY_RETRY_SECONDS = 60
    settings.PINGHU_DELIVERY_RETRY_MAX_SECONDS = 600
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]
    channel = make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="重试", urgent=True)
    row = Delivery.objects.get()
    receiver.status = 500
    start = fake_clock.moment
    assert deliver(str(row.pk)) == "pending"
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (1, start + backoff(1))
    assert "JSON" in row.last_error or row.last_error
    channel.refresh_from_db()
    assert channel.failing_since == start
    # Too early: the retry task runs at its time, not before.
    assert deliver(str(row.pk)) == "early"
    assert queued_ids().count(str(row.pk)) == 2  # the first task and the retry
    fake_clock.advance(seconds=60)
    assert deliver(str(row.pk)) == "pending"
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (2, fake_clock.moment + backoff(2))
    receiver.status = 200
    fake_clock.advance(seconds=120)
    assert deliver(str(row.pk)) == "sent"
    assert len(receiver.requests) == 3
    channel.refresh_from_db()
    assert (channel.failing_since, channel.last_success_at) == (None, fake_clock.moment)


def test_a_channel_failing_for_three_days_is_paused_and_its_owner_told(person, receiver, fake_clock, settings):
    settings.PINGHU_DELIVERY_RETRY_MAX_SECONDS = 6 * 3600
    channel = make_channel(receiver.url, owner=person, name="我的机器人")
    notify(users=[person], kind="test", title="会暂停", urgent=True)
    row = Delivery.objects.get()
    receiver.status = 503
    start = fake_clock.moment
    while True:
        state = deliver(str(row.pk))
        if state not in ("pending", "quiet"):  # a retry due at night waits for the morning
            break
        row.refresh_from_db()
        fake_clock.moment = row.next_attempt_at
    assert state == "held"
    assert datetime.timedelta(days=3) <= fake_clock.moment - start < datetime.timedelta(days=3, hours=6, minutes=1)
    channel.refresh_from_db()
    assert channel.paused_at == fake_clock.moment and not channel.active
    row.refresh_from_db()
    assert row.status == "held"
    told = Notification.objects.get(recipient=person, kind="channel_paused")
    assert "我的机器人" in told.title
    # Paused: a new urgent message is not even queued on it; resuming queues the held one, which goes out.
    notify(users=[person], kind="test", title="暂停中", urgent=True)
    assert Delivery.objects.count() == 1
    receiver.status = 200
    sent_before = len(receiver.requests)
    assert channel_resume(channel=channel) == 1
    assert deliver(str(row.pk)) == "sent"
    assert len(receiver.requests) == sent_before + 1


def test_a_unit_channel_paused_tells_bureau_staff(receiver, fake_clock):
    staff = UserFactory(username="staff", roles=[Role.BUREAU_STAFF])
    unit = Unit.objects.create(name="广陈镇")
    channel = make_channel(receiver.url, unit=unit)
    channel.failing_since = local(2026, 2, 26, 9, 0)
    Channel.objects.filter(pk=channel.pk).update(failing_since=channel.failing_since)
    unit.members.add(UserFactory(username="m"))
    notify(units=[unit], kind="test", title="交办", urgent=True)
    receiver.status = 500
    assert deliver(str(Delivery.objects.get().pk)) == "held"
    assert Notification.objects.filter(recipient=staff, kind="channel_paused").count() == 1


def test_a_worker_killed_after_sending_neither_loses_nor_doubles_the_effect(person, receiver, fake_clock, monkeypatch):
    """The worker dies after the POST, before recording it: the sweep re-queues it after the lease, the same
    delivery id goes out again, and a receiver keyed on that id applies it once."""
    make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="被杀", urgent=True)
    row = Delivery.objects.get()

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patched, pytest.raises(SystemExit):
        patched.setattr(delivery_module, "record_outcome", killed)
        deliver(str(row.pk))
    row.refresh_from_db()
    assert row.status == "sending" and len(receiver.requests) == 1
    assert sweep() == 0  # within the lease: perhaps still running
    assert deliver(str(row.pk)) == "busy"
    fake_clock.advance(minutes=11)
    assert sweep() == 1
    assert deliver(str(row.pk)) == "sent"
    assert deliver(str(row.pk)) == "sent"
    assert set(receiver.delivery_ids()) == {str(row.pk)}  # one effect, by its id
    row.refresh_from_db()
    assert (row.status, row.attempts, Delivery.objects.count()) == ("sent", 2, 1)


def test_a_worker_killed_before_sending_loses_nothing(person, receiver, fake_clock, monkeypatch):
    make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="发送前被杀", urgent=True)
    row = Delivery.objects.get()

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    with monkeypatch.context() as patched, pytest.raises(SystemExit):
        patched.setattr(sending, "send", killed)
        deliver(str(row.pk))
    assert receiver.requests == []
    fake_clock.advance(minutes=11)
    call_command("notifications_sweep", verbosity=0)
    assert deliver(str(row.pk)) == "sent"
    assert len(receiver.requests) == 1


def test_quiet_hours_hold_an_urgent_message_until_they_end(person, receiver, fake_clock):
    fake_clock.moment = local(2026, 3, 2, 23, 30)
    make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="深夜", urgent=True)
    row = Delivery.objects.get()
    assert row.next_attempt_at == local(2026, 3, 3, 7, 0)
    assert deliver(str(row.pk)) == "early"
    fake_clock.moment = local(2026, 3, 3, 7, 0)
    assert deliver(str(row.pk)) == "sent"


def test_a_delivery_of_a_deleted_channel_or_message_is_skipped(person, receiver, fake_clock):
    channel = make_channel(receiver.url, owner=person)
    notify(users=[person], kind="test", title="x", urgent=True)
    row_id = str(Delivery.objects.get().pk)
    channel.delete()
    assert deliver(row_id) == "gone"
    assert DeliveryStatus.SENT not in Delivery.objects.values_list("status", flat=True)


def test_a_receiver_that_is_not_listening_is_a_failure_to_retry(person, fake_clock):
    make_channel("json://127.0.0.1:9/hook", owner=person)  # the discard port: nothing listens
    notify(users=[person], kind="test", title="没人听", urgent=True)
    row = Delivery.objects.get()
    assert deliver(str(row.pk)) == "pending"
    row.refresh_from_db()
    assert row.attempts == 1 and row.last_error and row.next_attempt_at > fake_clock.moment


def test_errors_keep_no_secret(person):
    assert sending.scrub("GET /robot/send?access_token=abc123&x=1 mailtos://user:pw@host/") == (
        "GET /robot/send?access_token=…&x=1 mailtos://…@host/"
    )


def test_the_daily_job_can_be_queued_for_a_worker(person, fake_clock):
    call_command("notifications_daily", "--enqueue", verbosity=0, stdout=__import__("io").StringIO())
    assert DBTaskResult.objects.filter(task_path="notifications.tasks.daily_task").count() == 1
