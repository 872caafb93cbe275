"""Field lists of projects and visits, declared once where several surfaces must agree.

- A file's columns (``PROJECT_COLUMNS``, ``VISIT_COLUMNS``): each column's header, in file order.
  The API's CSV/XLSX export writes them and the Excel/CSV import reads them back, so an export
  re-imports; the ``*_EXPORT_ONLY`` ones are derived or kept by the system and ignored on import.
- What restoring an earlier version puts back (``PROJECT_RESTORED_FIELDS``,
  ``VISIT_RESTORED_FIELDS``): the fields a person edits freely. A project's stage, its dates and
  its conference move only through transitions (``choices.TRANSITION_FIELDS``), never by restore.

The API's representation (``api/serializers.py``) shows more (ids of related rows, timestamps),
and the admin arranges fields in fieldsets; neither must match a file column for column.
"""

from django.utils.translation import gettext_lazy as _

PROJECT_COLUMNS = {
    "id": "ID",
    "name": _("name"),
    "chain": _("chain"),
    "investor": _("investor"),
    "source": _("source"),
    "stage": _("stage"),
    "total_investment": _("total investment (10k CNY)"),
    "foreign_investment": _("contracted foreign investment (10k USD)"),
    "registered_capital": _("registered capital (10k CNY)"),
    "land_area": _("land (mu)"),
    "expected_output": _("expected annual output (10k CNY)"),
    "expected_tax": _("expected annual tax (10k CNY)"),
    "is_capital_increase": _("capital increase of an existing firm"),
    "major": _("major project"),
    "town": _("town"),
    # Bands and levels (issue 16).
    "level": _("project level"),
    "level_year": _("level year"),
    "responsible_unit": _("responsible unit"),
    "first_contact_date": _("first contact date"),
    "signed_date": _("signed date"),
    "registered_date": _("registered date"),
    "construction_date": _("construction start date"),
    "production_date": _("production start date"),
    # Approval milestones (issue 16).
    "project_code": _("project code"),
    "code_date": _("project code date"),
    "approval_kind": _("filing or approval"),
    "approval_date": _("filing or approval date"),
    "land_supplied_date": _("land supplied date"),
    "construction_permit_date": _("construction permit date"),
    "capacity_date": _("design capacity date"),
    "signing_event": _("signing conference"),
    "updated_at": _("updated at"),
}
PROJECT_EXPORT_ONLY = ("major", "updated_at")

# Funds in place (projects.funds_stats.with_funds): derived from the monthly records, exported, never imported.
PROJECT_FUNDS_COLUMNS = {
    "funds_in_place": _("domestic funds in place to date (10k CNY)"),
    "foreign_paid_in": _("actual foreign investment to date (10k USD)"),
    "funds_rate": _("funds in place rate (到位率)"),
}
PROJECT_COLUMNS.update(PROJECT_FUNDS_COLUMNS)
PROJECT_EXPORT_ONLY = (*PROJECT_EXPORT_ONLY, *PROJECT_FUNDS_COLUMNS)

# The monthly funds records' file (export and the "funds" import): a project by its ID or its name.
FUNDS_COLUMNS = {
    "id": "ID",
    "project_id": _("project ID"),
    "project": _("project"),
    "month": _("month"),
    "domestic_funds": _("domestic funds in place (10k CNY)"),
    "actual_foreign_investment": _("actual foreign investment (10k USD)"),
    "source_note": _("source of the figures"),
}

VISIT_COLUMNS = {
    "id": "ID",
    "date": _("date"),
    "is_saturday": _("Saturday investment day"),
    "enterprise": _("visited enterprise"),
    "leaders": _("leaders"),
    "chains": _("chains concerned"),
    "host_unit": _("host unit"),
    "destination_city": _("destination city"),
    "purpose": _("purpose"),
    "outcome": _("outcome"),
    "next_step": _("next step"),
    "follow_up_date": _("follow-up due date"),
    "recorded_by": _("recorded by"),
}
VISIT_EXPORT_ONLY = ("is_saturday", "recorded_by")

PROJECT_RESTORED_FIELDS = [
    "name",
    "chain_id",
    "investor_id",
    "source",
    "total_investment",
    "foreign_investment",
    "registered_capital",
    "land_area",
    "expected_output",
    "expected_tax",
    "is_capital_increase",
    "town",
    "level",
    "level_year",
    "responsible_unit_id",
    "responsible_unit_text",
    "responsible_official_id",
    "first_contact_date",
    # Approval milestones (issue 16).
    "project_code",
    "code_date",
    "approval_kind",
    "approval_date",
    "land_supplied_date",
    "construction_permit_date",
    "capacity_date",
]
VISIT_RESTORED_FIELDS = [
    "date",
    "host_unit_id",
    "host_unit_text",
    "enterprise_id",
    "destination_city",
    "purpose",
    "outcome",
    "next_step",
    "follow_up_date",
]


def imported(columns: dict, export_only: tuple[str, ...]) -> tuple[str, ...]:
    """The columns the import reads: every file column but the export-only ones, in file order."""
    return tuple(name for name in columns if name not in export_only)
