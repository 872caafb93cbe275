"""The demo's notifications: in every active account's inbox, marked 演示, written once, removed by --replace."""

import datetime

import pytest

from notifications.demo import DEMO_NOTIFICATIONS
from notifications.models import Delivery, Notification
from projects.demo_apps import DEMO_GENERATORS
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_notifications_are_written_once_and_removed(person):
    UserFactory(username="gone", is_active=False)
    project = ProjectFactory(name="演示项目甲")
    assert DEMO_GENERATORS["notifications"] is DEMO_NOTIFICATIONS
    end = datetime.date(2026, 3, 2)
    assert DEMO_NOTIFICATIONS.generate(seed=1, end=end) == 2  # one project, the overdue page
    assert DEMO_NOTIFICATIONS.generate(seed=1, end=end) == 0
    rows = Notification.objects.filter(recipient=person)
    assert all(row.title.startswith("演示：") and row.kind == "demo" for row in rows)
    assert sorted(row.link for row in rows) == sorted(["/visits/overdue/", f"/projects/{project.pk}/"])
    assert not Notification.objects.filter(recipient__username="gone").exists()
    assert not Delivery.objects.exists()  # nothing urgent, nothing sent outward
    DEMO_NOTIFICATIONS.delete()
    assert not Notification.objects.exists()
