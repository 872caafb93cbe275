"""Fixtures the projects tests share."""

import pytest

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
