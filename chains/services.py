"""Writes of the chains app that span several models."""

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from pinghu.history import attributed_to, record_history

from . import reference_data as ref
from .models import Chain, ChainNode, Cluster, Enterprise, EnterpriseChainRole


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
                    % {"fields": "、".join(str(model._meta.get_field(name).verbose_name) for name in others)},
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
                % {"problems": "；".join(problems)}
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
