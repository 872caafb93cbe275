"""Approval milestones of the demo projects (issue 16), derived from their stage dates without a random draw."""

import datetime

from .choices import ApprovalKind
from .models import Project
from .validators import NEW_CODE_SINCE


def demo_milestones(project: Project, n: int, end: datetime.date) -> None:
    """Milestone dates for the ``n``-th demo project, derived from its stage dates without a random draw.

    They lie between signing and the construction start (or ``end`` for a project not started), in
    pipeline order; the design capacity follows production by half a year or more. Not every project has
    every step (as in a real list): the project number picks which, so the rest of the data stays the same
    for a seed.
    """
    signed = project.signed_date
    if signed is None:
        return
    started = project.construction_date
    span = ((started or end) - signed).days
    if span < 0:
        return

    def at(tenths: int) -> datetime.date:
        return signed + datetime.timedelta(days=span * tenths // 10)

    if started is not None or n % 4 != 3:
        project.code_date = at(1)
        code_date = project.code_date
        time_code = code_date.strftime("%y%m") if code_date >= NEW_CODE_SINCE else str(code_date.year)
        project.project_code = f"{time_code}-330482-{4 + n % 3:02d}-{1 + n % 2:02d}-{n % 1000000:06d}"
    if started is not None or n % 2 == 0:
        project.approval_kind = ApprovalKind.APPROVAL if n % 7 == 0 else ApprovalKind.FILING
        project.approval_date = at(2)
    if project.land_area is not None and (started is not None or n % 3 == 0):
        project.land_supplied_date = at(4)
    if started is not None:
        project.construction_permit_date = at(7)
    if project.production_date is not None:
        capacity = project.production_date + datetime.timedelta(days=180 + n % 180)
        if capacity <= end:
            project.capacity_date = capacity
