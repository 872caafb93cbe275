"""A chain's map (产业链图谱): its segments, the local firms in each, 链主 and 补链 marked, for the chain page's text
list and its ECharts tree. Two queries, whatever the chain's size.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from chains.choices import Segment
from chains.models import Chain, ChainNode, EnterpriseChainRole
from pinghu.links import page_url

ENTERPRISE = "chains.Enterprise"


def chain_map(chain: Chain) -> list[dict]:
    """The chain's node tree, each node with its local firms and the bureau's gap assessment. Two queries.

    Whether a segment is a gap (补链) is the bureau's assessment (``ChainNode.gap``: yes, no, or not
    yet assessed), never derived from the firms on record: a segment can be well supplied by firms
    the register does not hold yet. Each firm is ``{"role", "url"}``: the url is the firm's page, if
    an app shows one (``pinghu.links``).
    """
    firms: dict[int, list[dict]] = defaultdict(list)
    roles = (
        EnterpriseChainRole.objects.filter(chain=chain, node__isnull=False, enterprise__in_pinghu=True)
        .select_related("enterprise")
        .order_by("-is_lead", "enterprise__name", "pk")
    )
    for role in roles:
        firms[role.node_id].append({"role": role, "url": page_url(ENTERPRISE, role.enterprise_id)})
    nodes = list(ChainNode.objects.filter(chain=chain).order_by("sort_order", "name"))
    children: dict[int | None, list[ChainNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)

    def build(parent_id, depth):
        return [
            {
                "node": node,
                "depth": depth,
                "firms": firms.get(node.pk, []),
                "gap": node.gap,
                "children": build(node.pk, depth + 1),
            }
            for node in children.get(parent_id, [])
        ]

    return build(None, 0)


def chain_map_chart(chain: Chain, tree: list[dict]) -> dict:
    """The ECharts tree of ``chain_map(chain)`` (no query): the chain, its three segments, their nodes, the firms.

    A node marked as a gap says 补链 in its name and is drawn red; a lead firm (链主) says so and is drawn
    bold; each firm carries its page's ``url``. ``leaves`` sizes the chart's height.
    """

    def node_item(item: dict) -> dict:
        name = item["node"].name
        if item["gap"]:
            name = _("%(node)s [gap to recruit for (补链)]") % {"node": name}
        firms = [firm_item(firm) for firm in item["firms"]]
        return {
            "name": name,
            "gap": bool(item["gap"]),
            "children": [node_item(child) for child in item["children"]] + firms,
        }

    def firm_item(firm: dict) -> dict:
        role = firm["role"]
        name = role.enterprise.name
        if role.is_lead:
            name = _("%(firm)s (lead enterprise 链主)") % {"firm": name}
        return {"name": name, "url": firm["url"], "lead": role.is_lead, "firm": True}

    segments = []
    for segment in Segment:
        items = [node_item(item) for item in tree if item["node"].segment == segment]
        if items:
            segments.append({"name": str(segment.label), "segment": True, "children": items})

    def leaves(item: dict) -> int:
        return sum(leaves(child) for child in item["children"]) if item.get("children") else 1

    root = {"name": chain.name, "children": segments}
    return {
        "tree": root,
        "leaves": leaves(root),
        "labels": {"lead": _("lead enterprise (链主)"), "gap": _("gap to recruit for (补链)")},
    }
