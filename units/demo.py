"""The demo's units (演示…): the host and responsible units of the demo's visits and projects, with members.

Written by ``projects.demo`` before its leaders, visits and projects (which name them), removed after them.
Each unit gets two demo accounts (``demo-unit-…``, no usable password: an administrator sets one to try
what a unit's member sees) so that ``make run`` shows units with their members.
"""

from django.contrib.auth import get_user_model

from pinghu.history import delete_with_history, record_history

from .choices import UnitKind
from .models import Unit

DEMO_MARK = "演示"
DEMO_UNITS = [
    ("演示招商局", UnitKind.DEPARTMENT),
    ("演示经信局", UnitKind.DEPARTMENT),
    ("演示开发区管委会", UnitKind.ZONE),
    ("演示镇人民政府", UnitKind.TOWN),
    ("演示商务局", UnitKind.DEPARTMENT),
]
DEMO_USER_PREFIX = "demo-unit-"
MEMBERS_PER_UNIT = 2


def demo_units(*, reason: str = "", user=None) -> list[Unit]:
    """The demo's units (created where missing, in ``DEMO_UNITS`` order) with their demo members."""
    users = get_user_model()
    units = []
    for n, (name, kind) in enumerate(DEMO_UNITS, start=1):
        unit = Unit.objects.filter(name=name).first()
        if unit is None:
            unit = Unit.objects.create(name=name, kind=kind)
            record_history(Unit.objects.filter(pk=unit.pk), history_type="+", reason=reason, user=user)
        for m in range(1, MEMBERS_PER_UNIT + 1):
            member, created = users.objects.get_or_create(
                username=f"{DEMO_USER_PREFIX}{n}-{m}", defaults={"first_name": f"{name}成员{m}"}
            )
            if created:
                member.set_unusable_password()
                member.save(update_fields=["password"])
            unit.members.add(member)
        units.append(unit)
    return units


def delete_demo_units(*, reason: str = "", user=None) -> None:
    """Remove the demo's units and their demo accounts (after every row that names them)."""
    units = Unit.objects.filter(name__in=[name for name, _kind in DEMO_UNITS])
    for unit in units:
        unit.members.clear()
    delete_with_history(units, reason=reason, user=user)
    get_user_model().objects.filter(username__startswith=DEMO_USER_PREFIX).delete()
