"""Targets far behind the time progress (时序进度), at month end.

From the day a month counts as done in the time progress (``settings.PINGHU_TARGET_MONTH_DONE_DAY``, the
25th; the last day in a shorter month) to the month's end, every target of the year whose status is far
behind (``targets.selectors.target_progress``) is reminded once a month to its scope's owner and to bureau
staff. Owners: a chain's chief; a town's or a responsible unit's members (the ``units.Unit`` of that name);
the city and clusters have none beyond the bureau.
"""

import calendar
import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from pinghu.imports import normalise
from targets.choices import ProgressStatus, ScopeKind
from targets.progress import month_done_day
from targets.selectors import target_progress

from .. import recipients
from ..choices import RuleKind
from ..delivery import Reminder


def month_is_done(today: datetime.date) -> bool:
    """Whether ``today`` is in the last days of its month, from the day the month counts as done."""
    last_day = calendar.monthrange(today.year, today.month)[1]
    return today.day >= min(month_done_day(), last_day)


def _percent(fraction) -> str:
    return f"{fraction * 100:.1f}%"


def target_reminders(rule, today: datetime.date) -> list[Reminder]:
    """Targets far behind at month end → the scope's owner and bureau staff."""
    if not month_is_done(today):
        return []
    rows = [row for row in target_progress(today.year, today) if row.status == ProgressStatus.FAR_BEHIND]
    if not rows:
        return []
    staff = recipients.bureau_staff()
    chiefs = recipients.chain_chiefs(today)
    unit_keys = {row.target.pk: _owner_unit_key(row.target) for row in rows}
    units = recipients.units_by_key(unit_keys.values())
    reminders = []
    for row in rows:
        target = row.target
        users = set(staff)
        if target.scope_kind == ScopeKind.CHAIN and target.chain_id in chiefs:
            users.add(chiefs[target.chain_id])
        unit_id, members = units.get(unit_keys[target.pk], (None, set()))
        reminders.append(
            Reminder(
                kind=RuleKind.TARGET_FAR_BEHIND,
                key=f"target:{target.pk}:far_behind:{today:%Y-%m}",
                title=_("Target far behind time progress: %(target)s") % {"target": target},
                body=_("Completion %(completion)s against time progress %(progress)s: %(gap)s points behind.")
                % {
                    "completion": _percent(row.completion),
                    "progress": _percent(row.time_progress),
                    "gap": abs(row.gap_points),
                },
                link=reverse("targets:target-detail", args=[target.pk]),
                obj=target,
                users=users,
                units={unit_id} if unit_id else set(),
                reaches=users | members,
            )
        )
    return reminders


def _owner_unit_key(target) -> str:
    """The ``Unit.key`` of a town's or a unit's target ("" for other scopes)."""
    if target.scope_kind == ScopeKind.TOWN:
        return normalise(target.town)
    if target.scope_kind == ScopeKind.UNIT:
        return target.unit.key if target.unit_id else ""  # a name not yet mapped to a unit: no owner
    return ""
