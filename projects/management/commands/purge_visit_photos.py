"""``manage.py purge_visit_photos``: remove the files of photos deleted long ago (projects.photo_purge)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from projects.photo_purge import purge_visit_photos


class Command(BaseCommand):
    help = (
        "Delete from storage the files of visit photos deleted more than PINGHU_PHOTO_RETENTION_DAYS ago "
        "(and files no photo names); run it daily or weekly, as a cron job."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override PINGHU_PHOTO_RETENTION_DAYS.")

    def handle(self, *args, days: int | None, **options) -> None:
        removed = purge_visit_photos(days=days)
        self.stdout.write(_("Photo files removed: %(count)d.") % {"count": removed})
