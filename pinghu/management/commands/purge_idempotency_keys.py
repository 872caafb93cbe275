"""``manage.py purge_idempotency_keys [--days N]``: drop stored Idempotency-Key responses older than N days.

Run it daily (cron or a systemd timer); see docs/deploy.md.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pinghu.services import IDEMPOTENCY_KEY_DAYS, idempotency_keys_purge


class Command(BaseCommand):
    help = "Delete stored Idempotency-Key responses older than --days days (default 7); run daily."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=IDEMPOTENCY_KEY_DAYS, help="Keep keys this many days.")

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError(_("--days must be at least 1."))
        count = idempotency_keys_purge(older_than_days=days)
        message = _("%(count)d idempotency keys older than %(days)d days deleted.")
        self.stdout.write(message % {"count": count, "days": days})
