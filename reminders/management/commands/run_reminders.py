"""``manage.py run_reminders [--today YYYY-MM-DD] [--enqueue]``: the daily reminder scan, with its counts per rule."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from reminders.models import ReminderRule
from reminders.scan import run_scan
from reminders.tasks import daily_reminders


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(_("--today: give a date as YYYY-MM-DD.")) from error


class Command(BaseCommand):
    help = "Evaluate every enabled reminder rule as of today (or --today) and write the reminders not yet written."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", type=_day, default=None, help="The day to evaluate the rules as of.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the scan for the task workers instead of running it here."
        )

    def handle(self, *args, today: datetime.date | None, enqueue: bool, **options) -> None:
        day = today or timezone.localdate()
        if enqueue:
            result = daily_reminders.enqueue(day.isoformat())
            self.stdout.write(_("Reminder scan as of %(day)s queued (%(id)s).") % {"day": day, "id": result.id})
            return
        results = run_scan(day)
        labels = dict(ReminderRule._meta.get_field("kind").choices)
        self.stdout.write(_("Reminders as of %(day)s:") % {"day": day})
        for kind, counts in results.items():
            self.stdout.write(
                _("  %(rule)s: %(found)d found, %(written)d new inbox lines")
                % {"rule": labels[kind], "found": counts["found"], "written": counts["written"]}
            )
        if not results:
            self.stdout.write(_("  no rule is enabled."))
