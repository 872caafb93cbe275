"""The streamed exports with and without server-side cursors (PgBouncer in transaction mode needs them off).

``DATABASE_PGBOUNCER=1`` sets ``DISABLE_SERVER_SIDE_CURSORS`` (pinghu.settings_db); ``override_settings``
cannot change ``DATABASES`` of an open connection, so the tests set the connection's own entry, which
``QuerySet.iterator()`` reads each time it runs.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pinghu.api import export
from tests.factories import ChainFactory, InvestmentVisitFactory, LeaderFactory

pytestmark = pytest.mark.django_db


def streamed(read_client, monkeypatch, *, server_side_cursors: bool) -> tuple[list[list[str]], list[str], int]:
    """The CSV rows of the visits, the SQL it ran, and how many queries had run when the first pieces came out."""
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", not server_side_cursors)
    with CaptureQueriesContext(connection) as queries:
        response = read_client.get("/api/v1/visits/", {"format": "csv"})
        assert response.status_code == 200 and response.streaming
        chunks = iter(response.streaming_content)
        head = [next(chunks), next(chunks), next(chunks)]  # the byte-order mark and the first two pieces
        after_first_row = len(queries.captured_queries)
        text = b"".join([*head, *chunks]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text))), [query["sql"] for query in queries.captured_queries], after_first_row


@pytest.fixture
def visits():
    chain, leader = ChainFactory(code="nev"), LeaderFactory()
    return [InvestmentVisitFactory(chains=[chain], leaders=[leader], purpose=f"走访{index}") for index in range(7)]


def test_the_export_streams_the_same_rows_without_server_side_cursors(read_client, monkeypatch, visits):
    # Chunks of 3 rows: the 7 visits take three chunks, each reading its leaders and its chains in a query each.
    monkeypatch.setattr(export, "CHUNK_SIZE", 3)
    with_cursors, with_sql, with_first = streamed(read_client, monkeypatch, server_side_cursors=True)
    without_cursors, without_sql, without_first = streamed(read_client, monkeypatch, server_side_cursors=False)
    assert without_cursors == with_cursors
    assert len(without_cursors) == 1 + len(visits)
    assert not any("DECLARE" in query.upper() for query in without_sql)
    if connection.vendor == "postgresql":
        # The check can fail: with server-side cursors the rows come through a DECLAREd cursor.
        assert any("DECLARE" in query.upper() and "CURSOR" in query.upper() for query in with_sql)
    # Streamed either way: when the first pieces are out (the CSV is sent CHUNK_SIZE lines a piece, the header
    # counting as one), the last chunk's queries (its leaders, its chains) have not run yet.
    for sql, first in ((with_sql, with_first), (without_sql, without_first)):
        later = sql[first:]
        assert sum('"projects_visitleader"' in query for query in later) == 1
        assert sum('"projects_investmentvisit_chains"' in query for query in later) == 1
