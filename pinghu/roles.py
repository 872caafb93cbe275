"""What the roles may do with the platform's own permissions: exporting and importing files.

The platform's tables (accounts, tokens, …) are read by admins only, so ``EVERY_ROLE_READS`` is off.
"""

from .permissions import EXPORT, IMPORT, Role

ROLE_PERMISSIONS = {Role.BUREAU_STAFF: [EXPORT, IMPORT]}
