"""``manage.py purge_import_uploads [--hours N]``: remove uploads whose import preview was never confirmed.

The admin keeps an upload between its preview and its confirmation; a refused one is removed at
once, a confirmed one when it is imported. Run this daily (cron or a systemd timer, beside
purge_idempotency_keys); see docs/deploy.md.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pinghu.imports.uploads import UPLOAD_HOURS, uploads_purge


class Command(BaseCommand):
    help = "Remove stored import uploads older than --hours hours (default 24): previews never confirmed; run daily."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hours", type=int, default=UPLOAD_HOURS, help="Keep uploads this many hours.")

    def handle(self, *args, hours: int, **options) -> None:
        if hours < 1:
            raise CommandError(_("--hours must be at least 1."))
        count = uploads_purge(older_than_hours=hours)
        message = _("%(count)d stored uploads older than %(hours)d hours removed.")
        self.stdout.write(message % {"count": count, "hours": hours})
