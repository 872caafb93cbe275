"""``manage.py import_data FILE --kind enterprises|projects|visits|metrics|funds --user NAME [--dry-run]``.

Reads an Excel (.xlsx) or CSV file with the export's Chinese headers, prints the validation report
(row, column, value, message) and writes everything in one transaction, or nothing if any row is
bad. ``-v 2`` also lists every record created or changed; ``--template OUT.xlsx`` writes the empty
template of a kind instead.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pinghu.imports import run_import, template_workbook
from pinghu.permissions import IMPORT, may
from projects.imports import IMPORT_KINDS


class Command(BaseCommand):
    help = (
        "Import enterprises, projects, visits, annual metrics or monthly funds in place from an .xlsx or .csv "
        "file with the export's headers. All or nothing: any bad row and nothing is written. Every change is "
        "recorded in the audit history under --user."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=_("The .xlsx or .csv file (with --template: the template to write)."))
        parser.add_argument("--kind", required=True, choices=sorted(IMPORT_KINDS), help=_("What the file holds."))
        parser.add_argument("--user", help=_("The account the changes are recorded under (needs the import role)."))
        parser.add_argument("--dry-run", action="store_true", help=_("Check and report; write nothing."))
        parser.add_argument("--template", action="store_true", help=_("Write the kind's empty template to FILE."))

    def handle(self, *args, file: str, kind: str, user: str | None, dry_run: bool, template: bool, **options):
        resource_class = IMPORT_KINDS[kind]
        path = Path(file)
        if template:
            path.write_bytes(template_workbook(resource_class()))
            self.stdout.write(_("Template written to %(path)s.") % {"path": path})
            return
        account = self._account(user)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        report = run_import(resource_class(), path.read_bytes(), path.name, user=account, dry_run=dry_run)
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(_("Note: %(warning)s") % {"warning": warning}))
        for problem in report.problems:
            where = _("row %(row)d") % {"row": problem.row} if problem.row else _("file")
            column = f" · {problem.column}" if problem.column else ""
            value = f" · «{problem.value}»" if problem.value else ""
            self.stderr.write(f"{where}{column}{value}: {problem.message}")
        if options["verbosity"] > 1:
            for change in report.changes:
                fields = "；".join(
                    f"{column}：{before or '—'} → {after or '—'}" for column, before, after in change.fields
                )
                self.stdout.write(
                    f"{_('row %(row)d') % {'row': change.row}} · {_label(change.kind)} · {change.record}"
                    + (f" · {fields}" if fields else "")
                )
        totals = "，".join(f"{_label(outcome)} {count}" for outcome, count in report.totals.items())
        if not report.ok:
            raise CommandError(
                _("%(count)d problems found; nothing was written. %(totals)s")
                % {"count": len(report.problems), "totals": totals}
            )
        message = _("Checked, nothing written (dry run): %(totals)s") if dry_run else _("Imported: %(totals)s")
        self.stdout.write(self.style.SUCCESS(message % {"totals": totals or "0"}))

    def _account(self, username: str | None):
        if not username:
            raise CommandError(_("Name the account the import is recorded under: --user NAME."))
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise CommandError(_("No active account %(name)s.") % {"name": username})
        if not may(account, IMPORT):
            raise CommandError(_("%(name)s may not import data (bureau staff and admins may).") % {"name": username})
        return account


def _label(outcome: str) -> str:
    return {
        "new": _("new"),
        "update": _("updated"),
        "skip": _("unchanged"),
        "invalid": _("invalid"),
        "error": _("failed"),
        "delete": _("deleted"),
    }.get(outcome, outcome)
