"""What each role may do with the chain structure: every role reads it; bureau staff keep the registers."""

from pinghu.permissions import Role, manage

EVERY_ROLE_READS = True

# Reference data, kept by bureau staff.
REFERENCE_MODELS = (
    "chains.cluster",
    "chains.chain",
    "chains.chainnode",
    "chains.leader",
    "chains.chainleadership",
    "chains.enterprise",
    "chains.enterprisechainrole",
    "chains.enterpriseannualmetric",
    "chains.permugradescheme",
)

# Merging duplicate firms (the data-quality page): moves every link of one firm to another.
MERGE = "chains.merge_enterprise"

ROLE_PERMISSIONS = {Role.BUREAU_STAFF: [*(perm for model in REFERENCE_MODELS for perm in manage(model)), MERGE]}
