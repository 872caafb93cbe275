"""Statistics and exports read from the read replica when one is configured; writes never go there.

On PostgreSQL the module adds a ``replica`` alias that mirrors the test database (what
``DATABASE_REPLICA_URL`` would configure, pointed at the same server): a second connection, so the
tests can see which connection each query went to. Those tests commit their rows
(``transaction=True``), since a second connection cannot see a test's uncommitted transaction. On
SQLite there is no replica alias: the router's decisions and the path without a replica are tested.
"""

import copy
import csv
import datetime
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from pinghu.read_replica import ReadReplicaRouter, read_alias, replica_reads
from projects.models import Project
from tests.factories import ChainFactory, InvestmentVisitFactory, LeaderFactory, ProjectFactory

REPLICA = "replica"
POSTGRESQL = settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"] == "django.db.backends.postgresql"
ROUTER = ReadReplicaRouter()


def _add_replica_alias() -> None:
    """The alias DATABASE_REPLICA_URL adds, mirroring default in tests; added before the test databases are set up."""
    if REPLICA in connections.settings:
        return
    replica = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    replica["TEST"] = {**replica["TEST"], "MIRROR": DEFAULT_DB_ALIAS, "NAME": None}
    connections.settings[REPLICA] = replica  # settings.DATABASES itself


if POSTGRESQL:
    _add_replica_alias()


def with_replica(test):
    """PostgreSQL only; committed rows, queries allowed on both aliases."""
    test = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])(test)
    return pytest.mark.skipif(not POSTGRESQL, reason="the replica alias mirrors a PostgreSQL test database")(test)


STATS_URLS = [
    "/api/v1/stats/summary/",
    "/api/v1/stats/by-chain/",
    "/api/v1/stats/pipeline/",
    "/api/v1/stats/monthly/",
    "/api/v1/stats/funds/by-town/",
    "/api/v1/stats/milestones/",
    "/api/v1/stats/land/",
    "/api/v1/stats/bands/",
    "/api/v1/stats/targets/",
    "/api/v1/stats/per-mu/by-town/",
    "/api/v1/stats/per-mu/by-chain/",
    "/api/v1/stats/issues/",
    "/api/v1/stats/not-visited/",
]
# What a request reads on the primary before its handler runs: the token or session, the user, the role.
AUTHENTICATION_TABLES = re.compile(r'"(pinghu_apitoken|auth_user|auth_group|auth_permission|django_session)\w*"')
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def sql(context: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


def statistics_data():
    chain = ChainFactory(code="nev")
    ProjectFactory(chain=chain, total_investment=Decimal("3000"))
    InvestmentVisitFactory(leaders=[LeaderFactory()], chains=[chain], date=datetime.date.today())


# ---------------------------------------------------------------- the rule, on both databases
def outside_transactions():
    """The primary's connection as a request finds it: not in a transaction (the test's own is one)."""
    return mock.patch.object(connections[DEFAULT_DB_ALIAS], "in_atomic_block", False)


def test_without_a_replica_every_read_stays_on_default(settings):
    settings.PINGHU_READ_REPLICA = None
    with outside_transactions(), replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS
        assert ROUTER.db_for_read(Project) == DEFAULT_DB_ALIAS


def test_outside_the_statistics_and_exports_reads_stay_on_default(settings):
    settings.PINGHU_READ_REPLICA = REPLICA
    with outside_transactions():
        assert ROUTER.db_for_read(Project) == DEFAULT_DB_ALIAS
        with replica_reads():
            assert ROUTER.db_for_read(Project) == REPLICA
        assert ROUTER.db_for_read(Project) == DEFAULT_DB_ALIAS


def test_writes_and_migrations_only_on_default(settings):
    settings.PINGHU_READ_REPLICA = REPLICA
    with replica_reads():
        assert ROUTER.db_for_write(Project) == DEFAULT_DB_ALIAS
        # Django would otherwise write an instance back where it was read.
        instance = Project()
        instance._state.db = REPLICA
        assert ROUTER.db_for_write(Project, instance=instance) == DEFAULT_DB_ALIAS
    assert ROUTER.allow_migrate(DEFAULT_DB_ALIAS, "projects") is True
    assert ROUTER.allow_migrate(REPLICA, "projects") is False


@pytest.mark.django_db
def test_a_read_inside_a_transaction_stays_on_default(settings):
    settings.PINGHU_READ_REPLICA = REPLICA
    with transaction.atomic(), replica_reads():
        # The transaction may have written: only the primary's connection can see that.
        assert read_alias() == DEFAULT_DB_ALIAS
        assert ROUTER.db_for_read(Project) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_the_statistics_answer_without_a_replica_alias(settings, read_client):
    settings.PINGHU_READ_REPLICA = None
    statistics_data()
    for url in STATS_URLS:
        assert read_client.get(url).status_code == 200, url


# ---------------------------------------------------------------- with a replica alias (PostgreSQL)
@with_replica
def test_statistics_read_from_the_replica(settings, read_client):
    statistics_data()
    for url in STATS_URLS:
        settings.PINGHU_READ_REPLICA = None
        expected = read_client.get(url).json()
        settings.PINGHU_READ_REPLICA = REPLICA
        with (
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
            CaptureQueriesContext(connections[REPLICA]) as replica,
        ):
            response = read_client.get(url)
        assert response.status_code == 200 and response.json() == expected, url
        assert replica.captured_queries, f"{url} read nothing from the replica"
        assert not [query for query in sql(replica) if WRITES.match(query)], url
        # On the primary: the request's authentication and the token's use, nothing of the figures.
        figures_on_primary = [query for query in sql(primary) if not AUTHENTICATION_TABLES.search(query)]
        assert figures_on_primary == [], (url, figures_on_primary)


@with_replica
def test_exports_read_their_rows_from_the_replica(settings, read_client):
    chain = ChainFactory(code="nev")
    for name in ("甲项目", "乙项目", "丙项目"):
        ProjectFactory(chain=chain, name=name)
    for export_format in ("csv", "xlsx"):
        settings.PINGHU_READ_REPLICA = None
        expected = b"".join(read_client.get("/api/v1/projects/", {"format": export_format}).streaming_content)
        settings.PINGHU_READ_REPLICA = REPLICA
        with (
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
            CaptureQueriesContext(connections[REPLICA]) as replica,
        ):
            response = read_client.get("/api/v1/projects/", {"format": export_format})
            content = b"".join(response.streaming_content)
        if export_format == "csv":  # an XLSX file carries its time of writing
            assert content == expected
            assert len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) == 4
        assert any('FROM "projects_project"' in query for query in sql(replica)), export_format
        assert not [query for query in sql(replica) if WRITES.match(query)]
        assert not any('FROM "projects_project"' in query for query in sql(primary)), export_format


@with_replica
def test_the_targets_review_export_reads_its_figures_from_the_replica(settings, admin_client):
    settings.PINGHU_READ_REPLICA = REPLICA
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        response = admin_client.get("/targets/export.csv")
    assert response.status_code == 200
    assert any('"targets_target"' in query for query in sql(replica))
    assert not [query for query in sql(replica) if WRITES.match(query)]


@with_replica
def test_a_row_read_from_the_replica_is_saved_on_the_primary(settings):
    settings.PINGHU_READ_REPLICA = REPLICA
    pk = ProjectFactory(name="旧名").pk
    with (
        replica_reads(),
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        project = Project.objects.get(pk=pk)
        assert project._state.db == REPLICA
        project.name = "新名"
        project.save(update_fields=["name"])
    assert any(WRITES.match(query) for query in sql(primary))
    assert not any(WRITES.match(query) for query in sql(replica))
    assert Project.objects.using(DEFAULT_DB_ALIAS).get(pk=pk).name == "新名"
