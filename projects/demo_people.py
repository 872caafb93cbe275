"""The demo's responsible officials (``generate_demo_data``): logins that projects name, so follow-ups, the
stalled-project reminders and "my projects" reach someone.

Three accounts in the officials' role, ``demo-official`` (the one the reminders' demo writes follow-ups for)
and ``demo-official-2`` and ``-3``, with no usable password (an administrator may set one with
``manage.py changepassword``). Each open demo project but about one in four is given one of them as its
responsible official, set before the projects are inserted; the others stay unassigned, as in real life,
so the data-quality views have something to show. No draw from the demo's random generator is used: the rest
stays the same for a seed.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from pinghu.permissions import Role

from .choices import OPEN_STAGES
from .models import Project

OFFICIAL_ACCOUNTS = ("demo-official", "demo-official-2", "demo-official-3")


def demo_officials() -> list:
    """The demo's official accounts (created where missing), in ``OFFICIAL_ACCOUNTS`` order."""
    group = Group.objects.filter(name=Role.OFFICIAL).first()
    accounts = []
    for n, username in enumerate(OFFICIAL_ACCOUNTS, start=1):
        account, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": f"演示干部{n}"}
        )
        if created:
            account.set_unusable_password()
            account.save(update_fields=["password"])
        if group is not None:
            account.groups.add(group)
        accounts.append(account)
    return accounts


def assign_demo_officials(projects: list[Project]) -> int:
    """Name a responsible official on three open demo projects in four (by position); returns how many.

    The projects are not saved yet: the official is set on each before the one bulk insert, rather than
    by an UPDATE afterwards that would rewrite three projects in four (100,000 rows at 1,000,000 projects).
    """
    officials = demo_officials()
    slots = len(officials) + 1  # the last slot stays unassigned
    assigned = 0
    for position, project in enumerate(projects):
        slot = position % slots
        if project.stage in OPEN_STAGES and slot < len(officials):
            project.responsible_official_id = officials[slot].pk
            assigned += 1
    return assigned


def delete_demo_officials() -> None:
    get_user_model().objects.filter(username__in=OFFICIAL_ACCOUNTS).delete()


def demo_recorders(leaders: list, chains: list) -> list[tuple]:
    """The pairs (official, leader) ``link_demo_officials`` links, known before the visits are written.

    An official takes a leader with a unit, no login and no city title (never a chain's chief: ``demo_chiefs``
    names those ``demo_chain_leadership`` will give logins to, by position), spread over the leaders in id order.
    No draw from the demo's random generator.
    """
    from chains.demo import CHIEF_TITLES, demo_chiefs

    chiefs = {leader.pk for leader in demo_chiefs(leaders, chains)}
    free = sorted(
        (
            leader
            for leader in leaders
            if leader.user_id is None
            and leader.unit_id is not None
            and leader.title not in CHIEF_TITLES
            and leader.pk not in chiefs
        ),
        key=lambda leader: leader.pk,
    )
    # Read, not made (``demo_officials`` ran when the projects were given theirs): its group ``add`` draws ids.
    accounts = get_user_model().objects.in_bulk(OFFICIAL_ACCOUNTS, field_name="username")
    officials = [accounts[username] for username in OFFICIAL_ACCOUNTS]
    return list(zip(officials, free[:: max(1, len(free) // len(officials))], strict=False))


def visit_recorder(recorders: list[tuple], chosen: list):
    """The id of the first official of ``recorders`` (in their order) whose leader is among a visit's ``chosen``
    leaders, or None: the visit's recorder, written with the visit."""
    taking_part = {leader.pk for leader in chosen}
    return next((official.pk for official, leader in recorders if leader.pk in taking_part), None)


def link_demo_officials(recorders: list[tuple]) -> None:
    """Give each demo official of ``recorders`` (``demo_recorders``) its leader record.

    The phone's home page (their own visits, due follow-ups), the form's prefills (their own leader and unit,
    their usual companions, their last phrases) read these. Run after the chiefs got their logins. The officials'
    visits were written with them as recorders (``visit_recorder``), their history rows with them: an UPDATE of
    every such visit afterwards (and of its history row) rewrote 40,000 visits with every index at 100,000 projects.
    """
    from chains.models import Leader

    demo_officials()  # the accounts in their role, as this step always made sure (its group add draws ids here)
    fresh = Leader.objects.in_bulk([leader.pk for _official, leader in recorders])
    for official, leader in recorders:
        leader = fresh[leader.pk]
        if leader.user_id is not None:  # demo_chiefs did not foresee a login: the visits name the wrong recorder
            raise ValueError(f"Demo leader {leader.pk} has a login already: it cannot be an official's.")
        leader.user = official
        leader.save(update_fields=["user", "updated_at"])
