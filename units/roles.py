"""What each role may do with units: bureau staff keep the register and map the names left unmatched; everyone reads."""

from pinghu.permissions import Role, manage

EVERY_ROLE_READS = True

ROLE_PERMISSIONS = {Role.BUREAU_STAFF: [*manage("units.unit")]}
