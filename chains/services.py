"""Writes of the chains app that span several models."""

from collections import Counter
from typing import Any

from django.db import models, transaction

from . import reference_data as ref
from . import reference_enterprises as ent
from .models import Chain, ChainNode, Cluster, Enterprise, EnterpriseChainRole, SeededRow


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
