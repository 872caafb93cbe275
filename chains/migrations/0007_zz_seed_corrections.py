"""Corrections of the reference facts for databases an earlier release seeded (issue 15).

The seed no longer changes existing rows, so a corrected fact reaches an existing database only
here, and only where the row still holds the value the earlier seed wrote (a bureau edit wins):

- fortune500, srdi_level and above_size of the enterprises the article names become unknown
  (None) where they still hold the earlier default (no); 津上's above_size becomes yes, derived
  from its 2022 output of 43.5亿元 (stated in its new facts_source);
- the country 日本 of 尼得科集团 and 津上 is dropped (the article does not give it);
- the notes are rewritten from the article's sentences: the drive-motor capacity (120万台) is the
  NEV chain's figure, not Nidec's; 津上 arrived in 2003 and raised capital by over 15亿元 after its
  mergers; Nidec's NEV role loses its drive-motor node and its CNC role goes (尼得科机床 is a
  project of its own, which the seed loads with 中嘉华宸能源, 荣辉灯具 and 日新制钢);
- the NEV and CNC chain descriptions gain the article's chain figures;
- the chain-map nodes the article gives ground for get their gap assessment (none is a gap);
- everything the earlier seed loaded is recorded as loaded (``SeededRow``).

Reversible: the backward step restores the earlier values where the corrected ones are untouched.
"""

from django.db import migrations
from django.utils import timezone

OLD_KEYS = [
    "cluster:it",
    "cluster:equipment",
    "cluster:materials",
    "cluster:health",
    "chain:optoelectronic",
    "chain:nev",
    "chain:cnc",
    "chain:c3",
    "chain:biomedicine",
    "chain:aerospace",
    "chain:membrane",
    "chain:electronic-chemicals",
    "node:nev:关键材料",
    "node:nev:正负极材料",
    "node:nev:电解液与隔膜",
    "node:nev:三电系统",
    "node:nev:动力电池",
    "node:nev:驱动电机",
    "node:nev:电控系统",
    "node:nev:汽车电子",
    "node:nev:功率半导体与模块",
    "node:nev:智能网联零部件",
    "node:nev:传统汽车零部件",
    "node:nev:整车制造",
    "node:nev:充换电与后市场",
    "node:optoelectronic:光电芯片",
    "node:optoelectronic:光学材料与元件",
    "node:optoelectronic:光器件与光模块",
    "node:optoelectronic:光纤光缆",
    "node:optoelectronic:通信设备",
    "node:optoelectronic:数据中心与应用",
    "node:cnc:数控系统",
    "node:cnc:功能部件",
    "node:cnc:主轴",
    "node:cnc:丝杠与导轨",
    "node:cnc:刀库与转台",
    "node:cnc:铸件与钣金",
    "node:cnc:数控机床整机",
    "node:cnc:加工中心",
    "node:cnc:数控车床",
    "node:cnc:磨床",
    "node:cnc:汽车零部件加工",
    "node:cnc:航空航天与精密制造应用",
    "node:c3:丙烷脱氢（PDH）",
    "node:c3:丙烯",
    "node:c3:聚丙烯",
    "node:c3:环氧丙烷",
    "node:c3:丙烯腈",
    "node:c3:丙烯酸及酯",
    "node:c3:改性塑料",
    "node:c3:高吸水性树脂",
    "node:c3:碳纤维及复合材料",
    "node:biomedicine:原料药与医药中间体",
    "node:biomedicine:化学药制剂",
    "node:biomedicine:生物药",
    "node:biomedicine:医疗器械",
    "node:biomedicine:医药研发外包（CRO/CDMO）",
    "node:biomedicine:医药流通",
    "enterprise:长城汽车",
    "role:长城汽车:nev",
    "enterprise:尼得科集团",
    "role:尼得科集团:nev",
    "role:尼得科集团:cnc",
    "enterprise:津上精密机床（浙江）有限公司",
    "role:津上精密机床（浙江）有限公司:cnc",
    "enterprise:德马吉森精机",
    "role:德马吉森精机:cnc",
    "enterprise:伊控动力",
    "role:伊控动力:nev",
    "enterprise:臻驱科技",
    "role:臻驱科技:nev",
    "enterprise:海优新材",
    "role:海优新材:membrane",
    "enterprise:独山能源",
    "enterprise:银座箱包",
]

OLD_NOTES = {
    "长城汽车": "新能源汽车产业链“链主”企业；2022年6月平湖首台新能源汽车下线。",
    "尼得科集团": "落地平湖24年，成立16家子公司，主要零部件近50%在平湖当地采购；新能源汽车驱动电机产能120万台，到2025年将突破300万台。尼得科机床为高档数控机床龙头项目。",
    "津上精密机床（浙江）有限公司": "国内最大的外资机床企业；经过10次增资，总投资超2亿美元，用地213亩，员工1900名；2022年产值43.5亿元，税收4.55亿元（同比增长29.9%）；机床零部件三分之二本地配套；先后兼并荣辉灯具、日新制钢等低效企业。",
    "德马吉森精机": "高档数控机床龙头项目，正陆续投产。",
    "伊控动力": "汽车电子项目，落户长三角（平湖）汽车电子产业园（2023年4月18日开园）。",
    "臻驱科技": "汽车电子项目，落户长三角（平湖）汽车电子产业园（2023年4月18日开园）。",
    "海优新材": "全球前三的光伏胶膜供应商；兼并平湖低效企业，盘活土地80亩，建设年产30GW光伏胶膜材料项目，达产后年产值将超45亿元。所属产业链为系统对应关系（原文未说明）。",
    "独山能源": "三期项目位于原中嘉华宸能源公司530亩地块（该公司2020年停工停产），总投资102亿元，达产后年营业收入将超200亿元。原文未说明所属产业链。",
    "银座箱包": "传统箱包产业；投资5亿元建设箱包产业4.0样板工厂。",
}

NEW_NOTES = {
    "长城汽车": "新能源汽车产业链“链主”企业；2022年6月平湖首台新能源汽车下线。",
    "尼得科集团": "外资企业，落地平湖24年，成立16家子公司，生产所需的主要零部件近50%在平湖当地采购；平湖新能源汽车产业链充分利用其全球领先的电机研发制造技术。",
    "津上精密机床（浙江）有限公司": "国内最大的外资机床企业；2003年落户平湖；经过10次增资，总投资超2亿美元，用地213亩，员工1900名；2022年产值43.5亿元，税收4.55亿元（同比增加29.9%）；与本地五金机械企业形成“半小时”配套圈，机床产品零部件三分之二本地配套；先后兼并荣辉灯具、日新制钢等低效企业，累计增资超15亿元，产值突破40亿元。",
    "德马吉森精机": "高档数控机床龙头项目，与尼得科机床等龙头项目陆续投产。",
    "伊控动力": "汽车电子项目，落户长三角（平湖）汽车电子产业园（2023年4月18日开园）。",
    "臻驱科技": "汽车电子项目，落户长三角（平湖）汽车电子产业园（2023年4月18日开园）。",
    "海优新材": "全球前三的光伏胶膜供应商；兼并平湖低效企业，盘活土地80亩，建设年产30GW光伏胶膜材料项目，达产后年产值将超45亿元。",
    "独山能源": "三期项目位于独山港镇原中嘉华宸能源公司530亩地块，总投资102亿元；达产后年营业收入将超200亿元；通过兼并重组中嘉华宸能源盘活低效用地。",
    "银座箱包": "传统箱包产业；投资5亿元建设新工厂，打造箱包产业4.0样板工厂。",
}

NEW_FACTS_SOURCE = {
    "长城汽车": "来源：《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。",
    "尼得科集团": "来源：《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。",
    "津上精密机床（浙江）有限公司": "来源：《兼容并蓄 "
    "积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。规上企业（above_size）：由原文“2022年实现产值43.5亿元”按规上工业企业年营业收入2000万元的标准推定，原文未直接说明。",
    "德马吉森精机": "来源：《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。",
    "伊控动力": "来源：《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。",
    "臻驱科技": "来源：《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。",
    "海优新材": "来源：《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。所属产业链（功能性膜材料）为系统对应关系：其产品为光伏胶膜，原文未说明所属产业链。",
    "独山能源": "来源：《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。原文未说明所属产业链。",
    "银座箱包": "来源：《兼容并蓄 积厚成势——平湖：打造制造业高质量发展新版图》（2023年报道）。原文未说明所属产业链（传统箱包产业）。",
}

CHAIN_DESCRIPTIONS = {
    "nev": (
        "重点发展产业链，见《平湖市“强链壮群”加快构建现代产业体系的实施方案》（2023年3月）。所属集群为系统默认对应关系（原文未说明），可由经信局调整。产业链图谱为系统预置的常见环节（非原文内容），可由经信局增删调整。",
        "重点发展产业链，见《平湖市“强链壮群”加快构建现代产业体系的实施方案》（2023年3月）。全国汽车零部件生产基地；传统汽车零部件门类齐全，新能源汽车零部件特色鲜明，智能网联汽车零部件日益集聚。新能源汽车驱动电机已形成120万台产能，到2025年将突破300万台。所属集群为系统默认对应关系（原文未说明），可由经信局调整。产业链图谱为系统预置的常见环节（非原文内容），可由经信局增删调整。",
    ),
    "cnc": (
        "重点发展产业链，见《平湖市“强链壮群”加快构建现代产业体系的实施方案》（2023年3月）。所属集群为系统默认对应关系（原文未说明），可由经信局调整。产业链图谱为系统预置的常见环节（非原文内容），可由经信局增删调整。",
        "重点发展产业链，见《平湖市“强链壮群”加快构建现代产业体系的实施方案》（2023年3月）。机床产品零部件三分之二实现本地配套。到2025年，全市机床产业产值预计将突破250亿元。所属集群为系统默认对应关系（原文未说明），可由经信局调整。产业链图谱为系统预置的常见环节（非原文内容），可由经信局增删调整。",
    ),
}

GAPS = {
    ("nev", "整车制造"): (False, "已有整车制造：长城汽车首台新能源汽车2022年6月下线。"),
    ("nev", "驱动电机"): (False, "本地驱动电机产能120万台，到2025年将突破300万台。"),
    ("nev", "传统汽车零部件"): (False, "原文称传统汽车零部件门类齐全。"),
    ("nev", "智能网联零部件"): (False, "原文称智能网联汽车零部件日益集聚。"),
    ("nev", "汽车电子"): (False, "伊控动力、臻驱科技等汽车电子项目已落户汽车电子产业园。"),
    ("cnc", "数控机床整机"): (False, "德马吉森精机、尼得科机床等龙头项目陆续投产。"),
    ("cnc", "功能部件"): (None, "原文称机床零部件三分之二实现本地配套，未说明哪些零部件；是否补链待经信局评估。"),
}


TSUGAMI = "津上精密机床（浙江）有限公司"
NIDEC = "尼得科集团"
UNKNOWN_BEFORE = {"fortune500": False, "above_size": False, "srdi_level": "none"}


def seeded_before(apps) -> bool:
    """Whether an earlier release's seed loaded this database (any of its chains or enterprises is there)."""
    Chain = apps.get_model("chains", "Chain")
    Enterprise = apps.get_model("chains", "Enterprise")
    chain_codes = [key.split(":", 1)[1] for key in OLD_KEYS if key.startswith("chain:")]
    return Chain.objects.filter(code__in=chain_codes).exists() or Enterprise.objects.filter(name__in=OLD_NOTES).exists()


def forward(apps, schema_editor):
    if not seeded_before(apps):
        return  # a new database: seed_pinghu loads the corrected facts
    Chain = apps.get_model("chains", "Chain")
    ChainNode = apps.get_model("chains", "ChainNode")
    Enterprise = apps.get_model("chains", "Enterprise")
    Role = apps.get_model("chains", "EnterpriseChainRole")
    SeededRow = apps.get_model("chains", "SeededRow")
    now = timezone.now()
    # What the earlier seed loaded counts as loaded: the seed never brings back a row the bureau changed.
    SeededRow.objects.bulk_create([SeededRow(key=key) for key in OLD_KEYS], ignore_conflicts=True)

    # Each correction only where the row still holds the value the earlier seed wrote.
    seeded = Enterprise.objects.filter(name__in=OLD_NOTES)
    Enterprise.objects.filter(name=TSUGAMI, above_size=False).update(above_size=True, updated_at=now)
    for field, old in UNKNOWN_BEFORE.items():
        seeded.filter(**{field: old}).update(**{field: None, "updated_at": now})
    seeded.filter(name__in=[NIDEC, TSUGAMI], country="日本").update(country="", updated_at=now)
    for name, old in OLD_NOTES.items():
        seeded.filter(name=name, notes=old).update(notes=NEW_NOTES[name], updated_at=now)
        seeded.filter(name=name, facts_source="").update(facts_source=NEW_FACTS_SOURCE[name], updated_at=now)
    # Nidec's motor technology serves the NEV chain (the drive-motor capacity is the chain's, not
    # Nidec's); 尼得科机床 is a machine-tool project of its own, loaded by the seed.
    Role.objects.filter(enterprise__name=NIDEC, chain__code="nev", node__name="驱动电机").update(
        node=None, updated_at=now
    )
    Role.objects.filter(
        enterprise__name=NIDEC, chain__code="cnc", node__name="数控机床整机", is_lead=False, since=None
    ).delete()
    for code, (old, new) in CHAIN_DESCRIPTIONS.items():
        Chain.objects.filter(code=code, description=old).update(description=new, updated_at=now)
    for (code, name), (gap, basis) in GAPS.items():
        ChainNode.objects.filter(chain__code=code, name=name, gap=None, gap_basis="").update(
            gap=gap, gap_basis=basis, updated_at=now
        )


def backward(apps, schema_editor):
    Chain = apps.get_model("chains", "Chain")
    ChainNode = apps.get_model("chains", "ChainNode")
    Enterprise = apps.get_model("chains", "Enterprise")
    Role = apps.get_model("chains", "EnterpriseChainRole")
    now = timezone.now()
    for code, (old, new) in CHAIN_DESCRIPTIONS.items():
        Chain.objects.filter(code=code, description=new).update(description=old, updated_at=now)
    nidec = Enterprise.objects.filter(name=NIDEC).first()
    if nidec is not None:
        motors = ChainNode.objects.filter(chain__code="nev", name="驱动电机").first()
        Role.objects.filter(enterprise=nidec, chain__code="nev", node=None).update(node=motors, updated_at=now)
        machines = ChainNode.objects.filter(chain__code="cnc", name="数控机床整机").first()
        cnc = Chain.objects.filter(code="cnc").first()
        if cnc is not None and not Role.objects.filter(enterprise=nidec, chain=cnc).exists():
            Role.objects.create(enterprise=nidec, chain=cnc, node=machines, is_lead=False)
    for name, old in OLD_NOTES.items():
        # The facts source this migration wrote marks a row it corrected (the column goes back with it).
        corrected = Enterprise.objects.filter(name=name, facts_source=NEW_FACTS_SOURCE[name])
        if name in (NIDEC, TSUGAMI):
            corrected.filter(country="").update(country="日本", updated_at=now)
        if name == TSUGAMI:
            corrected.filter(above_size=True).update(above_size=False, updated_at=now)
        Enterprise.objects.filter(name=name, notes=NEW_NOTES[name]).update(notes=old, updated_at=now)
    # The earlier schema has no "unknown": it stored no.
    for field, old in UNKNOWN_BEFORE.items():
        Enterprise.objects.filter(**{f"{field}__isnull": True}).update(**{field: old})


class Migration(migrations.Migration):
    dependencies = [("chains", "0007_unknown_facts_and_gaps")]

    operations = [migrations.RunPython(forward, backward)]
