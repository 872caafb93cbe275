"""``manage.py rebuild_rollups [--check]``: recompute the dashboard's rollups from the source rows."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.rollups import rebuild_rollups, rollup_differences


class Command(BaseCommand):
    help = (
        "Recompute the daily visit and pipeline rollups, the monthly funds rollup and the links' visit dates from "
        "the source tables (database triggers keep them; rebuild after loading data with triggers disabled). "
        "With --check, only report rows that differ and fail if any does."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help=_("Report differences without writing."))

    def handle(self, *args, check: bool = False, **options) -> None:
        differences = {table: count for table, count in rollup_differences().items() if count}
        for table, count in differences.items():
            self.stdout.write(_("%(table)s: %(count)d rows differ") % {"table": table, "count": count})
        if check:
            if differences:
                raise CommandError(_("The rollups differ from the source rows: run rebuild_rollups."))
            self.stdout.write(_("The rollups match the source rows."))
            return
        rebuild_rollups()
        self.stdout.write(_("Rollups rebuilt."))
