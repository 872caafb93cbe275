"""Readers missing the same cached figures at once compute them once; a newer data version never waits for an older.

Two threads, each with its own database connection, with the per-process memory cache and with the database
cache (on PostgreSQL the latter takes the advisory lock: the second reader's wait shows in ``pg_locks``).
"""

import threading
import time

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings

from chains.models import Chain
from pinghu import figure_cache
from projects import selectors
from projects.periods import resolve_period
from tests.factories import ChainFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figure-cache-test"}}
DATABASE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "figure_cache_test"}}


@pytest.fixture(params=["locmem", "database"])
def cache_settings(request):
    settings = LOCMEM if request.param == "locmem" else DATABASE
    with override_settings(CACHES=settings):
        if request.param == "database":
            call_command("createcachetable", verbosity=0)
        caches["default"].clear()
        yield request.param
        caches["default"].clear()


def _in_thread(function, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            results[name] = function()
        finally:
            connections.close_all()  # this thread's connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _advisory_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0]


def test_concurrent_misses_of_one_key_compute_once(cache_settings):
    computing, release, calls, results = threading.Event(), threading.Event(), [], {}

    def compute():
        calls.append(1)
        computing.set()
        assert release.wait(10)
        return {"figure": 42}

    first = _in_thread(lambda: figure_cache.get_or_compute("k", compute, 60), results, "first")
    assert computing.wait(10)
    second = _in_thread(lambda: figure_cache.get_or_compute("k", compute, 60), results, "second")
    if connection.vendor == "postgresql" and cache_settings == "database":
        deadline = time.monotonic() + 10  # the second reader waits on the key's advisory lock
        while _advisory_waiters() == 0:
            assert time.monotonic() < deadline, "the second reader did not wait on the advisory lock"
            time.sleep(0.02)
    else:
        time.sleep(0.3)  # the second reader has missed and waits on the process's lock
    release.set()
    first.join(10), second.join(10)
    assert results == {"first": {"figure": 42}, "second": {"figure": 42}}
    assert len(calls) == 1
    assert figure_cache.get_or_compute("k", compute, 60) == {"figure": 42} and len(calls) == 1  # a hit


def test_a_failed_computation_leaves_the_key_free(cache_settings):
    def fail():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        figure_cache.get_or_compute("k", fail, 60)
    assert figure_cache.get_or_compute("k", lambda: 7, 60) == 7  # the lock was released


def test_a_reader_of_a_newer_version_does_not_wait_for_an_older_computation(cache_settings):
    """The official who has just posted sees the write: their key holds the new version, computed at once
    while a reader of the version before is still computing."""
    named = resolve_period("year", None, None)
    ChainFactory(code="a")
    older_computing, release, results = threading.Event(), threading.Event(), {}

    def slow_count():
        older_computing.set()
        assert release.wait(10)
        return Chain.objects.count()

    older = _in_thread(lambda: selectors.cached("test", named, slow_count), results, "older")
    assert older_computing.wait(10)
    ChainFactory(code="b")  # a write: the data version moves
    newer = _in_thread(lambda: selectors.cached("test", named, Chain.objects.count), results, "newer")
    newer.join(10)
    assert results == {"newer": 2}  # while the older reader is still computing
    release.set()
    older.join(10)
    assert selectors.cached("test", named, lambda: -1) == 2  # the newer figures, cached under the newer version


def test_a_reader_waits_a_bounded_time_then_computes_itself(cache_settings, monkeypatch):
    """A computation that does not finish (a stuck query) keeps the others waiting ``WAIT_SECONDS`` at most."""
    monkeypatch.setattr(figure_cache, "WAIT_SECONDS", 0.3)
    computing, release, calls, results = threading.Event(), threading.Event(), [], {}

    def stuck():
        calls.append("stuck")
        computing.set()
        assert release.wait(10)
        return {"figure": 1}

    def quick():
        calls.append("quick")
        if connection.vendor == "postgresql":  # this thread's connection, after its bounded wait
            with connection.cursor() as cursor:
                cursor.execute("SHOW lock_timeout")
                assert cursor.fetchone()[0] == "0"  # the bound was the lock's own transaction's
        return {"figure": 2}

    first = _in_thread(lambda: figure_cache.get_or_compute("k", stuck, 60), results, "first")
    assert computing.wait(10)
    started = time.monotonic()
    second = _in_thread(lambda: figure_cache.get_or_compute("k", quick, 60), results, "second")
    second.join(10)
    waited = time.monotonic() - started
    assert results == {"second": {"figure": 2}}  # while the first is still computing
    assert 0.25 <= waited < 5
    release.set()
    first.join(10)
    assert results["first"] == {"figure": 1} and calls == ["stuck", "quick"]
    assert figure_cache.get_or_compute("k", quick, 60) == {"figure": 1}  # the last computed was cached
    if connection.vendor == "postgresql":
        assert _advisory_waiters() == 0  # the reader that gave up waits no more
