"""What each role may do with targets: bureau staff set targets and weights; everyone signed in reads them."""

from pinghu.permissions import Role, manage

EVERY_ROLE_READS = True

ROLE_PERMISSIONS = {
    Role.BUREAU_STAFF: [*manage("targets.target"), *manage("targets.assessmentweight")],
}
