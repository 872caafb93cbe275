"""Which visits, projects and follow-ups a role may change or delete (django-rules object rules).

The role's model permission (``pinghu.permissions``) says whether it may change visits at all;
these rules say which ones. ``pinghu.permissions.may`` applies both; admin, pages and API call it.
"""

import datetime

import rules
from django.utils import timezone

from chains.models import ChainLeadership
from pinghu.permissions import Role, in_role, is_admin


def led_chain_ids(user, on: datetime.date | None = None) -> frozenset[int]:
    """Chains the user's leader currently heads (链长 or 副链长), read once per request's user object."""
    cached = getattr(user, "_pinghu_led_chains", None)
    if cached is None:
        on = on or timezone.localdate()
        cached = frozenset(
            ChainLeadership.objects.current()
            .filter(leader__user_id=user.pk, start_date__lte=on)
            .values_list("chain_id", flat=True)
        )
        user._pinghu_led_chains = cached
    return cached


def _is_user(user, user_id) -> bool:
    return user.pk is not None and user_id == user.pk


@rules.predicate
def is_bureau_staff(user) -> bool:
    """Bureau staff (局工作人员) correct any project: they keep the register for the whole city."""
    return in_role(user, Role.BUREAU_STAFF)


@rules.predicate
def entered_project(user, project) -> bool:
    return project is not None and _is_user(user, project.created_by_id)


@rules.predicate
def responsible_for_project(user, project) -> bool:
    return project is not None and _is_user(user, project.responsible_official_id)


@rules.predicate
def leads_project_chain(user, project) -> bool:
    return project is not None and project.chain_id in led_chain_ids(user)


@rules.predicate
def recorded_visit(user, visit) -> bool:
    return visit is not None and _is_user(user, visit.recorded_by_id)


@rules.predicate
def wrote_follow_up(user, follow_up) -> bool:
    return follow_up is not None and _is_user(user, follow_up.author_id)


rules.add_perm(
    "projects.change_project",
    is_admin | is_bureau_staff | entered_project | responsible_for_project | leads_project_chain,
)
rules.add_perm("projects.delete_project", is_admin)
rules.add_perm("projects.change_investmentvisit", is_admin | recorded_visit)
rules.add_perm("projects.delete_investmentvisit", is_admin | recorded_visit)
rules.add_perm("projects.change_followup", is_admin | wrote_follow_up)
rules.add_perm("projects.delete_followup", is_admin | wrote_follow_up)

# The project list's bulk actions act on many projects at once, for the bureau: bureau staff and admins
# (a rule of its own, not a model permission: officials and chain leaders change their own projects one by one).
BULK_EDIT = "projects.bulk_edit_project"
rules.add_perm(BULK_EDIT, is_admin | is_bureau_staff)
