"""Cached figures computed once per key, however many readers miss it at the same time.

The pages' figures are cached under keys that hold the data version (``pinghu.dataversion``), so after
every write the next readers all miss: under load (officials posting a visit every few seconds) almost
every dashboard view came after a write, and the readers arriving while the first was computing each
computed the same figures again, all at once on the same cores. Here a miss takes the key's lock, looks
in the cache again once it holds it, and computes only if the figures are still missing:

- with a cache every process shares (``PINGHU_CACHE_URL``: Redis, the database) on PostgreSQL, the lock is
  a PostgreSQL advisory lock on the key, held by a transaction around the computation (released at its
  end, or by the server if the connection drops), so the readers of every process and host wait for one
  computation;
- with the per-process memory cache (the default), or on SQLite, the lock is the process's: another process
  could not read what this one computed, so it does not wait for it.

The key holds the version the reader read before looking, so figures found after waiting were computed
under that same version: never older than what the reader had seen (the official who has just posted a
visit reads a version that counts it).

A reader waits ``WAIT_SECONDS`` at most: if the computation it waits for has not finished by then (a
query held up by a lock, a stuck process), it computes the figures itself, as every reader did before
this module, instead of keeping a request (and a worker) waiting without end.

Reads that two cached computations share (the dashboard's signed projects of this year, which the targets
panel counts again for its city targets) are kept for the other under the same version: a computation
given its ``version`` lets the reads it makes be kept (``shared_read``) and found (``shared_found``) by any
other computation under that version, whose figures are then as new as its own would have been.
Outside such a computation (the API, a report, a test calling a statistic) nothing is kept or found.
"""

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError, connection, transaction

logger = logging.getLogger(__name__)

# How long a reader waits for another's computation of the same key before computing it itself: well above a
# cold dashboard's computation at 1,000,000 projects (under a second), well under a proxy's timeout.
WAIT_SECONDS = 10.0
_MISSING = object()
# The process's lock of each key being computed, and how many readers hold or wait for it (dropped at 0).
_process_locks: dict[bytes, list] = {}
_process_locks_guard = threading.Lock()
# The data version of the computation running in this context, if its caller gave it (``get_or_compute``).
_computing_version: ContextVar[str | None] = ContextVar("pinghu_figure_cache_version", default=None)
SHARED_SECONDS = 300


def get_or_compute(key: str, compute: Callable[[], object], timeout: int, *, version: str | None = None) -> object:
    """The cached value of ``key``, else ``compute()`` once for every reader missing it at the same time, cached
    for ``timeout`` seconds (the module's docstring says which lock makes the others wait).

    ``version``: the data version read before computing, the one ``key`` holds; ``compute()`` may then keep
    and find reads shared with other computations under it (``shared_read``, ``shared_found``).
    """
    cache = caches["default"]
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        return value
    digest = hashlib.sha256(key.encode()).digest()
    lock = _advisory_lock if _shared_across_processes() else _process_lock
    with lock(digest, WAIT_SECONDS) as held:
        if not held:
            logger.warning("Waited %s s for the figures of %s: computing them again.", WAIT_SECONDS, key)
        # A reader that waited finds what the first computed under the same key (the same data version).
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            token = _computing_version.set(version)
            try:
                value = compute()
            finally:
                _computing_version.reset(token)
            cache.set(key, value, timeout)
    return value


def _shared_key(name: str) -> str | None:
    version = _computing_version.get()
    if version is None:
        return None
    return "pinghu:shared:" + hashlib.sha256(f"{name}:{version}".encode()).hexdigest()


def shared_read(name: str, read: Callable[[], object]) -> object:
    """``read()``, kept under ``name`` and the data version of the computation running (``get_or_compute``)
    for the others under that version; without one, simply ``read()``.

    ``name`` must say everything the result depends on besides the data (the period, the day when the rule
    reads it). No lock: a second computation arriving meanwhile reads for itself, as it did before.
    """
    key = _shared_key(name)
    if key is None:
        return read()
    cache = caches["default"]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = read()
        cache.set(key, value, SHARED_SECONDS)
    return value


def shared_found(name: str) -> object | None:
    """What ``shared_read(name, …)`` kept under the running computation's data version, else ``None``."""
    key = _shared_key(name)
    return None if key is None else caches["default"].get(key)


def _shared_across_processes() -> bool:
    """Whether the advisory lock is worth taking: PostgreSQL, a cache the processes share, and no transaction open
    (the lock is a transaction's: inside the caller's it would be held until the caller's transaction ends)."""
    cache = caches["default"]
    return (
        connection.vendor == "postgresql"
        and not isinstance(cache, (LocMemCache, DummyCache))
        and not connection.in_atomic_block
    )


@contextmanager
def _advisory_lock(digest: bytes, wait: float) -> Iterator[bool]:
    """``pg_advisory_xact_lock`` on the first 8 bytes of the key's digest (a bigint), in a transaction that lasts
    while the block runs; yields whether the lock was granted within ``wait`` seconds.

    A transaction's lock, not a session's: behind PgBouncer in transaction mode a session lock and its unlock
    could go to two different server connections, leaving the key locked. The wait is bounded by
    ``lock_timeout`` (advisory locks obey it), set in a savepoint and put back before the block runs.
    """
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)",
            [f"{max(1, round(wait * 1000))}ms"],
        )
        previous = cursor.fetchone()[0]
        try:
            with transaction.atomic():  # a savepoint: a lock wait that runs out rolls back to it alone
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
            granted = True
        except OperationalError:  # lock_not_available
            granted = False
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        yield granted


@contextmanager
def _process_lock(digest: bytes, wait: float) -> Iterator[bool]:
    """A lock of this process for the key while the block runs; yields whether it was granted within ``wait`` s."""
    with _process_locks_guard:
        entry = _process_locks.setdefault(digest, [threading.Lock(), 0])
        entry[1] += 1
    try:
        held = entry[0].acquire(timeout=wait)
        try:
            yield held
        finally:
            if held:
                entry[0].release()
    finally:
        with _process_locks_guard:
            entry[1] -= 1
            if entry[1] == 0:
                del _process_locks[digest]
