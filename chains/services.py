"""Writes of the chains app that span several models; appointments of chain leaders and logins of leaders."""

from collections import Counter
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from pinghu.permissions import may

from . import reference_data as ref
from .models import Chain, ChainLeadership, ChainNode, Cluster, Enterprise, EnterpriseChainRole, Leader

# A current appointment as 链长/副链长 gives the leader's login edit rights over every project of the
# chain (projects.rules), and so does linking a login to a leader who holds one: both need this
# permission (admins), never only the right to keep the reference registers (bureau staff).
MANAGE_LEADERSHIP = "chains.manage_leadership"


def upsert_reference_row(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], tally: Counter
) -> Any:
    """Create the row matching ``lookup`` or bring its ``values`` up to date; count what happened.

    Validation runs (``full_clean``) before every write, so reference data obeys the same
    rules as data typed in the admin. A row already equal to ``values`` is not written.
    """
    instance = model.objects.filter(**lookup).first()
    label = model._meta.verbose_name
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        tally[("created", label)] += 1
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean()
        instance.save(update_fields=[*changed, "updated_at"])
        tally[("updated", label)] += 1
    else:
        tally[("unchanged", label)] += 1
    return instance


@transaction.atomic
def seed_reference_data() -> Counter:
    """Load the clusters, chains, starter chain maps and named enterprises of Pinghu.

    Idempotent: rows are matched by code or name, so a second run changes nothing. Returns a
    tally keyed by (``"created"`` | ``"updated"`` | ``"unchanged"``, model verbose name).
    Rows the bureau added by hand are left alone; fields it edited are reset to the reference
    value only where the reference gives one.
    """
    tally: Counter = Counter()
    clusters = {}
    for item in ref.CLUSTERS:
        values = {key: value for key, value in item.items() if key != "code"}
        clusters[item["code"]] = upsert_reference_row(Cluster, {"code": item["code"]}, values, tally)

    chains = {}
    for code, name, name_en, kind, cluster_code, sort_order in ref.CHAINS:
        kind_label = "重点发展产业链" if kind == "key" else "孵化型产业链"
        values = {
            "name": name,
            "name_en": name_en,
            "kind": kind,
            "cluster": clusters[cluster_code],
            "sort_order": sort_order,
            "description": f"{kind_label}，见{ref.POLICY_DOCUMENT}。{ref.DESIGN_MAPPING_NOTE}"
            + (ref.STARTER_MAP_NOTE if code in ref.CHAIN_MAPS else ""),
        }
        chains[code] = upsert_reference_row(Chain, {"code": code}, values, tally)

    nodes: dict[tuple[str, str], ChainNode] = {}
    for chain_code, segments in ref.CHAIN_MAPS.items():
        chain = chains[chain_code]
        order = 0
        for segment, entries in segments.items():
            for name, children in entries:
                order += 1
                parent = upsert_reference_row(
                    ChainNode,
                    {"chain": chain, "name": name},
                    {"segment": segment, "parent": None, "sort_order": order},
                    tally,
                )
                nodes[(chain_code, name)] = parent
                for child_order, child in enumerate(children, start=1):
                    nodes[(chain_code, child)] = upsert_reference_row(
                        ChainNode,
                        {"chain": chain, "name": child},
                        {"segment": segment, "parent": parent, "sort_order": child_order},
                        tally,
                    )

    for item in ref.ENTERPRISES:
        values = {key: value for key, value in item.items() if key not in ("name", "roles")}
        enterprise = upsert_reference_row(Enterprise, {"name": item["name"]}, values, tally)
        for chain_code, node_name, is_lead in item["roles"]:
            node = nodes[(chain_code, node_name)] if node_name else None
            upsert_reference_row(
                EnterpriseChainRole,
                {"enterprise": enterprise, "chain": chains[chain_code]},
                {"node": node, "is_lead": is_lead},
                tally,
            )
    return tally


def check_may_manage_leadership(by: AbstractBaseUser | None) -> None:
    """Refuse (PermissionDenied) appointing chain leaders or linking leaders to logins without MANAGE_LEADERSHIP.

    ``by=None`` is an internal caller (the seed, a data migration).
    """
    if by is not None and not may(by, MANAGE_LEADERSHIP):
        raise PermissionDenied(
            _(
                "Only administrators may appoint chain leaders or link a leader to a login: "
                "it gives edit rights over a whole chain."
            )
        )


@transaction.atomic
def chain_leadership_save(*, leadership: ChainLeadership, by: AbstractBaseUser | None) -> ChainLeadership:
    """Add or change a chain leader's appointment (validated, then saved); ``by`` needs MANAGE_LEADERSHIP."""
    check_may_manage_leadership(by)
    leadership.full_clean()
    leadership.save()
    return leadership


@transaction.atomic
def chain_leadership_delete(*, leadership: ChainLeadership, by: AbstractBaseUser | None) -> None:
    """Remove an appointment (a wrong one: a past one is ended with an end date); ``by`` needs MANAGE_LEADERSHIP."""
    check_may_manage_leadership(by)
    leadership.delete()


@transaction.atomic
def leader_save(*, leader: Leader, by: AbstractBaseUser | None) -> Leader:
    """Add or change a leader; linking a (different) login to them needs MANAGE_LEADERSHIP.

    The name, title and unit are the bureau's register; the login is what carries a chain leader's rights.
    """
    before = Leader.objects.filter(pk=leader.pk).values_list("user_id", flat=True).first() if leader.pk else None
    if leader.user_id is not None and leader.user_id != before:
        try:
            check_may_manage_leadership(by)
        except PermissionDenied as denied:
            raise ValidationError({"user": str(denied)}) from None
    leader.full_clean()
    leader.save()
    return leader
