"""What each role may do with period reports: bureau staff draft, close and send; administrators reopen.

Everyone signed in reads reports, but a role without ``reports.add_report`` sees sent reports only
(``reports.selectors.visible_reports``). Reopening (``reports.reopen_report``) is the admin role's
alone (it holds every permission); the services check ``is_admin`` too.
"""

from pinghu.permissions import Role

EVERY_ROLE_READS = True

ROLE_PERMISSIONS = {
    Role.BUREAU_STAFF: ["reports.add_report", "reports.change_report", "reports.close_report"],
}
