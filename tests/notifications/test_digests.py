"""The daily digest: one per person (and per unit) a day, unread non-urgent lines with absolute links, after quiet
hours; and the retention purge. Fake clock: Monday 2026-03-02 10:00 in Pinghu."""

import pytest
from django.core.management import call_command

from notifications.delivery import deliver
from notifications.digests import MAX_LINES, build_digests
from notifications.models import Delivery, Digest, Notification, UnitMessage
from notifications.services import notifications_purge, notify, preference_save
from tests.factories import UserFactory
from tests.notifications.conftest import local, make_channel
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_a_days_notifications_become_one_digest_per_person(person, receiver, fake_clock, settings):
    settings.PINGHU_SITE_URL = "https://zs.example"
    other = UserFactory(username="li")
    make_channel(receiver.url, owner=person)
    notify(users=[person, other], kind="a", title="跟进到期：项目甲", link="/projects/1/")
    fake_clock.advance(hours=1)
    notify(users=[person], kind="b", title="项目乙停滞", link="/projects/2/")
    notify(users=[person], kind="c", title="紧急", urgent=True)  # went out at once, not in the digest
    read = Notification.objects.get(recipient=other)
    read.read_at = fake_clock.moment
    read.save()
    fake_clock.advance(hours=1)
    assert build_digests() == 1  # li read theirs in the app: nothing to digest
    digest = Digest.objects.get()
    assert (digest.recipient, digest.day, digest.lines) == (person, local(2026, 3, 2, 12).date(), 2)
    assert digest.body == (
        "• 跟进到期：项目甲  https://zs.example/projects/1/\n• 项目乙停滞  https://zs.example/projects/2/"
    )
    assert set(Notification.objects.filter(digest=digest).values_list("title", flat=True)) == {
        "跟进到期：项目甲",
        "项目乙停滞",
    }
    row = Delivery.objects.get(digest=digest)
    assert deliver(str(row.pk)) == "sent"
    assert receiver.requests[-1]["json"]["message"] == digest.body
    assert "2" in receiver.requests[-1]["json"]["title"]


def test_a_second_run_the_same_day_leaves_the_newcomers_for_tomorrow(person, fake_clock):
    notify(users=[person], kind="a", title="一")
    fake_clock.advance(minutes=1)
    assert build_digests() == 1
    fake_clock.advance(hours=2)
    notify(users=[person], kind="a", title="二")
    assert build_digests() == 0
    fake_clock.advance(days=1)
    assert build_digests() == 1
    assert list(Digest.objects.order_by("day").values_list("lines", flat=True)) == [1, 1]


def test_the_digest_waits_for_the_end_of_a_persons_quiet_hours(person, receiver, fake_clock):
    preference_save(user=person, quiet_start=local(2026, 1, 1, 6).time(), quiet_end=local(2026, 1, 1, 9, 30).time())
    make_channel(receiver.url, owner=person)
    fake_clock.moment = local(2026, 3, 2, 5, 0)
    notify(users=[person], kind="a", title="早")
    fake_clock.moment = local(2026, 3, 2, 6, 30)  # the daily run, in their quiet hours
    build_digests()
    row = Delivery.objects.get()
    assert row.next_attempt_at == local(2026, 3, 2, 9, 30)
    assert deliver(str(row.pk)) == "early"
    fake_clock.moment = local(2026, 3, 2, 9, 30)
    assert deliver(str(row.pk)) == "sent"


def test_the_site_quiet_hours_apply_to_whoever_set_none(person, receiver, fake_clock, settings):
    settings.PINGHU_QUIET_HOURS = "22:00-07:00"
    make_channel(receiver.url, owner=person)
    notify(users=[person], kind="a", title="晚")
    fake_clock.moment = local(2026, 3, 2, 23, 15)
    build_digests()
    assert Delivery.objects.get().next_attempt_at == local(2026, 3, 3, 7, 0)


def test_a_units_messages_become_one_digest_for_its_robot(receiver, fake_clock):
    unit = Unit.objects.create(name="独山港镇")
    unit.members.add(UserFactory(username="m1"), UserFactory(username="m2"))
    make_channel(receiver.url, unit=unit)
    notify(units=[unit], kind="a", title="问题甲到期")
    notify(units=[unit], kind="a", title="问题乙逾期", key="issue:2:overdue")
    notify(units=[unit], kind="a", title="问题乙逾期", key="issue:2:overdue")
    assert UnitMessage.objects.count() == 2
    fake_clock.advance(minutes=5)
    assert build_digests() == 3  # two members, one unit
    unit_digest = Digest.objects.get(unit=unit)
    assert unit_digest.lines == 2 and Delivery.objects.filter(digest=unit_digest).count() == 1


def test_a_long_day_is_cut_with_a_link_to_the_inbox(person, fake_clock, settings):
    settings.PINGHU_SITE_URL = "https://zs.example"
    for n in range(MAX_LINES + 3):
        notify(users=[person], kind="a", title=f"第{n}条")
    fake_clock.advance(minutes=1)
    build_digests()
    digest = Digest.objects.get()
    assert digest.lines == MAX_LINES + 3
    assert digest.body.count("\n") == MAX_LINES
    last = digest.body.splitlines()[-1]
    assert "3" in last and last.endswith("https://zs.example/notifications/")


def test_notifications_past_retention_are_deleted(person, fake_clock, settings):
    notify(users=[person], kind="a", title="旧")
    fake_clock.advance(days=100)
    notify(users=[person], kind="a", title="新")
    fake_clock.advance(days=81)
    assert notifications_purge(days=180) == 1
    assert list(Notification.objects.values_list("title", flat=True)) == ["新"]


def test_the_daily_command_writes_digests_and_purges(person, fake_clock, settings):
    settings.PINGHU_NOTIFICATION_RETENTION_DAYS = 1
    notify(users=[person], kind="a", title="今天")
    fake_clock.advance(minutes=1)
    call_command("notifications_daily", verbosity=0)
    assert Digest.objects.count() == 1
    fake_clock.advance(days=2)
    call_command("notifications_daily", verbosity=0)
    assert not Notification.objects.exists()
