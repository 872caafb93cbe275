"""The chains app's database triggers, for PostgreSQL and SQLite: the "same chain" rules and the data version.

A chain-map node's parent, and an enterprise role's node, must belong to the same chain. The
rule spans two rows, which a CHECK constraint cannot see and Django cannot express as a composite
foreign key, so triggers hold it in the database. Model validation (``ChainNode.clean``,
``EnterpriseChainRole.clean``) gives the friendly message; the triggers make sure no other path
(bulk writes, raw SQL, imports) can break the rule.

Migration 0002 installs them first; ``install_after_migrate`` (connected in ``ChainsConfig.ready``)
installs them again after every ``migrate``, since on SQLite a migration that alters
``chains_chainnode`` or ``chains_enterprisechainrole`` copies the table without its triggers. Such
a migration must drop them first (``drop``), as SQLite refuses to copy a table that another
table's trigger names. The machinery (statements, idempotent install) is ``pinghu.triggers``.

``DATA_VERSION`` (``pinghu.dataversion``, migration ``pinghu.0009``): every write to a table of the
app (the history tables aside) moves the data version that cached page figures are keyed on.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from pinghu import dataversion
from pinghu.triggers import Function, Trigger, TriggerSet, drop_sets, install_migrated, install_sets

PARENT_MESSAGE = "chains_chainnode_parent_same_chain: the parent of a node must belong to the same chain"
ROLE_MESSAGE = "chains_enterprisechainrole_node_same_chain: the node of a role must belong to the chain of the role"
MOVE_MESSAGE = "chains_chainnode_chain_change: a node with children or enterprise roles cannot move to another chain"

POSTGRESQL = [
    Function(
        "chains_chainnode_same_chain",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body=f"""
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
    """,
    ),
    Trigger(
        "chains_chainnode_same_chain",
        "BEFORE INSERT OR UPDATE OF parent_id, chain_id",
        "chains_chainnode",
        "FOR EACH ROW EXECUTE FUNCTION chains_chainnode_same_chain()",
    ),
    Function(
        "chains_enterprisechainrole_same_chain",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body=f"""
    BEGIN
        IF NEW.node_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM chains_chainnode n WHERE n.id = NEW.node_id AND n.chain_id = NEW.chain_id
        ) THEN
            RAISE EXCEPTION '{ROLE_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    """,
    ),
    Trigger(
        "chains_enterprisechainrole_same_chain",
        "BEFORE INSERT OR UPDATE OF node_id, chain_id",
        "chains_enterprisechainrole",
        "FOR EACH ROW EXECUTE FUNCTION chains_enterprisechainrole_same_chain()",
    ),
]

# SQLite: one trigger per event (it has no INSERT OR UPDATE), each raising when its WHEN holds.
_PARENT_CHECK = f"""
    WHEN NEW.parent_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM chains_chainnode p WHERE p.id = NEW.parent_id AND p.chain_id = NEW.chain_id
    )
    BEGIN SELECT RAISE(ABORT, '{PARENT_MESSAGE}'); END
"""
_ROLE_CHECK = f"""
    WHEN NEW.node_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM chains_chainnode n WHERE n.id = NEW.node_id AND n.chain_id = NEW.chain_id
    )
    BEGIN SELECT RAISE(ABORT, '{ROLE_MESSAGE}'); END
"""
SQLITE = [
    Trigger("chains_chainnode_parent_insert", "BEFORE INSERT", "chains_chainnode", _PARENT_CHECK),
    Trigger(
        "chains_chainnode_parent_update", "BEFORE UPDATE OF parent_id, chain_id", "chains_chainnode", _PARENT_CHECK
    ),
    Trigger(
        "chains_chainnode_chain_change",
        "BEFORE UPDATE OF chain_id",
        "chains_chainnode",
        f"""
    WHEN NEW.chain_id <> OLD.chain_id AND (
        EXISTS (SELECT 1 FROM chains_chainnode c WHERE c.parent_id = NEW.id)
        OR EXISTS (SELECT 1 FROM chains_enterprisechainrole r WHERE r.node_id = NEW.id)
    )
    BEGIN SELECT RAISE(ABORT, '{MOVE_MESSAGE}'); END
    """,
    ),
    Trigger("chains_enterprisechainrole_node_insert", "BEFORE INSERT", "chains_enterprisechainrole", _ROLE_CHECK),
    Trigger(
        "chains_enterprisechainrole_node_update",
        "BEFORE UPDATE OF node_id, chain_id",
        "chains_enterprisechainrole",
        _ROLE_CHECK,
    ),
]

SAME_CHAIN = TriggerSet(
    "same-chain triggers",
    migration=("chains", "0002_chain_node_same_chain_triggers"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
# Every table of the app but the history: the pages show clusters, chains, leaders and firms.
DATA_VERSION = dataversion.trigger_set(
    "chains",
    [
        "chains_cluster",
        "chains_chain",
        "chains_chainnode",
        "chains_leader",
        "chains_chainleadership",
        "chains_enterprise",
        "chains_enterprisechainrole",
        "chains_enterpriseannualmetric",
        "chains_permugradescheme",
    ],
)
# Tables of the app no page shows, so a write to them needs no new version (the test that every
# table is covered reads this).
WITHOUT_DATA_VERSION = {"chains_seededrow": "the seed's record of what it loaded"}
TRIGGER_SETS = [SAME_CHAIN, DATA_VERSION]


def install(connection) -> None:
    """Create every trigger of the app on ``connection``, replacing what is there (idempotent)."""
    install_sets(connection, TRIGGER_SETS)


def drop(connection) -> None:
    """Drop every trigger (and trigger function) of the app that exists on ``connection``."""
    drop_sets(connection, TRIGGER_SETS)


def install_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` receiver for the chains app: the triggers, again, on the database just migrated."""
    install_migrated(connections[using], TRIGGER_SETS)
