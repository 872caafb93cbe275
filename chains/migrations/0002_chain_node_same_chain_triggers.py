# Hand-written: the "same chain" rules span two rows, which a CHECK constraint cannot see
# and Django cannot express as a composite foreign key, so triggers hold them in the database.
# Model validation (ChainNode.clean, EnterpriseChainRole.clean) gives the friendly message;
# these triggers make sure no other path (bulk writes, raw SQL, imports) can break the rule.
from django.db import migrations

PARENT_MESSAGE = "chains_chainnode_parent_same_chain: the parent of a node must belong to the same chain"
ROLE_MESSAGE = "chains_enterprisechainrole_node_same_chain: the node of a role must belong to the chain of the role"
MOVE_MESSAGE = "chains_chainnode_chain_change: a node with children or enterprise roles cannot move to another chain"

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION chains_chainnode_same_chain() RETURNS trigger AS $$
    BEGIN
        IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM chains_chainnode p WHERE p.id = NEW.parent_id AND p.chain_id = NEW.chain_id
        ) THEN
            RAISE EXCEPTION '{PARENT_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.chain_id <> OLD.chain_id AND (
            EXISTS (SELECT 1 FROM chains_chainnode c WHERE c.parent_id = NEW.id)
            OR EXISTS (SELECT 1 FROM chains_enterprisechainrole r WHERE r.node_id = NEW.id)
        ) THEN
            RAISE EXCEPTION '{MOVE_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER chains_chainnode_same_chain BEFORE INSERT OR UPDATE OF parent_id, chain_id
    ON chains_chainnode FOR EACH ROW EXECUTE FUNCTION chains_chainnode_same_chain()
    """,
    f"""
    CREATE FUNCTION chains_enterprisechainrole_same_chain() RETURNS trigger AS $$
    BEGIN
        IF NEW.node_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM chains_chainnode n WHERE n.id = NEW.node_id AND n.chain_id = NEW.chain_id
        ) THEN
            RAISE EXCEPTION '{ROLE_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER chains_enterprisechainrole_same_chain BEFORE INSERT OR UPDATE OF node_id, chain_id
    ON chains_enterprisechainrole FOR EACH ROW EXECUTE FUNCTION chains_enterprisechainrole_same_chain()
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS chains_enterprisechainrole_same_chain ON chains_enterprisechainrole",
    "DROP FUNCTION IF EXISTS chains_enterprisechainrole_same_chain()",
    "DROP TRIGGER IF EXISTS chains_chainnode_same_chain ON chains_chainnode",
    "DROP FUNCTION IF EXISTS chains_chainnode_same_chain()",
]

_SQLITE_PARENT_CHECK = f"""
    WHEN NEW.parent_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM chains_chainnode p WHERE p.id = NEW.parent_id AND p.chain_id = NEW.chain_id
    )
    BEGIN SELECT RAISE(ABORT, '{PARENT_MESSAGE}'); END
"""
_SQLITE_ROLE_CHECK = f"""
    WHEN NEW.node_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM chains_chainnode n WHERE n.id = NEW.node_id AND n.chain_id = NEW.chain_id
    )
    BEGIN SELECT RAISE(ABORT, '{ROLE_MESSAGE}'); END
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER chains_chainnode_parent_insert BEFORE INSERT ON chains_chainnode {_SQLITE_PARENT_CHECK}",
    f"CREATE TRIGGER chains_chainnode_parent_update BEFORE UPDATE OF parent_id, chain_id ON chains_chainnode "
    f"{_SQLITE_PARENT_CHECK}",
    f"""
    CREATE TRIGGER chains_chainnode_chain_change BEFORE UPDATE OF chain_id ON chains_chainnode
    WHEN NEW.chain_id <> OLD.chain_id AND (
        EXISTS (SELECT 1 FROM chains_chainnode c WHERE c.parent_id = NEW.id)
        OR EXISTS (SELECT 1 FROM chains_enterprisechainrole r WHERE r.node_id = NEW.id)
    )
    BEGIN SELECT RAISE(ABORT, '{MOVE_MESSAGE}'); END
    """,
    f"CREATE TRIGGER chains_enterprisechainrole_node_insert BEFORE INSERT ON chains_enterprisechainrole "
    f"{_SQLITE_ROLE_CHECK}",
    f"CREATE TRIGGER chains_enterprisechainrole_node_update BEFORE UPDATE OF node_id, chain_id "
    f"ON chains_enterprisechainrole {_SQLITE_ROLE_CHECK}",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS chains_enterprisechainrole_node_update",
    "DROP TRIGGER IF EXISTS chains_enterprisechainrole_node_insert",
    "DROP TRIGGER IF EXISTS chains_chainnode_chain_change",
    "DROP TRIGGER IF EXISTS chains_chainnode_parent_update",
    "DROP TRIGGER IF EXISTS chains_chainnode_parent_insert",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(schema_editor, direction: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"No same-chain triggers written for the {vendor} database.")
    for statement in STATEMENTS[vendor][direction]:
        schema_editor.execute(statement)


def forwards(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def backwards(apps, schema_editor) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("chains", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
