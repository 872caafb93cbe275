"""projects.bulk_aside: a table's keys and secondary indexes set aside for a bulk load and put back as they were."""

import pytest
from django.db import IntegrityError, connection, transaction

from projects import bulk_aside
from projects.bulk_aside import set_aside
from projects.demo_visits import LEADER_COUNT_INSERT
from projects.models import VisitLeader
from projects.triggers.leader_count import LEADER_COUNT

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue")
TABLE = VisitLeader._meta.db_table
BIG = 10**9  # more rows than the table holds, whatever the tests before left in it: worth setting aside


def catalogue() -> dict:
    """The table's keys, indexes and triggers (enabled or not), from PostgreSQL's catalogue."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass", [TABLE]
        )
        keys = set(cursor.fetchall())
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE]
        )
        triggers = set(cursor.fetchall())
    return {"keys": keys, "indexes": indexes, "triggers": triggers}


def test_the_demo_names_the_leader_count_trigger_it_sets_aside():
    names = {item.name for items in LEADER_COUNT.objects.values() for item in items}
    assert LEADER_COUNT_INSERT in names


@postgresql_only
def test_keys_and_indexes_are_gone_inside_and_put_back_exactly():
    before = catalogue()
    assert any("FOREIGN KEY" in definition for _name, definition in before["keys"])
    with transaction.atomic():
        with set_aside(VisitLeader, rows=BIG, triggers=(LEADER_COUNT_INSERT,)):
            inside = catalogue()
            assert not any("FOREIGN KEY" in definition for _name, definition in inside["keys"])
            assert {name for name, _d in inside["indexes"]} < {name for name, _d in before["indexes"]}
            assert any("pkey" in name for name, _d in inside["indexes"])  # what backs a constraint stays
            assert (LEADER_COUNT_INSERT, "D") in inside["triggers"]
        assert catalogue() == before


@postgresql_only
def test_a_row_that_breaks_a_key_fails_the_load_when_the_key_is_put_back():
    with pytest.raises(IntegrityError), transaction.atomic():
        with set_aside(VisitLeader, rows=BIG):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {TABLE} (created_at, updated_at, visit_id, leader_id) VALUES (now(), now(), -1, -1)"
                )
    assert catalogue()["keys"]  # rolled back with the transaction: the keys are there


@postgresql_only
def test_a_small_load_sets_nothing_aside_but_the_triggers_named():
    before = catalogue()
    with transaction.atomic():
        with set_aside(VisitLeader, rows=bulk_aside.MIN_ROWS - 1, triggers=(LEADER_COUNT_INSERT,)):
            inside = catalogue()
            assert inside["keys"] == before["keys"] and inside["indexes"] == before["indexes"]
            assert (LEADER_COUNT_INSERT, "D") in inside["triggers"]
    assert catalogue() == before


def test_elsewhere_nothing_is_set_aside():
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's path")
    with transaction.atomic(), set_aside(VisitLeader, rows=10**6, triggers=(LEADER_COUNT_INSERT,)):
        pass  # no statement: SQLite's triggers keep firing
