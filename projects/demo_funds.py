"""Demo funds in place (``projects.demo``): monthly records for a share of the signed demo projects, set-based.

Drawn from a random generator of their own (seeded from the demo seed), so adding them changes no
other demo row; every record's source note is 演示. A project pays in over some of the months from
its signing to the demo's last month, never more in domestic funds than its total investment, and
foreign money only if it has a contracted foreign part.

Every record has money in, and a project's records are made in month order (the order of their ids): each is
written with the month of the project's record before it, the project's chain and town, as the rebuild after
the bulk load would set them (``projects.rollups.PREVIOUS_ROWS``), which then finds nothing to update.
"""

import datetime
import random
from decimal import Decimal

from .bulk_load import InstanceMaker, insert_objects
from .choices import ProjectStage
from .models import Project, ProjectFunds, first_of_month

DEMO_MARK = "演示"
FUNDS_SHARE = 0.6  # of signed (or later) projects
MONTHS_AT_MOST = 18
PAID_STAGES = {ProjectStage.SIGNED, ProjectStage.REGISTERED, ProjectStage.CONSTRUCTION, ProjectStage.PRODUCTION}
CENT = Decimal("0.01")


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def demo_funds(projects: list[Project], *, seed: int, end_date: datetime.date, batch_size: int) -> int:
    """Write the monthly records of ``projects`` (already saved) with one bulk insert; returns how many."""
    rng = random.Random(f"{seed}-funds")
    last = first_of_month(end_date)
    records = []
    make = InstanceMaker(ProjectFunds)
    for project in projects:
        if project.signed_date is None or project.stage not in PAID_STAGES or rng.random() > FUNDS_SHARE:
            continue
        month, paid, months, previous = first_of_month(project.signed_date), Decimal(0), 0, None
        while month <= last and months < MONTHS_AT_MOST:
            months += 1
            if rng.random() < 0.5:
                domestic = (project.total_investment * Decimal(rng.uniform(0.01, 0.08))).quantize(CENT)
                domestic = min(domestic, project.total_investment - paid)
                foreign = Decimal(0)
                if project.foreign_investment:
                    foreign = (project.foreign_investment * Decimal(rng.uniform(0.02, 0.1))).quantize(CENT)
                if domestic > 0 or foreign > 0:
                    paid += domestic
                    records.append(
                        make(
                            project=project,
                            month=month,
                            domestic_funds=domestic,
                            actual_foreign_investment=foreign,
                            source_note=DEMO_MARK,
                            previous_funded_month=previous,
                            project_chain_id=project.chain_id,
                            project_town=project.town,
                        )
                    )
                    previous = month
            month = _next_month(month)
    insert_objects(records, batch_size=batch_size)
    return len(records)
