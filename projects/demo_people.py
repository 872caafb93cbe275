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
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When

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


def link_demo_officials(leaders: list, visits) -> int:
    """Give each demo official a leader record and make them the recorder of that leader's demo visits.

    The phone's home page (their own visits, due follow-ups), the form's prefills (their own leader and unit,
    their usual companions, their last phrases) read these. Run after the chiefs got their logins: an official
    takes a leader with a unit, no login and no city title (never a chain's chief), by position, and the visits
    (and their history rows, so a restore keeps the recorder) are updated set-based: no draw from the demo's
    random generator. Returns the number of visits given a recorder.
    """
    from chains.demo import CHIEF_TITLES
    from chains.models import Leader

    from .models import InvestmentVisit, VisitLeader

    free = list(
        Leader.objects.filter(pk__in=[leader.pk for leader in leaders], user__isnull=True, unit__isnull=False)
        .exclude(title__in=CHIEF_TITLES)
        .order_by("pk")
    )
    officials = demo_officials()
    pairs = list(zip(officials, free[:: max(1, len(free) // len(officials))], strict=False))
    for official, leader in pairs:
        leader.user = official
        leader.save(update_fields=["user", "updated_at"])
    if not pairs:
        return 0
    # One UPDATE for the visits and one for their history (not one each per official: each scanned every demo
    # visit): a visit gets the first official, in the accounts' order, whose leader took part in it. The
    # history first: its condition reads the visits' recorder, which the second statement sets.
    chosen = [leader.pk for _official, leader in pairs]
    unrecorded = visits.filter(
        pk__in=VisitLeader.objects.filter(leader__in=chosen).values("visit_id"), recorded_by__isnull=True
    ).values("pk")
    InvestmentVisit.history.filter(id__in=unrecorded).update(recorded_by=_first_official(pairs, OuterRef("id")))
    return InvestmentVisit.objects.filter(pk__in=unrecorded).update(recorded_by=_first_official(pairs, OuterRef("pk")))


def _first_official(pairs: list, visit) -> Subquery:
    """The account of the first of ``pairs`` (official, leader) whose leader took part in ``visit``."""
    from .models import VisitLeader

    rank = Case(*[When(leader_id=leader.pk, then=Value(n)) for n, (_o, leader) in enumerate(pairs)])
    account = Case(*[When(leader_id=leader.pk, then=Value(official.pk)) for official, leader in pairs])
    rows = VisitLeader.objects.filter(visit_id=visit, leader__in=[leader.pk for _official, leader in pairs])
    first = rows.annotate(rank=rank, account=account).order_by("rank").values("account")[:1]
    return Subquery(first, output_field=IntegerField())
