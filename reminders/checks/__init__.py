"""The rules of the daily scan, one function per kind: ``(rule, today) -> list[Reminder]``.

Each reads its rows and their recipients in a fixed number of queries, whatever the number of rows
(``tests/reminders/test_scan.py`` counts them); the messages are built in Python from what was read.
"""

from ..choices import RuleKind
from .due import follow_up_reminders, issue_reminders
from .idle import firm_reminders, stalled_project_reminders
from .targets import target_reminders

CHECKS = {
    RuleKind.FOLLOW_UP_DUE: follow_up_reminders,
    RuleKind.ISSUE_DUE: issue_reminders,
    RuleKind.PROJECT_STALLED: stalled_project_reminders,
    RuleKind.FIRM_NOT_CONTACTED: firm_reminders,
    RuleKind.TARGET_FAR_BEHIND: target_reminders,
}
