"""The chains app's "same chain" triggers (``chains.triggers``): installed after every migrate, idempotently.

Whether they refuse every kind of cross-chain write is ``test_constraints.py``; here, that they
are there after a migrate however they went missing. Schema changes run under
``transactional_db`` and undo themselves; the flush that ends such a test runs ``post_migrate``
too, so later tests find the schema and the triggers as they were.
"""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction

from chains import triggers
from chains.models import ChainNode
from tests.dbtriggers import declared_triggers, definitions, installed_triggers
from tests.factories import ChainNodeFactory


def assert_other_chain_parent_refused() -> None:
    parent = ChainNodeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChainNodeFactory(parent=parent)  # a new node in a new chain


@pytest.mark.django_db
def test_installing_twice_in_a_row_changes_nothing():
    before = definitions()
    assert declared_triggers(triggers.SAME_CHAIN) <= installed_triggers()
    triggers.install(connection)
    triggers.install(connection)
    assert definitions() == before
    assert_other_chain_parent_refused()


@pytest.mark.django_db
def test_drop_removes_them_and_install_brings_them_back():
    triggers.drop(connection)
    assert not declared_triggers(triggers.SAME_CHAIN) & installed_triggers()
    ChainNodeFactory(parent=ChainNodeFactory())  # nothing in the database stops it now
    triggers.install(connection)
    assert_other_chain_parent_refused()


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL alters a table in place, keeping its triggers")
def test_migrate_reinstalls_them_after_a_table_rebuild(transactional_db):
    # The triggers of each table name the other, so SQLite copies neither while they are there: a
    # migration that alters one drops them first and leaves their return to post_migrate.
    field = models.IntegerField(default=0)
    field.set_attributes_from_name("rebuild_marker")
    triggers.drop(connection)
    with connection.schema_editor() as editor:
        editor.add_field(ChainNode, field)
    with connection.schema_editor() as editor:
        editor.remove_field(ChainNode, field)
    call_command("migrate", verbosity=0)
    assert declared_triggers(triggers.SAME_CHAIN) <= installed_triggers()
    assert_other_chain_parent_refused()
