"""``manage.py notifications_daily``: today's digests, re-queued deliveries, the retention purge (daily timer)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notifications.tasks import daily_task, run_daily


class Command(BaseCommand):
    help = "Write today's notification digests and queue them, re-queue stuck deliveries, delete old notifications."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for a db_worker instead of doing it now."
        )

    def handle(self, *args, enqueue: bool, **options) -> None:
        if enqueue:
            result = daily_task.enqueue()
            self.stdout.write(_("Queued as task %(id)s.") % {"id": result.id})
            return
        counts = run_daily()
        self.stdout.write(
            _("%(digests)d digests written, %(requeued)d deliveries queued again, %(purged)d old notifications gone.")
            % counts
        )
