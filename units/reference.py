"""Pinghu's units as the bureau names them: the towns and streets, the development zone, the main departments.

The mapping migrations of the apps that named units as free text find a text's unit here when no unit
record matches it yet (``units.matching``); only the units a text names are created, never the whole list.
The seed (``seed_pinghu``) loads them all.
"""

from .choices import UnitKind

# The towns and streets (chains.choices.Town, whose values are these names) and the development zone.
TOWNS = ["当湖街道", "钟埭街道", "曹桥街道", "新埭镇", "新仓镇", "广陈镇", "林埭镇", "独山港镇", "乍浦镇"]
ZONES = ["平湖经济技术开发区"]
DEPARTMENTS = [
    "平湖市商务局",
    "平湖市经济和信息化局",
    "平湖市发展和改革局",
    "平湖市自然资源和规划局",
    "平湖市市场监督管理局",
    "平湖市投资促进中心",
    "平湖市财政局",
    "平湖市科学技术局",
    "平湖市人力资源和社会保障局",
    "平湖市住房和城乡建设局",
    "平湖市生态环境局",
    "平湖市税务局",
]
# Short names in common use → the full name (compared after normalising and dropping a leading 平湖市).
ALIASES = {
    "经信局": "平湖市经济和信息化局",
    "发改局": "平湖市发展和改革局",
    "自然资源局": "平湖市自然资源和规划局",
    "资规局": "平湖市自然资源和规划局",
    "市场监管局": "平湖市市场监督管理局",
    "投促中心": "平湖市投资促进中心",
    "科技局": "平湖市科学技术局",
    "人社局": "平湖市人力资源和社会保障局",
    "住建局": "平湖市住房和城乡建设局",
    "经开区": "平湖经济技术开发区",
    "开发区": "平湖经济技术开发区",
    "平湖经开区": "平湖经济技术开发区",
}

REFERENCE_UNITS: list[tuple[str, str]] = [
    *((name, UnitKind.TOWN.value) for name in TOWNS),
    *((name, UnitKind.ZONE.value) for name in ZONES),
    *((name, UnitKind.DEPARTMENT.value) for name in DEPARTMENTS),
]
