"""Read-side queries of the chain structure that more than one caller needs.

Writes are ``chains.services``; aggregates are ``chains.stats``.
"""

from django.core.exceptions import ValidationError
from django.db.models import CharField, Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from pinghu.search import search_condition

from .models import Enterprise, EnterpriseChainRole
from .names import firm_name_key, firm_name_variant_key, near_name_hint

__all__ = [
    "enterprise_by_name",
    "enterprise_near_name",
    "enterprise_suggestions",
    "enterprises_named",
    "likely_duplicate_enterprises",
    "near_name_hint",
]


def enterprises_named(name: str):
    """The firms whose name matches ``name`` once normalised (an indexed lookup); usually one, at most a few."""
    key = firm_name_key(name)
    return Enterprise.objects.filter(name_key=key) if key else Enterprise.objects.none()


def enterprise_near_name(name: str) -> Enterprise | None:
    """A firm whose name differs from ``name`` only by 有限公司/有限责任公司 (a different legal name)."""
    variant = firm_name_variant_key(name)
    return Enterprise.objects.filter(name_key=variant).first() if variant else None


def enterprise_by_name(name: str) -> Enterprise | None:
    """The one firm a typed name stands for, or ``None`` when none is recorded under it.

    Raises ``ValidationError`` when the name matches several firms once normalised: which one is
    meant cannot be guessed. The phone's visit form, the problem form and the import use this rule.
    """
    firms = list(enterprises_named(name)[:2])
    if len(firms) > 1:
        raise ValidationError(
            _("Several enterprises match %(name)s once spaces and full-width forms are ignored: type the exact name.")
            % {"name": name},
            code="ambiguous",
        )
    return firms[0] if firms else None


SUGGESTIONS = 20


def enterprise_suggestions(text: str, *, with_chains: bool = False) -> list[dict]:
    """Up to 20 firms for a search box (a list's firm filter, the visit form's firm picker), by name order.

    Found as the site's search finds them (``pinghu.search``): part of a name, short or former name, its full
    pinyin or initials, a credit code's beginning, or the name once spaces and full-width forms are ignored.
    Each is ``{"id", "name", "short_name", "credit_code", "key"}`` (``key``: the pinyin key, so that a picker
    can keep filtering what it was given); with ``with_chains``, also ``"chains"``: the chains of its chain
    roles, for the visit form to pre-fill. One query, two with the chains."""
    text = text.strip()[:64]
    if not text:
        return []
    key = firm_name_key(text)
    condition = search_condition(Enterprise, text)
    if key:
        condition |= Q(name_key__contains=key)
    firms = list(
        Enterprise.objects.filter(condition)
        .order_by("name", "pk")
        .values("id", "name", "short_name", "credit_code", "search_key")[:SUGGESTIONS]
    )
    chains: dict[int, list[int]] = {firm["id"]: [] for firm in firms}
    if with_chains and firms:
        roles = EnterpriseChainRole.objects.filter(enterprise_id__in=chains).order_by("chain_id")
        for firm_id, chain_id in roles.values_list("enterprise_id", "chain_id"):
            chains[firm_id].append(chain_id)
    for firm in firms:
        firm["key"] = firm.pop("search_key")
        firm["credit_code"] = firm["credit_code"] or ""
        if with_chains:
            firm["chains"] = chains[firm["id"]]
    return firms


# The long company form and the short one: names that differ only by these are likely the same firm.
LONG_FORM, SHORT_FORM = "有限责任公司", "有限公司"


def likely_duplicate_enterprises() -> list[dict]:
    """Groups of firms that are likely one firm, for the bureau to merge, in name order.

    Each group is ``{"reason": ..., "firms": [...]}``: the same name once spaces and full-width forms
    are ignored (``name_key``), or names differing only by 有限公司/有限责任公司. Two firms cannot
    share a credit code (a unique constraint), so a typed duplicate code is refused on entry instead.
    Two queries plus one for the firms, however many firms are recorded.
    """
    same_keys = (
        Enterprise.objects.exclude(name_key="")
        .values("name_key")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("name_key", flat=True)
    )
    short_twin = Enterprise.objects.filter(
        name_key=Concat(
            Substr(OuterRef("name_key"), 1, Length(OuterRef("name_key")) - len(LONG_FORM)),
            Value(SHORT_FORM),
            output_field=CharField(),
        )
    ).values("name_key")[:1]
    variants = (
        Enterprise.objects.filter(name_key__endswith=LONG_FORM)
        .annotate(twin=Subquery(short_twin))
        .filter(twin__isnull=False)
        .values_list("name_key", "twin")
    )
    groups: dict[tuple[str, ...], str] = {
        (key,): _("Same name once spaces and full-width forms are ignored") for key in same_keys
    }
    for long_key, short_key in variants:
        groups[(short_key, long_key)] = _("Names differ only by 有限公司/有限责任公司")
    keys = {key for group in groups for key in group}
    firms_by_key: dict[str, list[Enterprise]] = {}
    for firm in Enterprise.objects.filter(name_key__in=keys).order_by("name", "pk"):
        firms_by_key.setdefault(firm.name_key, []).append(firm)
    result = [
        {"reason": reason, "firms": [firm for key in group for firm in firms_by_key.get(key, [])]}
        for group, reason in groups.items()
    ]
    return sorted((group for group in result if len(group["firms"]) > 1), key=lambda group: group["firms"][0].name)
