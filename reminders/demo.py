"""The demo's reminders (registered with ``projects.demo_apps``, run last): the scan as of the demo's end date.

A demo account ``demo-bureau`` in the bureau staff role (no usable password; an administrator may set
one) is made first: problems near or past their due date and targets far behind at month end land in its
inbox. ``demo-official`` (``projects.demo_people``, a responsible official of demo projects) writes three
follow-ups on demo projects, due the day after the end date, on it and three days before it; the demo's
chain chiefs have logins too (``chains.demo``). ``--replace`` deletes ``demo-bureau`` and its inbox here;
the other accounts go with the demo's own rows (after the problems and cadres that name them).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from pinghu.permissions import Role
from projects.choices import OPEN_STAGES
from projects.demo import DEMO_MARK
from projects.demo_apps import DemoGenerator
from projects.demo_people import demo_officials
from projects.models import FollowUp, Project

from .scan import run_scan

DEMO_ACCOUNT = "demo-bureau"
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
    _follow_ups(demo_officials()[0], end)
    # Set-based where PostgreSQL writes a rule's rows itself (the stalled projects: 94,000 lines at 100k projects).
    return sum(counts["written"] for counts in run_scan(end, set_based=True).values())


def delete_demo_reminders(*, user=None) -> None:
    get_user_model().objects.filter(username=DEMO_ACCOUNT).delete()


DEMO_REMINDERS = DemoGenerator(
    name="reminders",
    label=_("%(count)d demo reminders (督办) in the inboxes, as of the demo's end date."),
    generate=generate_demo_reminders,
    delete=delete_demo_reminders,
)
