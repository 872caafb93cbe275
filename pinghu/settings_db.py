"""The database aliases and the cache, built from the environment: read at start-up by ``pinghu.settings``.

- ``DATABASE_URL``: the ``default`` alias (SQLite in the project folder when unset). On PostgreSQL its
  connections are kept ``DJANGO_CONN_MAX_AGE`` seconds and health-checked before reuse.
- ``DATABASE_REPLICA_URL`` (optional): a streaming replica of the same database, alias ``replica``. Only
  the statistics endpoints and the exports read from it (``pinghu.read_replica``); nothing writes to it
  and nothing migrates it. Its tests mirror ``default``.
- ``DATABASE_PGBOUNCER=1``: the connections go through PgBouncer in transaction mode, where one
  client's transactions may run on different server connections. Server-side cursors (a
  ``DECLARE … CURSOR`` held across the fetches of ``QuerySet.iterator()``) then cannot work, so Django
  is told not to use them: ``.iterator()`` fetches the rows in chunks from a client-side cursor.
- ``PINGHU_CACHE_URL``: the shared cache of every process (``redis://host:6379/0``, or ``db://`` for
  Django's database cache in the table ``pinghu_cache``); unset, each process has its own memory cache.

docs/deploy.md ("Several hosts") explains when each is needed.
"""

from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

REPLICA_ALIAS = "replica"
CACHE_TABLE = "pinghu_cache"
TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_flag(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name}={environ[name]!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def _postgresql(alias: dict, environ: Mapping[str, str]) -> dict:
    if alias["ENGINE"] != "django.db.backends.postgresql":
        return alias
    # Keep connections open between requests, and check them before reuse so a restarted database
    # server (or a PgBouncer that closed an idle link) does not surface as an error on the next request.
    alias["CONN_MAX_AGE"] = int(environ.get("DJANGO_CONN_MAX_AGE", "60"))
    alias["CONN_HEALTH_CHECKS"] = True
    alias["DISABLE_SERVER_SIDE_CURSORS"] = env_flag(environ, "DATABASE_PGBOUNCER")
    return alias


def databases(environ: Mapping[str, str], *, base_dir: Path) -> dict:
    """``DATABASES``: ``default``, and ``replica`` when ``DATABASE_REPLICA_URL`` is set."""
    url = environ.get("DATABASE_URL") or f"sqlite:///{base_dir / 'db.sqlite3'}"
    result = {"default": _postgresql(dj_database_url.parse(url), environ)}
    replica_url = environ.get("DATABASE_REPLICA_URL", "").strip()
    if replica_url:
        replica = _postgresql(dj_database_url.parse(replica_url), environ)
        if replica["ENGINE"] != result["default"]["ENGINE"]:
            raise ImproperlyConfigured("DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL.")
        # The test run reads the test database through this alias rather than creating one of its own.
        replica["TEST"] = {"MIRROR": "default"}
        result[REPLICA_ALIAS] = replica
    return result


def caches(environ: Mapping[str, str]) -> dict:
    """``CACHES``: a per-process memory cache, or the shared one ``PINGHU_CACHE_URL`` names."""
    url = environ.get("PINGHU_CACHE_URL", "").strip()
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pinghu"}}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    if url == "db://":
        # Needs `manage.py createcachetable` once (docs/deploy.md).
        return {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
    raise ImproperlyConfigured(f"PINGHU_CACHE_URL={url!r}: use redis://host:port/db, rediss://… or db://.")
