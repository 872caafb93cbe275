"""The aftercare app's database triggers: every write to its tables moves the data version.

``DATA_VERSION`` (``pinghu.dataversion``, migration ``pinghu.0009``): what is cached under the data
version (a closed report's drift, pages that show problems or salons) notices an edit, whatever path
it takes (services, admin, import, raw SQL). Installed by ``install_after_migrate`` (connected in
``AftercareConfig.ready``) after every ``migrate``.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from pinghu import dataversion
from pinghu.triggers import drop_sets, install_migrated, install_sets

# Every table of the app but the history.
DATA_VERSION = dataversion.trigger_set(
    "aftercare",
    [
        "aftercare_salonevent",
        "aftercare_salonevent_enterprises",
        "aftercare_enterpriseissue",
        "aftercare_issuestep",
        "aftercare_cadreassignment",
        "aftercare_landrenewal",
    ],
)
TRIGGER_SETS = [DATA_VERSION]


def install(connection) -> None:
    """Create every trigger of the app on ``connection``, replacing what is there (idempotent)."""
    install_sets(connection, TRIGGER_SETS)


def drop(connection) -> None:
    """Drop every trigger (and trigger function) of the app that exists on ``connection``."""
    drop_sets(connection, TRIGGER_SETS)


def install_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` receiver for the aftercare app: the triggers, again, on the database just migrated."""
    install_migrated(connections[using], TRIGGER_SETS)
