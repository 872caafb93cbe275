"""What a demo firm or project is said to be: its Fortune 500 and industry-leader flags, its level.

Derived from one random draw or from the row's number, so the rest of the demo data stays the same
for a seed.
"""

from .choices import ProjectLevel
from .models import Project


def fortune500_from(draw: float) -> bool | None:
    """A demo firm's Fortune 500 flag from one random draw: 2% yes, 20% unknown, the rest no."""
    if draw < 0.02:
        return True
    return None if draw >= 0.8 else False


def industry_leader_of(n: int) -> bool | None:
    """The n-th demo firm's 国际行业龙头 flag from its number (no random draw): 1 in 40 yes, 1 in 3 no, else unknown."""
    if n % 40 == 7:
        return True
    return False if n % 3 == 0 else None


def level_of(n: int, project: Project) -> tuple[str, int | None]:
    """The n-th demo project's level and its year, from its number (no random draw); most have none."""
    if n % 50 == 1:
        level = ProjectLevel.PROVINCIAL_MAJOR
    elif n % 25 == 2:
        level = ProjectLevel.JIAXING_KEY
    elif n % 10 == 3:
        level = ProjectLevel.PINGHU_KEY
    else:
        return "", None
    return level, (project.signed_date or project.first_contact_date).year
