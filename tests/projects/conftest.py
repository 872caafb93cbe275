"""Fixtures the projects tests share."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from pinghu import dataversion, figure_cache
from tests.factories import ChainFactory, ClusterFactory


@pytest.fixture
def three_chains() -> dict:
    """Two clusters and three chains: ``a`` and ``b`` in ``north``, ``c`` in ``south`` (the rollups' tests' scopes)."""
    north, south = ClusterFactory(), ClusterFactory()
    return {
        "north": north,
        "south": south,
        "a": ChainFactory(code="a", cluster=north),
        "b": ChainFactory(code="b", cluster=north),
        "c": ChainFactory(code="c", cluster=south),
    }


@pytest.fixture
def under_version():
    """A per-process memory cache, and ``compute()`` run as a cached computation under the current data version
    (``pinghu.figure_cache``): the reads it shares are kept and found (the shared reads' tests)."""
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared-reads"}}
    with override_settings(CACHES=locmem):
        caches["default"].clear()

        def run(compute, key: str = "pinghu:test:shared-reads"):
            return figure_cache.get_or_compute(key, compute, 60, version=dataversion.current())

        yield run
        caches["default"].clear()
