"""The demo's reminders (registered with ``projects.demo_apps``, run last): the scan as of the demo's end date.

The demo's rows name no accounts, so a demo bureau account (``demo-bureau``, no usable password; an
administrator may set one) is put in the bureau staff role first: problems near or past their due
date and targets far behind land in its inbox, and the rules page and inbox have something to show.
``--replace`` deletes the account, and its inbox with it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from pinghu.permissions import Role
from projects.demo_apps import DemoGenerator

from .scan import run_scan

DEMO_ACCOUNT = "demo-bureau"


def generate_demo_reminders(*, seed: int, end, user=None) -> int:
    account, created = get_user_model().objects.get_or_create(username=DEMO_ACCOUNT, defaults={"first_name": "演示"})
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    account.groups.add(*Group.objects.filter(name=Role.BUREAU_STAFF))
    return sum(counts["written"] for counts in run_scan(end).values())


def delete_demo_reminders(*, user=None) -> None:
    get_user_model().objects.filter(username=DEMO_ACCOUNT).delete()


DEMO_REMINDERS = DemoGenerator(
    name="reminders",
    label=_("%(count)d demo reminders (督办) in the inboxes, as of the demo's end date."),
    generate=generate_demo_reminders,
    delete=delete_demo_reminders,
)
