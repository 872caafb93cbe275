"""Reference data loaded by ``manage.py seed_pinghu``: the structure (clusters, chains, chain maps).

Facts come from the 2023 newspaper feature (``docs/sources/pinghu-article.txt``, summarised in
DOMAIN.md); each one is a ``Fact`` carrying the sentence of the article it rests on, and
``tests/chains/test_seed_facts.py`` checks every quote against the article. What is not in the
article is product design, and every such text says so with one of ``NOT_FROM_SOURCE_MARKS``: the
cluster of each chain, the starter chain maps, the assessment of gaps (补链) the article gives no
ground for. The enterprises are in ``reference_enterprises``. The seed only creates what is
missing; a corrected fact reaches an existing database through a data migration.
"""

from dataclasses import dataclass

SOURCE = "《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）"
POLICY_DOCUMENT = "《平湖市“强链壮群”加快构建现代产业体系的实施方案》（2023年3月）"
DESIGN_MAPPING_NOTE = "所属集群为系统默认对应关系（原文未说明），可由经信局调整。"
STARTER_MAP_NOTE = "产业链图谱为系统预置的常见环节（非原文内容），可由经信局增删调整。"
TO_BE_ASSESSED = "待经信局评估"

# Every seeded text that is not the article's says so with one of these.
NOT_FROM_SOURCE_MARKS = ("原文未说明", "非原文内容", "原文未直接说明", "外部资料", TO_BE_ASSESSED)


@dataclass(frozen=True)
class Fact:
    """A statement the seed writes, with the sentence of the article it rests on."""

    text: str
    quote: str


Q_CLUSTERS_AND_CHAINS = (
    "到2025年，打造形成新一代信息技术、高端装备、新材料、生命健康共4个具有平湖辨识度的全国性现代产业集群，"
    "构建起光电通信、新能源汽车、高档数控机床、C3及关联产品、生物医药5条涵盖核心环节、拥有核心企业、"
    "具备核心技术的重点发展产业链，加速培育航空航天、功能性膜材料、电子化学品3条孵化型产业链"
)
Q_POLICY = "3月，《平湖市“强链壮群”加快构建现代产业体系的实施方案》提出了以壮大先进制造业集群、升级关键优势产业链为抓手"
Q_NEV_PARTS = "逐步形成了传统汽车零部件门类齐全、新能源汽车零部件特色鲜明、智能网联汽车零部件日益集聚的产业格局"
Q_NEV_FIRST_CAR = "2022年6月，长城汽车首台新能源汽车下线，实现“从零到整”的飞跃。"
Q_DRIVE_MOTORS = "新能源汽车驱动电机已形成120万台产能，到2025年将突破300万台"
Q_AUTO_ELECTRONICS = "伊控动力、臻驱科技等一批汽车电子项目相继落户"
Q_CNC_LOCAL_PARTS = "已形成“半小时”配套圈，机床产品零部件三分之二实现本地配套"
Q_CNC_LEAD_PROJECTS = "随着德马吉森精机、尼得科机床等龙头项目的陆续投产"
Q_CNC_OUTPUT = "到2025年，全市机床产业产值预计将突破250亿元"
Q_TSUGAMI_SCALE = (
    "津上精密机床（浙江）有限公司经过10次增资，形成总投资超2亿美元、用地213亩、员工1900名的经营规模，"
    "是国内最大的外资机床企业。"
)

CLUSTERS = [
    {"code": "it", "name": "新一代信息技术", "name_en": "New-generation information technology", "sort_order": 1},
    {"code": "equipment", "name": "高端装备", "name_en": "High-end equipment", "sort_order": 2},
    {"code": "materials", "name": "新材料", "name_en": "New materials", "sort_order": 3},
    {"code": "health", "name": "生命健康", "name_en": "Life and health", "sort_order": 4},
]

CHAINS = [
    # code, name, English name, kind, cluster code (design mapping), sort order
    ("optoelectronic", "光电通信", "Optoelectronic communication", "key", "it", 1),
    ("nev", "新能源汽车", "New-energy vehicles", "key", "equipment", 2),
    ("cnc", "高档数控机床", "High-end CNC machine tools", "key", "equipment", 3),
    ("c3", "C3及关联产品", "C3 (propane/propylene) and related products", "key", "materials", 4),
    ("biomedicine", "生物医药", "Biomedicine", "key", "health", 5),
    ("aerospace", "航空航天", "Aerospace", "incubating", "equipment", 6),
    ("membrane", "功能性膜材料", "Functional membrane and film materials", "incubating", "materials", 7),
    ("electronic-chemicals", "电子化学品", "Electronic chemicals", "incubating", "materials", 8),
]

# What the article says of a chain as a whole (not of one firm), written into its description.
CHAIN_FACTS = {
    "nev": [
        Fact("全国汽车零部件生产基地；", "作为全国汽车零部件生产基地"),
        Fact("传统汽车零部件门类齐全，新能源汽车零部件特色鲜明，智能网联汽车零部件日益集聚。", Q_NEV_PARTS),
        Fact("新能源汽车驱动电机已形成120万台产能，到2025年将突破300万台。", Q_DRIVE_MOTORS),
    ],
    "cnc": [
        Fact("机床产品零部件三分之二实现本地配套。", Q_CNC_LOCAL_PARTS),
        Fact("到2025年，全市机床产业产值预计将突破250亿元。", Q_CNC_OUTPUT),
    ],
}


def chain_description(code: str, kind: str) -> str:
    """The description the seed gives a chain: its kind and policy, the article's facts, the design notes."""
    kind_label = "重点发展产业链" if kind == "key" else "孵化型产业链"
    facts = "".join(fact.text for fact in CHAIN_FACTS.get(code, []))
    starter = STARTER_MAP_NOTE if code in CHAIN_MAPS else ""
    return f"{kind_label}，见{POLICY_DOCUMENT}。{facts}{DESIGN_MAPPING_NOTE}{starter}"


# Starter chain maps for the five key chains (design): segment -> [(node, [child nodes])].
CHAIN_MAPS = {
    "nev": {
        "upstream": [("关键材料", ["正负极材料", "电解液与隔膜"])],
        "midstream": [
            ("三电系统", ["动力电池", "驱动电机", "电控系统"]),
            ("汽车电子", ["功率半导体与模块", "智能网联零部件"]),
            ("传统汽车零部件", []),
        ],
        "downstream": [("整车制造", []), ("充换电与后市场", [])],
    },
    "optoelectronic": {
        "upstream": [("光电芯片", []), ("光学材料与元件", [])],
        "midstream": [("光器件与光模块", []), ("光纤光缆", [])],
        "downstream": [("通信设备", []), ("数据中心与应用", [])],
    },
    "cnc": {
        "upstream": [("数控系统", []), ("功能部件", ["主轴", "丝杠与导轨", "刀库与转台"]), ("铸件与钣金", [])],
        "midstream": [("数控机床整机", ["加工中心", "数控车床", "磨床"])],
        "downstream": [("汽车零部件加工", []), ("航空航天与精密制造应用", [])],
    },
    "c3": {
        "upstream": [("丙烷脱氢（PDH）", []), ("丙烯", [])],
        "midstream": [("聚丙烯", []), ("环氧丙烷", []), ("丙烯腈", []), ("丙烯酸及酯", [])],
        "downstream": [("改性塑料", []), ("高吸水性树脂", []), ("碳纤维及复合材料", [])],
    },
    "biomedicine": {
        "upstream": [("原料药与医药中间体", [])],
        "midstream": [("化学药制剂", []), ("生物药", []), ("医疗器械", [])],
        "downstream": [("医药研发外包（CRO/CDMO）", []), ("医药流通", [])],
    },
}

# Gap (补链) assessments the article gives ground for: (chain code, node) -> (gap, basis). The article
# names no segment as missing, so none is a gap; every other node is left for the bureau (None).
GAP_ASSESSMENTS = {
    ("nev", "整车制造"): (False, Fact("已有整车制造：长城汽车首台新能源汽车2022年6月下线。", Q_NEV_FIRST_CAR)),
    ("nev", "驱动电机"): (False, Fact("本地驱动电机产能120万台，到2025年将突破300万台。", Q_DRIVE_MOTORS)),
    ("nev", "传统汽车零部件"): (False, Fact("原文称传统汽车零部件门类齐全。", Q_NEV_PARTS)),
    ("nev", "智能网联零部件"): (False, Fact("原文称智能网联汽车零部件日益集聚。", Q_NEV_PARTS)),
    ("nev", "汽车电子"): (False, Fact("伊控动力、臻驱科技等汽车电子项目已落户汽车电子产业园。", Q_AUTO_ELECTRONICS)),
    ("cnc", "数控机床整机"): (
        False,
        Fact("德马吉森精机、尼得科机床等龙头项目陆续投产。", Q_CNC_LEAD_PROJECTS),
    ),
    ("cnc", "功能部件"): (
        None,
        Fact(
            f"原文称机床零部件三分之二实现本地配套，未说明哪些零部件；是否补链{TO_BE_ASSESSED}。",
            Q_CNC_LOCAL_PARTS,
        ),
    ),
}
