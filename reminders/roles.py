"""What each role may do with reminder rules: every role reads them; bureau staff change their thresholds.

The rows are made by a migration, one per kind, so no role adds or deletes them.
"""

from pinghu.permissions import Role

EVERY_ROLE_READS = True

ROLE_PERMISSIONS = {Role.BUREAU_STAFF: ["reminders.change_reminderrule"]}
