"""The demo's reminders (registered with ``projects.demo_apps``, run last): the scan as of the demo's end date.

The demo's rows name no accounts, so two demo accounts (no usable password; an administrator may set
one) are made first: ``demo-bureau`` in the bureau staff role (problems near or past their due date and
targets far behind at month end land in its inbox) and ``demo-official`` in the officials' role, the
author of three follow-ups on demo projects, due the day after the end date, on it and three days
before it. ``--replace`` deletes the accounts, and their inboxes with them (the follow-ups go with the
demo projects).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from pinghu.permissions import Role
from projects.choices import OPEN_STAGES
from projects.demo import DEMO_MARK
from projects.demo_apps import DemoGenerator
from projects.models import FollowUp, Project

from .scan import run_scan

DEMO_ACCOUNT = "demo-bureau"
DEMO_OFFICIAL = "demo-official"
# The demo follow-ups' due dates, in days from the end date: tomorrow, the day itself, three days late.
DUE_IN_DAYS = [1, 0, -3]


def _account(username: str, role: str):
    account, created = get_user_model().objects.get_or_create(username=username, defaults={"first_name": "演示"})
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    account.groups.add(*Group.objects.filter(name=role))
    return account


def _follow_ups(official, end: datetime.date) -> None:
    projects = Project.objects.filter(name__startswith=DEMO_MARK, stage__in=OPEN_STAGES).order_by("name")
    for project, due_in in zip(projects[: len(DUE_IN_DAYS)], DUE_IN_DAYS, strict=False):
        due = end + datetime.timedelta(days=due_in)
        follow_up = FollowUp(
            project=project,
            author=official,
            date=min(due, end) - datetime.timedelta(days=7),
            note=f"{DEMO_MARK}：电话沟通投资意向",
            next_step=f"{DEMO_MARK}：上门拜访，确认用地需求",
            due_date=due,
        )
        follow_up.full_clean()
        follow_up.save()


def generate_demo_reminders(*, seed: int, end, user=None) -> int:
    _account(DEMO_ACCOUNT, Role.BUREAU_STAFF)
    _follow_ups(_account(DEMO_OFFICIAL, Role.OFFICIAL), end)
    return sum(counts["written"] for counts in run_scan(end).values())


def delete_demo_reminders(*, user=None) -> None:
    get_user_model().objects.filter(username__in=[DEMO_ACCOUNT, DEMO_OFFICIAL]).delete()


DEMO_REMINDERS = DemoGenerator(
    name="reminders",
    label=_("%(count)d demo reminders (督办) in the inboxes, as of the demo's end date."),
    generate=generate_demo_reminders,
    delete=delete_demo_reminders,
)
