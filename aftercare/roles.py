"""What each role may do with the service of established firms: bureau staff run it; officials report problems."""

from pinghu.permissions import Role, manage

EVERY_ROLE_READS = True

# Salons, the problem board (assign, resolve), cadres and land renewal, run by bureau staff.
SERVICE_MODELS = (
    "aftercare.salonevent",
    "aftercare.enterpriseissue",
    "aftercare.cadreassignment",
    "aftercare.landrenewal",
)

ROLE_PERMISSIONS = {
    # A problem heard on a visit or at a salon; bureau staff handle it.
    Role.OFFICIAL: ["aftercare.add_enterpriseissue"],
    Role.BUREAU_STAFF: [perm for model in SERVICE_MODELS for perm in manage(model)],
}
