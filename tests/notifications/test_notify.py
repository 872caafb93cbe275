"""``notifications.services.notify``: who receives a message, and a key written once per person."""

import pytest
from django.contrib.auth import get_user_model

from notifications.models import Notification
from notifications.services import notify
from units.models import Unit

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
