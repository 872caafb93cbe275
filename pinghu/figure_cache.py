"""Cached figures computed once per key, however many readers miss it at the same time.

The pages' figures are cached under keys that hold the data version (``pinghu.dataversion``), so after
every write the next readers all miss: under load (officials posting a visit every few seconds) almost
every dashboard view came after a write, and the readers arriving while the first was computing each
computed the same figures again, all at once on the same cores. Here a miss takes the key's lock, looks
in the cache again once it holds it, and computes only if the figures are still missing:

- with a cache every process shares (``PINGHU_CACHE_URL``: Redis, the database) on PostgreSQL, the lock is
  a PostgreSQL advisory lock on the key (session level, released in ``finally``; the server releases it
  too if the connection drops), so the readers of every process and host wait for one computation;
- with the per-process memory cache (the default), or on SQLite, the lock is the process's: another process
  could not read what this one computed, so it does not wait for it.

The key holds the version the reader read before looking, so figures found after waiting were computed
under that same version: never older than what the reader had seen (the official who has just posted a
visit reads a version that counts it).
"""

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection

_MISSING = object()
# The process's lock of each key being computed, and how many readers hold or wait for it (dropped at 0).
_process_locks: dict[bytes, list] = {}
_process_locks_guard = threading.Lock()


def get_or_compute(key: str, compute: Callable[[], object], timeout: int) -> object:
    """The cached value of ``key``, else ``compute()`` once for every reader missing it at the same time, cached
    for ``timeout`` seconds (the module's docstring says which lock makes the others wait)."""
    cache = caches["default"]
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        return value
    digest = hashlib.sha256(key.encode()).digest()
    lock = _advisory_lock if _shared_across_processes() else _process_lock
    with lock(digest):
        # A reader that waited finds what the first computed under the same key (the same data version).
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            cache.set(key, value, timeout)
    return value


def _shared_across_processes() -> bool:
    """Whether the advisory lock is worth taking: PostgreSQL, a cache the processes share, and no transaction open
    (a session lock taken in a transaction that fails could not be released before its rollback)."""
    cache = caches["default"]
    return (
        connection.vendor == "postgresql"
        and not isinstance(cache, (LocMemCache, DummyCache))
        and not connection.in_atomic_block
    )


@contextmanager
def _advisory_lock(digest: bytes) -> Iterator[None]:
    """``pg_advisory_lock`` on the first 8 bytes of the key's digest (a bigint) while the block runs."""
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])


@contextmanager
def _process_lock(digest: bytes) -> Iterator[None]:
    """A lock of this process for the key while the block runs."""
    with _process_locks_guard:
        entry = _process_locks.setdefault(digest, [threading.Lock(), 0])
        entry[1] += 1
    try:
        with entry[0]:
            yield
    finally:
        with _process_locks_guard:
            entry[1] -= 1
            if entry[1] == 0:
                del _process_locks[digest]
