"""Database aliases and the cache from the environment (pinghu.settings_db); a rate limit shared through Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

from pinghu.api.throttling import TokenOrUserRateThrottle
from pinghu.settings_db import CACHE_TABLE, caches, databases
from tests.pinghu.test_settings import PROJECT

BASE = Path("/srv/pinghu")
PRIMARY = "postgres://pinghu@db1.internal:5432/pinghu"
REPLICA = "postgres://pinghu@db2.internal:5432/pinghu"
REDIS = "redis://127.0.0.1:6379/0"


def test_one_alias_by_default_and_server_side_cursors_on():
    result = databases({"DATABASE_URL": PRIMARY}, base_dir=BASE)
    assert list(result) == ["default"]
    assert result["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert result["default"]["CONN_MAX_AGE"] == 60 and result["default"]["CONN_HEALTH_CHECKS"] is True
    assert databases({}, base_dir=BASE)["default"]["NAME"] == str(BASE / "db.sqlite3")


def test_a_replica_url_adds_the_replica_alias_mirrored_in_tests():
    result = databases({"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URL": REPLICA}, base_dir=BASE)
    assert result["replica"]["HOST"] == "db2.internal" and result["default"]["HOST"] == "db1.internal"
    assert result["replica"]["TEST"] == {"MIRROR": "default"}
    assert result["replica"]["CONN_HEALTH_CHECKS"] is True


def test_a_replica_of_another_kind_of_database_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URL"):
        databases({"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URL": "sqlite:///x.sqlite3"}, base_dir=BASE)


def test_pgbouncer_turns_server_side_cursors_off_on_every_alias():
    environ = {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URL": REPLICA, "DATABASE_PGBOUNCER": "1"}
    result = databases(environ, base_dir=BASE)
    assert result["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert result["replica"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PGBOUNCER"):
        databases({"DATABASE_URL": PRIMARY, "DATABASE_PGBOUNCER": "transaction"}, base_dir=BASE)


def test_the_cache_is_per_process_unless_a_shared_one_is_named():
    assert caches({})["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert caches({"PINGHU_CACHE_URL": REDIS})["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS,
    }
    assert caches({"PINGHU_CACHE_URL": "db://"})["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
    }
    with pytest.raises(ImproperlyConfigured, match="PINGHU_CACHE_URL"):
        caches({"PINGHU_CACHE_URL": "memcached://127.0.0.1:11211"})


def settings_printed(**env: str) -> list[str]:
    """The read replica, its cursors setting and the cache's class, as a fresh process with ``env`` sees them."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "PINGHU_"))}
    code = (
        "import django; django.setup(); from django.conf import settings; from django.core.cache import caches; "
        "print(settings.PINGHU_READ_REPLICA, settings.DATABASES.get('replica', {}).get('DISABLE_SERVER_SIDE_CURSORS'), "
        "type(caches['default']).__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "pinghu.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-3:]


def test_the_settings_wire_the_replica_pgbouncer_and_cache():
    environ = {"DATABASE_REPLICA_URL": REPLICA, "DATABASE_PGBOUNCER": "1", "PINGHU_CACHE_URL": REDIS}
    assert settings_printed(DATABASE_URL=PRIMARY, **environ) == ["replica", "True", "RedisCache"]
    assert settings_printed() == ["None", "None", "LocMemCache"]


def requests_allowed(throttle_caches, requests: int) -> int:
    """How many of ``requests`` one user makes, alternating between processes, the rate limit lets through."""
    user = SimpleNamespace(is_authenticated=True, pk=4242)
    request = SimpleNamespace(user=user, auth=None)
    allowed = 0
    for index in range(requests):
        throttle = TokenOrUserRateThrottle()
        throttle.cache = throttle_caches[index % len(throttle_caches)]
        allowed += throttle.allow_request(request, view=None)
    return allowed


def test_per_process_caches_let_a_client_through_once_per_process(settings):
    settings.PINGHU_API_RATE = "3/min"
    processes = [LocMemCache(f"process-{index}-{uuid.uuid4()}", {}) for index in range(2)]
    assert requests_allowed(processes, 8) == 6


def test_a_redis_cache_shares_the_count_between_processes(settings):
    settings.PINGHU_API_RATE = "3/min"
    prefix = f"pinghu-test-{uuid.uuid4()}"
    processes = [RedisCache(REDIS, {"KEY_PREFIX": prefix}) for _index in range(2)]
    try:
        processes[0].get("probe")
    except Exception as error:  # whatever keeps the client from the server: no server to test against
        pytest.skip(f"no Redis at {REDIS}: {error}")
    try:
        assert requests_allowed(processes, 8) == 3
    finally:
        # Only this test's key: the server may hold others' data (never clear() a shared Redis).
        processes[0].delete("throttle_token_or_user_user-4242")
