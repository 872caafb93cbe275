"""What each role may do with investment activity; which rows an official or chain leader may change is ``rules.py``."""

from pinghu.permissions import Role, manage

EVERY_ROLE_READS = True

FOLLOW_UPS = ["projects.add_followup", "projects.change_followup", "projects.delete_followup"]

ROLE_PERMISSIONS = {
    Role.OFFICIAL: [
        "projects.add_investmentvisit",
        "projects.change_investmentvisit",
        "projects.delete_investmentvisit",
        "projects.add_project",
        "projects.change_project",
        *FOLLOW_UPS,
    ],
    Role.CHAIN_LEADER: ["projects.change_project", *FOLLOW_UPS],
    # Bureau staff correct any project (projects.rules) and assign who answers for it (issue 20): they keep
    # the city's register, so taking a project over extends no right they lack. Chain leaders and officials
    # do not assign (projects.services.project_check_assignment).
    # Signing conferences and exchange rates are reference data the bureau keeps; funds in place are
    # reported by the bureau. Land parcels too: bureau staff add and change them (supplying included);
    # officials read.
    Role.BUREAU_STAFF: [
        "projects.change_project",
        "projects.assign_project",
        *manage("projects.signingevent"),
        *manage("projects.exchangerate"),
        *manage("projects.projectfunds"),
        "projects.add_landparcel",
        "projects.change_landparcel",
    ],
}
