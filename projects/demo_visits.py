"""The demo visits' writing (``generate_demo_data``): the visits, then their leader, project and chain links.

On the COPY path (PostgreSQL) each visit carries its person-times (``leader_count``) when it is written, and
the leader-count trigger (``projects.triggers.leader_count``) stands aside while the leader rows are copied:
it would rewrite every visit once (200,000 rows at 100,000 projects, with every index of the table). The
other triggers on the leader rows fire as usual. On ``bulk_create``'s path (SQLite) the visits are written
with 0 and the trigger counts, so both paths write the same rows.
"""

from .bulk_load import insert_objects, insert_rows, uses_copy
from .models import InvestmentVisit, VisitLeader, VisitProject

# The leader-count trigger on inserted leader rows (projects.triggers.leader_count).
LEADER_COUNT_INSERT = "projects_visitleader_count_insert"


def count_leaders_here() -> bool:
    """Whether the visits must carry their person-times (the trigger stands aside on this path)."""
    return uses_copy(VisitLeader)


def insert_visits(visits: list, leader_links: list, project_links: list, chain_links: list, *, batch_size: int):
    """Write the visits and, as plain tuples in the order the visits were written, their links."""
    insert_objects(visits, batch_size=batch_size)
    insert_rows(
        VisitLeader,
        ["visit_id", "leader_id"],
        [(visit.pk, leader.pk) for visit, chosen in zip(visits, leader_links, strict=True) for leader in chosen],
        batch_size=batch_size,
        triggers_aside=(LEADER_COUNT_INSERT,),
    )
    insert_rows(
        VisitProject,
        ["visit_id", "project_id"],
        [(visit.pk, project.pk) for visit, chosen in zip(visits, project_links, strict=True) for project in chosen],
        batch_size=batch_size,
    )
    insert_rows(
        InvestmentVisit.chains.through,
        ["investmentvisit_id", "chain_id"],
        [(visit.pk, chain.pk) for visit, chosen in zip(visits, chain_links, strict=True) for chain in chosen],
        batch_size=batch_size,
    )
