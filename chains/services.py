"""Writes of the chains app that span several models; appointments of chain leaders and logins of leaders."""

from collections import Counter
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from pinghu.history import attributed_to, record_history
from pinghu.permissions import may
from pinghu.text import join_clauses, join_list

from . import reference_data as ref
from . import reference_enterprises as ent
from .models import Chain, ChainLeadership, ChainNode, Cluster, Enterprise, EnterpriseChainRole, Leader, SeededRow

# A current appointment as 链长/副链长 gives the leader's login edit rights over every project of the
# chain (projects.rules), and so does linking a login to a leader who holds one: both need this
# permission (admins), never only the right to keep the reference registers (bureau staff).
MANAGE_LEADERSHIP = "chains.manage_leadership"


def reference_row_ensure(
    *, model: type[models.Model], key: str, lookup: dict[str, Any], values: dict[str, Any], tally: Counter
) -> Any:
    """Create the reference row ``key`` unless the seed has loaded it before; never change an existing row.

    A key the seed recorded (``SeededRow``) is never loaded again, so a row the bureau edited,
    renamed or deleted stays as the bureau left it; a row matching ``lookup`` that is already
    there (typed in by hand) is kept as it is and recorded. Validation runs (``full_clean``)
    before a row is created. Returns the row matching ``lookup``, or None if there is none.
    """
    label = model._meta.verbose_name
    instance = model.objects.filter(**lookup).first()
    if SeededRow.objects.filter(key=key).exists() or instance is not None:
        SeededRow.objects.get_or_create(key=key)
        tally[("kept", label)] += 1
        return instance
    instance = model(**lookup, **values)
    instance.full_clean()
    instance.save()
    SeededRow.objects.create(key=key)
    tally[("created", label)] += 1
    return instance


@transaction.atomic
def reference_data_seed() -> Counter:
    """Load the clusters, chains, starter chain maps and named enterprises of Pinghu that are missing.

    Creates only what the seed never loaded (``reference_row_ensure``) and changes no existing row:
    a changed fact reaches an existing database through a data migration. Returns a tally keyed
    by (``"created"`` | ``"kept"``, model verbose name).
    """
    tally: Counter = Counter()
    clusters = {}
    for item in ref.CLUSTERS:
        values = {key: value for key, value in item.items() if key != "code"}
        clusters[item["code"]] = reference_row_ensure(
            model=Cluster, key=f"cluster:{item['code']}", lookup={"code": item["code"]}, values=values, tally=tally
        )

    chains = {}
    for code, name, name_en, kind, cluster_code, sort_order in ref.CHAINS:
        if clusters[cluster_code] is None:  # the bureau removed the cluster: the chain is its business
            chains[code] = Chain.objects.filter(code=code).first()
            continue
        values = {
            "name": name,
            "name_en": name_en,
            "kind": kind,
            "cluster": clusters[cluster_code],
            "sort_order": sort_order,
            "description": ref.chain_description(code, kind),
        }
        chains[code] = reference_row_ensure(
            model=Chain, key=f"chain:{code}", lookup={"code": code}, values=values, tally=tally
        )

    nodes = _seed_chain_maps(chains, tally)

    for item in ent.ENTERPRISES:
        values = {**item["values"], "notes": ent.notes(item), "facts_source": ent.facts_source(item)}
        enterprise = reference_row_ensure(
            model=Enterprise,
            key=f"enterprise:{item['name']}",
            lookup={"name": item["name"]},
            values=values,
            tally=tally,
        )
        for chain_code, node_name, is_lead, _basis in item["roles"]:
            chain = chains[chain_code]
            if enterprise is None or chain is None:
                continue
            reference_row_ensure(
                model=EnterpriseChainRole,
                key=f"role:{item['name']}:{chain_code}",
                lookup={"enterprise": enterprise, "chain": chain},
                values={"node": nodes.get((chain_code, node_name)) if node_name else None, "is_lead": is_lead},
                tally=tally,
            )
    return tally


def _seed_chain_maps(chains: dict[str, Chain | None], tally: Counter) -> dict[tuple[str, str], ChainNode]:
    """The starter chain maps (design), each node with the gap assessment the article gives ground for."""
    nodes: dict[tuple[str, str], ChainNode] = {}

    def ensure(chain_code: str, name: str, values: dict) -> ChainNode | None:
        gap, basis = ref.GAP_ASSESSMENTS.get((chain_code, name), (None, None))
        node = reference_row_ensure(
            model=ChainNode,
            key=f"node:{chain_code}:{name}",
            lookup={"chain": chains[chain_code], "name": name},
            values={**values, "gap": gap, "gap_basis": basis.text if basis else ""},
            tally=tally,
        )
        if node is not None:
            nodes[(chain_code, name)] = node
        return node

    for chain_code, segments in ref.CHAIN_MAPS.items():
        if chains[chain_code] is None:
            continue
        order = 0
        for segment, entries in segments.items():
            for name, children in entries:
                order += 1
                parent = ensure(chain_code, name, {"segment": segment, "parent": None, "sort_order": order})
                for child_order, child in enumerate(children, start=1):
                    ensure(chain_code, child, {"segment": segment, "parent": parent, "sort_order": child_order})
    return nodes


def _unique_conflicts(model, field, keep: Enterprise, duplicate: Enterprise) -> list[str]:
    """The unique rules of ``model`` that moving ``duplicate``'s rows to ``keep`` would break, as messages."""
    rows = model._default_manager.all()
    problems = []
    constraints = [
        constraint
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and field.name in constraint.fields
    ]
    if field.unique:
        constraints.append(models.UniqueConstraint(fields=[field.name], name=f"{field.name}_unique"))
    for constraint in constraints:
        others = [name for name in constraint.fields if name != field.name]
        condition = constraint.condition or models.Q()
        mine = rows.filter(condition, **{field.name: duplicate})
        theirs = rows.filter(condition, **{field.name: keep})
        if others:
            attnames = [model._meta.get_field(name).attname for name in others]
            kept = {values for values in theirs.values_list(*attnames) if None not in values}
            clash = any(values in kept for values in mine.values_list(*attnames))
        else:
            clash = mine.exists() and theirs.exists()
        if clash:
            problems.append(
                gettext("%(model)s: %(rule)s")
                % {
                    "model": model._meta.verbose_name,
                    "rule": constraint.violation_error_message
                    if constraint.violation_error_message != constraint.default_violation_error_message
                    else gettext("both firms have a row for the same %(fields)s")
                    % {"fields": join_list(model._meta.get_field(name).verbose_name for name in others)},
                }
            )
    return problems


@transaction.atomic
def enterprise_merge(*, keep: Enterprise, duplicate: Enterprise, by=None) -> dict[str, int]:
    """Merge ``duplicate`` into ``keep``: every row that points to it points to ``keep``, then it is deleted.

    Every relation to ``Enterprise`` is found through ``Enterprise._meta.related_objects`` (projects,
    visits, problems, cadres, land renewals, chain roles, per-mu figures, salons…), so this app names
    none of the apps above it. One transaction; each moved row gets a history row naming ``by`` and
    the merge; ``keep`` takes the fields it lacks from ``duplicate``. A move that would break a
    unique rule (two per-mu rows for one year, say) refuses the whole merge, naming the rule.
    Returns the number of rows moved per model (verbose name).
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(gettext("Choose two different enterprises to merge."), code="same_enterprise")
    locked = Enterprise.objects.select_for_update().in_bulk([keep.pk, duplicate.pk])
    if len(locked) != 2:
        raise ValidationError(gettext("One of these enterprises no longer exists."), code="gone")
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    reason = gettext("Merged %(duplicate)s (#%(id)s) into %(keep)s") % {
        "duplicate": duplicate.name,
        "id": duplicate.pk,
        "keep": keep.name,
    }
    relations = Enterprise._meta.related_objects
    problems = [
        problem
        for relation in relations
        if not relation.many_to_many
        for problem in _unique_conflicts(relation.related_model, relation.field, keep, duplicate)
    ]
    if problems:
        raise ValidationError(
            [
                gettext("These enterprises cannot be merged as they are: %(problems)s")
                % {"problems": join_clauses(problems)}
            ],
            code="merge_conflict",
        )
    now = timezone.now()
    moved: dict[str, int] = {}
    for relation in relations:
        if relation.many_to_many:
            owner, through = relation.related_model, relation.through
            owner_field = relation.field.m2m_field_name()
            firm_field = relation.field.m2m_reverse_field_name()
            links = through.objects.filter(**{firm_field: duplicate})
            owners = list(links.values_list(f"{owner_field}_id", flat=True))
            if not owners:
                continue
            already = through.objects.filter(**{firm_field: keep}).values(f"{owner_field}_id")
            links.filter(**{f"{owner_field}_id__in": already}).delete()
            links.update(**{f"{firm_field}_id": keep.pk})
            rows, model = owner._default_manager.filter(pk__in=owners), owner
        else:
            model, field = relation.related_model, relation.field
            ids = list(model._default_manager.filter(**{field.name: duplicate}).values_list("pk", flat=True))
            if not ids:
                continue
            changes = {field.attname: keep.pk}
            if any(each.name == "updated_at" for each in model._meta.concrete_fields):
                changes["updated_at"] = now
            rows = model._default_manager.filter(pk__in=ids)
            rows.update(**changes)
        if hasattr(model, "history"):
            record_history(rows, history_type="~", reason=reason, user=by)
        label = str(model._meta.verbose_name_plural)
        moved[label] = moved.get(label, 0) + rows.count()
    missing = [
        name
        for name in MERGE_FILLED_FIELDS
        if not getattr(keep, name) and getattr(duplicate, name) and (name != "town" or keep.in_pinghu)
    ]
    filled = {name: getattr(duplicate, name) for name in missing}
    with attributed_to(by, reason):
        duplicate.delete()
        if filled:
            for name, value in filled.items():
                setattr(keep, name, value)
            keep.full_clean()
            keep.save(update_fields=[*filled, "updated_at"])
    return moved


# What the kept firm takes from the merged one when it has nothing of its own.
MERGE_FILLED_FIELDS = ["short_name", "credit_code", "ownership", "country", "town", "address", "website", "notes"]


def check_may_manage_leadership(by: AbstractBaseUser | None) -> None:
    """Refuse (PermissionDenied) appointing chain leaders or linking leaders to logins without MANAGE_LEADERSHIP.

    ``by=None`` is an internal caller (the seed, a data migration).
    """
    if by is not None and not may(by, MANAGE_LEADERSHIP):
        raise PermissionDenied(
            gettext(
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
