"""The projects app's database triggers, declared once for PostgreSQL and SQLite, and installed after every migrate.

Two sets, each first installed by the migration that added what it keeps:

- ``LEADER_COUNT`` (``leader_count.py``, migration 0004): ``InvestmentVisit.leader_count``, the
  number of leader rows of a visit.
- ``ROLLUPS`` (``rollups_postgresql.py``, ``rollups_sqlite.py``, migration 0006): the rollups of
  migration 0005 (``VisitDay``, ``VisitDayChain``, ``PipelineDelta``) and
  ``VisitProject.visit_date``, kept in step with the rows they are computed from, in the same
  transaction, on every write path (services, admin, bulk inserts, raw SQL):

  - ``projects_investmentvisit``: its date and leader_count feed the day rows and, through its
    chain links, the day-and-chain rows; its date is copied to its project links.
  - ``projects_investmentvisit_chains``: a link adds the visit to that chain's day row.
  - ``projects_visitproject``: visit_date is set from the visit on every insert and update.
  - ``projects_projectstagechange``: a change adds the project (and its investment) to the new
    stage and removes it from the old one, on its date, in its project's chain.
  - ``projects_project``: a new chain or total investment moves the project's deltas along.

- ``LEADER_DAYS`` (``leader_days.py``, migration 0019): ``VisitDayLeader``, each leader's visits per
  day, which the top-official person-times sum with the leaders' current flags.

- ``PREVIOUS_ROWS`` (``previous_rows.py``, migration 0026): each project link's previous dates (by
  visit date, and among Saturday visits) and each funds record's previous month with money in, with
  their project's chain (and town), from which projects engaged and projects with money in are
  counted without a DISTINCT or a join.

- ``FUNDS_MONTHS`` (``funds_months.py``, migration 0028): ``ProjectFundsMonth``, the funds records'
  sums and counts per month, chain, town and previous month with money in, following every change of
  the records, those ``PREVIOUS_ROWS`` writes to their kept columns included (installed after it).

- ``CONTACT_DAYS`` (``contact_days.py``, migration 0029): ``ProjectContactDay``, the projects per first
  contact date and chain and those of them signed, following every insert and delete of a project and every
  change of its first contact date, chain or signed-or-not.

- ``PIPELINE_MONTHS`` (``pipeline_months.py``, migration 0030): ``PipelineMonth``, the daily deltas of the
  pipeline summed per month, chain and stage, following every change of ``projects_pipelinedelta`` (which
  only the rollup triggers above and the rebuilds write).

- ``DATA_VERSION`` (``pinghu.dataversion``, migration ``pinghu.0009``): every write to a table of
  the app (the history tables aside) moves the data version, which the cached dashboard and chain
  figures are keyed on (``projects.selectors.cached``).

``install_after_migrate`` (connected in ``ProjectsConfig.ready``) installs them all again after every
``migrate``: on SQLite a migration that alters one of these tables copies it without its
triggers. SQLite also refuses to copy a table that another table's trigger names (most of the
tables above), so such a migration drops the triggers first (``drop``) and leaves their return to
``post_migrate``; writes by later migrations of the same run then go uncounted, and a data
migration among them is followed by ``rebuild_rollups``.

Not here: what each rollup holds, recomputed from the source rows (``projects.rollups``, shared by
migration 0006's backfill, ``rebuild_rollups`` and the tests' comparison), and the machinery that
turns these declarations into statements (``pinghu.triggers``).
"""

from django.db import DEFAULT_DB_ALIAS, connections

from pinghu import dataversion
from pinghu.triggers import TriggerSet, drop_sets, install_migrated, install_sets

from . import rollups_postgresql, rollups_sqlite
from .contact_days import CONTACT_DAYS
from .funds_months import FUNDS_MONTHS
from .leader_count import LEADER_COUNT
from .leader_days import LEADER_DAYS
from .pipeline_months import PIPELINE_MONTHS
from .previous_rows import PREVIOUS_ROWS

ROLLUPS = TriggerSet(
    "rollup triggers",
    migration=("projects", "0006_rollup_triggers"),
    objects={"postgresql": rollups_postgresql.OBJECTS, "sqlite": rollups_sqlite.OBJECTS},
)
# Every table of the app but the history: whatever the pages show is read from these.
DATA_VERSION = dataversion.trigger_set(
    "projects",
    [
        "projects_signingevent",
        "projects_project",
        "projects_projectstagechange",
        "projects_followup",
        "projects_projectfunds",
        "projects_visitday",
        "projects_visitdaychain",
        "projects_visitdayleader",
        "projects_pipelinedelta",
        "projects_pipelinemonth",
        "projects_projectfundsmonth",
        "projects_projectcontactday",
        "projects_investmentvisit",
        "projects_investmentvisit_chains",
        "projects_visitleader",
        "projects_visitproject",
        "projects_landparcel",
        "projects_exchangerate",  # the US-dollar band and the major-project count read it
        "projects_visitphoto",  # a firm's page shows its visits' photos
    ],
)
# In installation order: the rollups read the leader count; on SQLite the funds months' triggers, installed after
# the previous rows', fire before them (projects.triggers.funds_months).
TRIGGER_SETS = [
    LEADER_COUNT,
    ROLLUPS,
    LEADER_DAYS,
    PREVIOUS_ROWS,
    FUNDS_MONTHS,
    CONTACT_DAYS,
    PIPELINE_MONTHS,
    DATA_VERSION,
]


def install(connection) -> None:
    """Create every trigger of the app on ``connection``, replacing what is there (idempotent)."""
    install_sets(connection, TRIGGER_SETS)


def drop(connection) -> None:
    """Drop every trigger (and trigger function) of the app that exists on ``connection``."""
    drop_sets(connection, TRIGGER_SETS)


def install_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` receiver for the projects app: the triggers, again, on the database just migrated."""
    install_migrated(connections[using], TRIGGER_SETS)
