"""What the tests read of the database's triggers: which exist, and their definitions as the database keeps them.

Read from the database's catalogue (``sqlite_master``; ``pg_trigger`` and ``pg_proc``), never
from the declarations under test; the declarations only say which names to expect.
"""

from django.db import connection

from pinghu.triggers import Trigger, TriggerSet


def installed_triggers() -> set[str]:
    """The names of the triggers on the test database's tables."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def definitions() -> dict[str, str]:
    """Every trigger's (and on PostgreSQL every function's) definition, by name."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
                "UNION ALL SELECT p.proname || '()', pg_get_functiondef(p.oid) FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
            )
        return dict(cursor.fetchall())


def declared_triggers(*trigger_sets: TriggerSet) -> set[str]:
    """The names of the triggers the sets declare for the test database's vendor."""
    return {
        item.name
        for trigger_set in trigger_sets
        for item in trigger_set.objects[connection.vendor]
        if isinstance(item, Trigger)
    }
