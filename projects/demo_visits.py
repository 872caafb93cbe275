"""The demo visits' writing (``generate_demo_data``): the visits, then their leader, project and chain links.

On the COPY path (PostgreSQL) each visit carries its person-times (``leader_count``) when it is written, and
the leader-count trigger (``projects.triggers.leader_count``) stands aside while the leader rows are copied:
it would rewrite every visit once (200,000 rows at 100,000 projects, with every index of the table). The
other triggers on the leader rows fire as usual. Likewise the project links are copied with their visit's date
(``visit_date``), and the row trigger that would look it up (one visit per link) stands aside while they are.
On ``bulk_create``'s path (SQLite) the visits are written with 0 and the trigger counts, and the links' trigger
sets the same date again: both paths write the same rows.

The project links are written with the columns they keep of their project's other links and of their project
(``projects.rollups.PREVIOUS_ROWS``), computed here by the same rule from the links being written (a demo
project has no other link): the bulk load's rebuild (``rollups_deferred``) then finds nothing to update,
where it rewrote every link (and every index of the table) after the COPY.
"""

import datetime

from .bulk_load import insert_objects, insert_rows, uses_copy
from .models import InvestmentVisit, VisitLeader, VisitProject

# The leader-count trigger on inserted leader rows (projects.triggers.leader_count).
LEADER_COUNT_INSERT = "projects_visitleader_count_insert"
# The row trigger that gives an inserted project link its visit's date (projects.triggers.rollups_postgresql).
LINK_VISIT_DATE = "projects_visitproject_date"


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
        ["visit_id", "project_id", "visit_date", "previous_date", "previous_saturday_date", "project_chain_id"],
        with_previous_dates(
            [
                (visit.pk, project.pk, visit.date, project.chain_id)
                for visit, chosen in zip(visits, project_links, strict=True)
                for project in chosen
            ]
        ),
        batch_size=batch_size,
        triggers_aside=(LINK_VISIT_DATE,),
    )
    insert_rows(
        InvestmentVisit.chains.through,
        ["investmentvisit_id", "chain_id"],
        [(visit.pk, chain.pk) for visit, chosen in zip(visits, chain_links, strict=True) for chain in chosen],
        batch_size=batch_size,
    )


def with_previous_dates(links: list[tuple]) -> list[tuple]:
    """``(visit_id, project_id, visit_date, previous_date, previous_saturday_date, project_chain_id)`` for each
    new link ``(visit_id, project_id, visit_date, project_chain_id)``, in the order given (the order of their ids).

    ``PREVIOUS_ROWS``'s rule over these links only: the previous link of a project in the order (visit date,
    id), and on a Saturday visit's link the previous Saturday link; the links' projects must have no others.
    """
    rows: list[tuple] = [()] * len(links)
    previous: dict[int, datetime.date] = {}
    previous_saturday: dict[int, datetime.date] = {}
    for position in sorted(range(len(links)), key=lambda n: (links[n][2], n)):
        visit_id, project_id, date, chain_id = links[position]
        saturday = date.weekday() == 5  # IsSaturday
        rows[position] = (
            visit_id,
            project_id,
            date,
            previous.get(project_id),
            previous_saturday.get(project_id) if saturday else None,
            chain_id,
        )
        previous[project_id] = date
        if saturday:
            previous_saturday[project_id] = date
    return rows
