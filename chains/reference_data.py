"""Reference data loaded by ``manage.py seed_pinghu``.

Facts come from the 2023 newspaper feature summarised in DOMAIN.md (四群八链, the chains'
kinds, the enterprises it names and what it says of them). Two things are product design,
not fact, and are marked so in the data: the cluster of each chain (the article does not
say) and the starter chain maps (common segments of each industry, to be edited by the
bureau). Nothing else is invented: no credit codes, towns or ownerships the source does
not give.
"""

POLICY_DOCUMENT = "《平湖市“强链壮群”加快构建现代产业体系的实施方案》（2023年3月）"
DESIGN_MAPPING_NOTE = "所属集群为系统默认对应关系（原文未说明），可由经信局调整。"
STARTER_MAP_NOTE = "产业链图谱为系统预置的常见环节（非原文内容），可由经信局增删调整。"

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

# Enterprises the article names. Keys are Enterprise fields; "roles" lists
# (chain code, node name or None, is_lead). Only what DOMAIN.md states is filled in.
ENTERPRISES = [
    {
        "name": "长城汽车",
        "in_pinghu": True,
        "notes": "新能源汽车产业链“链主”企业；2022年6月平湖首台新能源汽车下线。",
        "roles": [("nev", "整车制造", True)],
    },
    {
        "name": "尼得科集团",
        "short_name": "尼得科",
        "ownership": "foreign",
        "country": "日本",
        "in_pinghu": True,
        "notes": (
            "落地平湖24年，成立16家子公司，主要零部件近50%在平湖当地采购；"
            "新能源汽车驱动电机产能120万台，到2025年将突破300万台。尼得科机床为高档数控机床龙头项目。"
        ),
        "roles": [("nev", "驱动电机", False), ("cnc", "数控机床整机", False)],
    },
    {
        "name": "津上精密机床（浙江）有限公司",
        "short_name": "津上精密",
        "ownership": "foreign",
        "country": "日本",
        "in_pinghu": True,
        "notes": (
            "国内最大的外资机床企业；经过10次增资，总投资超2亿美元，用地213亩，员工1900名；"
            "2022年产值43.5亿元，税收4.55亿元（同比增长29.9%）；机床零部件三分之二本地配套；"
            "先后兼并荣辉灯具、日新制钢等低效企业。"
        ),
        "roles": [("cnc", "数控机床整机", False)],
    },
    {
        "name": "德马吉森精机",
        "in_pinghu": True,
        "notes": "高档数控机床龙头项目，正陆续投产。",
        "roles": [("cnc", "数控机床整机", False)],
    },
    {
        "name": "伊控动力",
        "in_pinghu": True,
        "notes": "汽车电子项目，落户长三角（平湖）汽车电子产业园（2023年4月18日开园）。",
        "roles": [("nev", "汽车电子", False)],
    },
    {
        "name": "臻驱科技",
        "in_pinghu": True,
        "notes": "汽车电子项目，落户长三角（平湖）汽车电子产业园（2023年4月18日开园）。",
        "roles": [("nev", "汽车电子", False)],
    },
    {
        "name": "海优新材",
        "in_pinghu": True,
        "notes": (
            "全球前三的光伏胶膜供应商；兼并平湖低效企业，盘活土地80亩，建设年产30GW光伏胶膜材料项目，"
            "达产后年产值将超45亿元。所属产业链为系统对应关系（原文未说明）。"
        ),
        "roles": [("membrane", None, False)],
    },
    {
        "name": "独山能源",
        "in_pinghu": True,
        "town": "独山港镇",
        "notes": (
            "三期项目位于原中嘉华宸能源公司530亩地块（该公司2020年停工停产），总投资102亿元，"
            "达产后年营业收入将超200亿元。原文未说明所属产业链。"
        ),
        "roles": [],
    },
    {
        "name": "银座箱包",
        "in_pinghu": True,
        "notes": "传统箱包产业；投资5亿元建设箱包产业4.0样板工厂。",
        "roles": [],
    },
]
