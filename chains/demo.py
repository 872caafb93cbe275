"""The demo's chain leadership (``generate_demo_data``): a 链长 and deputies for every chain, with terms and logins.

The article names no chain chiefs for Pinghu, so ``seed_pinghu`` loads none; without them the demo's
chain pages show "—" under 链长 and the reminders meant for chiefs reach no one. Here every chain gets:

- a current chief (链长): a demo leader with a city leader's title where there is one, linked to a login
  ``demo-chief-<chain code>`` in the chain leaders' role (no usable password: an administrator may set one,
  ``manage.py changepassword``), which gives it edit rights over the chain's projects (``projects.rules``);
- one or two current deputies (副链长), heads of departments or towns;
- for every other chain, a former chief whose term ended the day before the current one began, so the
  leadership history has something to show.

Appointments go through ``chain_leadership_save`` (validated like any other). The draws use a random
generator of their own, so adding them leaves the rest of the demo the same for a seed.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from pinghu.history import delete_with_history
from pinghu.permissions import Role

from .choices import LeadershipRole
from .models import Chain, ChainLeadership, Leader
from .services import chain_leadership_save, leader_save

CHIEF_TITLES = ("市委书记", "市长", "副市长")
CHIEF_ACCOUNT_PREFIX = "demo-chief-"
TERM_DAYS = 3 * 365  # a term runs about three years


def demo_chain_leadership(leaders: list[Leader], *, seed: int, end: datetime.date) -> int:
    """Appoint the demo's chiefs and deputies (see the module's docstring); returns the appointments written."""
    rng = random.Random(f"chain-leadership-{seed}")
    chains = list(Chain.objects.order_by("sort_order", "code"))
    if not chains or len(leaders) < 3:
        return 0
    city = _city_leaders(leaders)
    others = [leader for leader in leaders if leader not in city] or list(leaders)
    group = Group.objects.filter(name=Role.CHAIN_LEADER).first()
    written = 0
    for position, chain in enumerate(chains):
        chief = _chief(city, position)
        start = end - datetime.timedelta(days=rng.randint(200, 900))
        if position % 2:  # every other chain: a former chief before the current one
            former = rng.choice([leader for leader in leaders if leader != chief])
            _appoint(former, chain, LeadershipRole.CHIEF, start - datetime.timedelta(days=TERM_DAYS), start)
            written += 1
        _appoint(chief, chain, LeadershipRole.CHIEF, start, None)
        candidates = [leader for leader in others if leader != chief]
        for deputy in rng.sample(candidates, k=min(len(candidates), 1 + position % 2)):
            _appoint(deputy, chain, LeadershipRole.DEPUTY, start + datetime.timedelta(days=rng.randint(0, 60)), None)
            written += 1
        written += 1
        _give_login(chief, chain, group)
    return written


def _city_leaders(leaders: list[Leader]) -> list[Leader]:
    return [leader for leader in leaders if leader.title in CHIEF_TITLES] or list(leaders)


def _chief(city: list[Leader], position: int) -> Leader:
    return city[position % len(city)]


def demo_chiefs(leaders: list[Leader], chains: list[Chain]) -> list[Leader]:
    """The leaders ``demo_chain_leadership(leaders, …)`` will make current chiefs (and give logins to), known
    before it runs: no random draw picks them, only the chains' order (``sort_order``, ``code``)."""
    if not chains or len(leaders) < 3:
        return []
    city = _city_leaders(leaders)
    return [_chief(city, position) for position in range(len(chains))]


def _appoint(leader: Leader, chain: Chain, role: str, start: datetime.date, end_of_term: datetime.date | None) -> None:
    ended = end_of_term - datetime.timedelta(days=1) if end_of_term else None
    leadership = ChainLeadership(leader=leader, chain=chain, role=role, start_date=start, end_date=ended)
    chain_leadership_save(leadership=leadership, by=None)


def _give_login(chief: Leader, chain: Chain, group: Group | None) -> None:
    """A login for the chief (one per leader: a leader heading two chains keeps the first chain's)."""
    if chief.user_id is not None:
        return
    account, created = get_user_model().objects.get_or_create(
        username=f"{CHIEF_ACCOUNT_PREFIX}{chain.code}", defaults={"first_name": chief.name}
    )
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    if group is not None:
        account.groups.add(group)
    chief.user = account
    leader_save(leader=chief, by=None)


def delete_demo_chain_leadership(leaders, *, reason: str = "", user=None) -> None:
    """Remove the appointments of the demo's leaders and the chiefs' logins (before the leaders go)."""
    delete_with_history(ChainLeadership.objects.filter(leader__in=leaders), reason=reason, user=user)
    get_user_model().objects.filter(username__startswith=CHIEF_ACCOUNT_PREFIX).delete()
