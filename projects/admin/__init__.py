"""Django admin for investment activity; every write goes through ``projects.services``."""

from . import funds, land, projects, rates, steps, versions, visits  # noqa: F401  (each module registers its model admins)
