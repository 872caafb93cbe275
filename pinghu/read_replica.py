"""Reads of the statistics and the exports from a PostgreSQL streaming replica, when one is configured.

The rule is narrow on purpose: a read goes to the replica only

1. when ``settings.PINGHU_READ_REPLICA`` names an alias (``DATABASE_REPLICA_URL`` is set), and
2. inside ``replica_reads()``, which the statistics endpoints wrap around their handler (after
   authentication, permissions and throttling, which stay on the primary) and the exports enter
   while they read their rows (``read_alias()``), and
3. when the primary's connection is not inside a transaction: a transaction may have written, and
   what it wrote is not on the replica (nor anywhere else) before it commits.

Everything else reads from ``default``, and every write goes there, whatever the instance was read
from. Nothing is migrated on the replica (it is a read-only copy of the primary).

Why a context and not every read: the replica lags the primary by the time its WAL takes to replay
(milliseconds when idle, seconds under a bulk load), and a person who has just saved a visit must
see it on the next page. Statistics and exports are read-only, heavy, and tolerate that lag; pages
and forms are not. The dashboard's figure cache stays on the primary: its key is the data version,
and a version read on the primary with figures read on a replica behind it would cache old figures
under a new version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_replica_reads: ContextVar[bool] = ContextVar("pinghu_replica_reads", default=False)


def read_alias() -> str:
    """The alias a statistics or export read should use now: the replica when rules 1 and 3 allow, else default."""
    replica = getattr(settings, "PINGHU_READ_REPLICA", None)
    if not replica or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return replica


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within it, the ORM's reads go to ``read_alias()`` (usable as a decorator: ``@replica_reads()``)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReadReplicaRouter:
    """``DATABASE_ROUTERS`` entry: reads inside ``replica_reads()`` to the replica, everything else to default."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias() if _replica_reads.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        # Explicit: without it Django writes an instance back to the alias it was read from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
