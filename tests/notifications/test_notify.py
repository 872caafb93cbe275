"""``notifications.services.notify``: who receives a message, and a key written once per person."""

import pytest
from django.contrib.auth import get_user_model

from notifications.models import Notification, UnitMessage
from notifications.services import notify, notify_many
from notifications.writing import Message
from units.models import Unit

from .conftest import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    users = get_user_model().objects
    return users.create_user("a"), users.create_user("b"), users.create_user("gone", is_active=False)


def test_users_and_a_units_members_each_receive_it_once(people):
    a, b, gone = people
    unit = Unit.objects.create(name="平湖市商务局")
    unit.members.add(a, b, gone)
    assert notify(users=[a], units=[unit], kind="test", title="到期提醒", obj=unit, link="/x/") == 2
    rows = Notification.objects.order_by("recipient_id")
    assert [(row.recipient, row.title, row.target, row.link) for row in rows] == [
        (a, "到期提醒", unit, "/x/"),
        (b, "到期提醒", unit, "/x/"),
    ]


def test_the_same_key_is_written_once_per_person(people):
    a, b, _gone = people
    assert notify(users=[a], kind="test", title="一", key="followup:1:due") == 1
    assert notify(users=[a, b], kind="test", title="一", key="followup:1:due") == 1
    assert Notification.objects.filter(key="followup:1:due").count() == 2


def _batch(units, people, size: int) -> list[Message]:
    return [
        Message(kind="test", title=f"提醒{n}", key=f"batch:{n}", users=(people[n % 2],), units=(units[n % 2],))
        for n in range(size)
    ]


def test_many_messages_cost_the_queries_of_one(people, django_assert_num_queries, django_assert_max_num_queries):
    """notify_many (the reminders' scan) writes a batch in the queries of one message, but for the inserts, which
    the database splits into batches (SQLite takes about 80 rows per INSERT, PostgreSQL all 450 here)."""
    a, b, gone = people
    units = [Unit.objects.create(name="平湖市商务局"), Unit.objects.create(name="平湖市经信局")]
    units[0].members.add(b, gone)
    make_channel("json://127.0.0.1/robot", unit=units[1])  # a unit with a channel gets its own copy too
    # savepoint, recipients, members, keys written, insert, units with channels, their keys, their copies, release
    with django_assert_num_queries(9):
        assert notify_many(_batch(units, [a, b], 3)) == 5  # 0: a, b (member) · 1: b · 2: a, b
    Notification.objects.all().delete()
    with django_assert_max_num_queries(9 + 450 // 80 + 150 // 80):
        assert notify_many(_batch(units, [a, b], 300)) == 450  # even: a and b (member); odd: b
    assert not Notification.objects.filter(recipient=gone).exists()
    assert UnitMessage.objects.filter(unit=units[1]).count() == 150  # one per odd key (batch:1 was in both)
    assert notify_many(_batch(units, [a, b], 300)) == 0  # every key written once per person
    assert notify_many([]) == 0


def test_the_same_key_twice_in_one_batch_is_written_once(people):
    a, _b, _gone = people
    twice = [
        Message(kind="test", title="一", key="k:1", users=(a,)),
        Message(kind="test", title="一", key="k:1", users=(a,)),
    ]
    assert notify_many(twice) == 1
