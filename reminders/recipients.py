"""Who receives a reminder, each found by one query whatever the number of rows:

- bureau staff: the active members of the role's group (``pinghu.permissions.Role.BUREAU_STAFF``);
- a unit's members: the active accounts of the active ``units.Unit`` the text names;
- a chain's chief: the login of the leader whose chief's term covers the day;
- the active accounts among ids found on the rows (authors, responsible officials, cadres).

A problem names its unit by a foreign key (``EnterpriseIssue.assigned_unit``, selected with it), a town's
target by the town's name: both reach the unit through ``Unit.key`` in ``units_by_key``.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q

from chains.choices import LeadershipRole
from chains.models import ChainLeadership
from pinghu.permissions import Role
from units.models import Unit


def bureau_staff() -> set[int]:
    """The ids of the active bureau staff accounts."""
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.BUREAU_STAFF)
    return set(users.values_list("pk", flat=True))


def active(user_ids: Iterable[int | None]) -> set[int]:
    """The ids among ``user_ids`` of accounts that are active (``None`` dropped)."""
    wanted = {pk for pk in user_ids if pk is not None}
    if not wanted:
        return set()
    return set(get_user_model().objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True))


def issue_unit_keys(issues: Iterable) -> dict[int, str]:
    """Each problem's unit as compared (``Unit.key``; the unit selected with the problem); problems handed
    to no unit, or to a name not yet mapped to a unit, are left out."""
    return {issue.pk: issue.assigned_unit.key for issue in issues if issue.assigned_unit_id}


def units_by_key(keys: Iterable[str]) -> dict[str, tuple[int, set[int]]]:
    """The active units with these keys: key → (unit id, ids of its active members), in one query."""
    wanted = {key for key in keys if key}
    if not wanted:
        return {}
    found: dict[str, tuple[int, set[int]]] = {}
    rows = Unit.objects.filter(key__in=wanted, is_active=True).values_list("key", "pk", "members")
    for key, unit_id, member_id in rows:
        found.setdefault(key, (unit_id, set()))
        if member_id is not None:
            found[key][1].add(member_id)
    members = active({member for _unit, people in found.values() for member in people})
    return {key: (unit_id, people & members) for key, (unit_id, people) in found.items()}


def chain_chiefs(today: datetime.date) -> dict[int, int]:
    """Chain id → the account of its chief on ``today`` (chains whose chief has no login left out)."""
    terms = ChainLeadership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        role=LeadershipRole.CHIEF,
        start_date__lte=today,
        leader__user__isnull=False,
        leader__user__is_active=True,
    )
    return dict(terms.values_list("chain_id", "leader__user_id"))
