"""Django admin for the industry structure and the enterprises (reference data kept by the bureau)."""

from . import enterprises, structure  # noqa: F401  (each module registers its model admins)
