"""Demo notifications for ``generate_demo_data`` (registered with ``projects.demo_apps``): a few lines in the inbox
of every active account that exists when it runs (the demo administrator and role accounts), so the inbox and
the navbar's unread count are not empty in ``make run``.

Each is of kind ``demo`` with a title starting 演示：, so ``--replace`` finds and removes them; the keys make a
second run write nothing new. They link to demo projects (the lowest ids, as the demo writes them) and
the overdue page. None is urgent: nothing is sent outward.
"""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.demo_apps import DemoGenerator
from projects.models import Project

from .models import Notification
from .services import notify

DEMO_KIND = "demo"
DEMO_MARK = "演示："


def generate_demo_notifications(*, seed: int = 0, end: datetime.date | None = None, user=None) -> int:
    people = list(get_user_model().objects.filter(is_active=True))
    if not people:
        return 0
    written = 0
    for project in Project.objects.order_by("pk")[:3]:
        written += notify(
            users=people,
            kind=DEMO_KIND,
            title=f"{DEMO_MARK}项目「{project.name}」跟进日期已到",
            body="演示数据：请及时记录跟进情况。",
            link=reverse("projects:project-detail", args=[project.pk]),
            obj=project,
            key=f"demo:project:{project.pk}",
        )
    written += notify(
        users=people,
        kind=DEMO_KIND,
        title=f"{DEMO_MARK}有逾期未跟进的项目",
        body="演示数据：查看逾期清单。",
        link=reverse("projects:overdue"),
        key="demo:overdue",
    )
    return written


def delete_demo_notifications(*, user=None) -> None:
    Notification.objects.filter(kind=DEMO_KIND, title__startswith=DEMO_MARK).delete()


DEMO_NOTIFICATIONS = DemoGenerator(
    name="notifications",
    label=_("%(count)d demo notifications in the accounts' inboxes."),
    generate=generate_demo_notifications,
    delete=delete_demo_notifications,
)
