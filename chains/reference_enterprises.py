"""The enterprises the article names, loaded by ``manage.py seed_pinghu`` with what it says of them.

Each entry: ``values`` (Enterprise fields) with ``sources`` (the quote each value rests on),
``facts`` (the notes, each a ``Fact`` with its quote), ``derived`` (values worked out by a stated
rule, marked so, written to ``facts_source``) and ``roles`` (chain code, node name or None,
is_lead, and the ``Fact`` or marked design note the role rests on). What the article does not
say stays unknown: no credit code, country, Fortune 500, SRDI or size flag unless stated or
derived. ``tests/chains/test_seed_facts.py`` checks every quote against the article.
"""

from .reference_data import Q_AUTO_ELECTRONICS, Q_CNC_LEAD_PROJECTS, Q_NEV_FIRST_CAR, Q_TSUGAMI_SCALE, SOURCE, Fact

Q_GREAT_WALL_LEAD = "在长城汽车等“链主”企业的带动下"
Q_NIDEC_MOTORS = "充分利用尼得科集团全球领先的电机研发制造技术"
Q_NIDEC_LOCAL = "尼得科集团，落地平湖24年，成立16家子公司，该公司生产所需的主要零部件近50%在平湖实现当地采购"
Q_FOREIGN_FIRMS = "通过几十年的深耕，这些外资企业已同本地上下游企业形成了很好的联动效应。"
Q_TSUGAMI_OUTPUT = "2022年实现产值43.5亿元，实现税收4.55亿元，同比增加29.9%。"
Q_TSUGAMI_LOCAL = "津上精密2003年落户至今，与本地五金机械企业珠联璧合，已形成“半小时”配套圈"
Q_TSUGAMI_MERGERS = "津上精密先后兼并荣辉灯具、日新制钢等低效企业，累计增资超15亿元，产值突破40亿元"
Q_AUTO_PARK = "4月18日，长三角（平湖）汽车电子产业园开园"
Q_HIUV = (
    "全球前三的光伏胶膜供应商海优新材直接兼并平湖低效企业，盘活土地80亩，建设年产30GW光伏胶膜材料项目，"
    "达产后年产值将超45亿元"
)
Q_DUSHAN_SITE = "在独山港镇原中嘉华宸能源公司530亩的地块上，总投资102亿元的独山能源三期项目正如火如荼加紧建设"
Q_DUSHAN_REVENUE = "项目达产后年营业收入将超200亿元"
Q_ZHONGJIA_STOPPED = "而土地的原业主中嘉华宸能源公司因经营不善，已于2020年停工停产。"
Q_DUSHAN_MERGER = "通过独山能源兼并重组，盘活低效用地"
Q_YINZUO = "银座箱包正投资5亿元建设新工厂，打造箱包产业4.0样板工厂"

ABOVE_SIZE_DERIVED = (
    "规上企业（above_size）：由原文“2022年实现产值43.5亿元”按规上工业企业年营业收入2000万元的标准推定，原文未直接说明。"
)
IN_PINGHU_DERIVED = "位于平湖：由原文“腾笼换鸟”一节（盘活平湖低效用地）推定，原文未直接说明。"
MEMBRANE_DESIGN = "所属产业链（功能性膜材料）为系统对应关系：其产品为光伏胶膜，原文未说明所属产业链。"


def facts_source(entry: dict) -> str:
    """The enterprise's ``facts_source``: the article, and what was derived from it rather than stated."""
    return f"来源：{SOURCE}。" + "".join(entry.get("derived", []))


def notes(entry: dict) -> str:
    return "".join(fact.text for fact in entry["facts"])


ENTERPRISES = [
    {
        "name": "长城汽车",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_NEV_FIRST_CAR},
        "facts": [
            Fact("新能源汽车产业链“链主”企业；", Q_GREAT_WALL_LEAD),
            Fact("2022年6月平湖首台新能源汽车下线。", Q_NEV_FIRST_CAR),
        ],
        "roles": [("nev", "整车制造", True, Fact("链主，整车制造", Q_GREAT_WALL_LEAD))],
    },
    {
        "name": "尼得科集团",
        "values": {"short_name": "尼得科", "ownership": "foreign", "in_pinghu": True},
        "sources": {"short_name": Q_NIDEC_LOCAL, "ownership": Q_FOREIGN_FIRMS, "in_pinghu": Q_NIDEC_LOCAL},
        "facts": [
            Fact("外资企业，落地平湖24年，成立16家子公司，生产所需的主要零部件近50%在平湖当地采购；", Q_NIDEC_LOCAL),
            Fact("平湖新能源汽车产业链充分利用其全球领先的电机研发制造技术。", Q_NIDEC_MOTORS),
        ],
        "roles": [("nev", None, False, Fact("新能源汽车产业链所利用的电机技术", Q_NIDEC_MOTORS))],
    },
    {
        "name": "尼得科机床",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_CNC_LEAD_PROJECTS},
        "facts": [Fact("高档数控机床龙头项目，与德马吉森精机等龙头项目陆续投产。", Q_CNC_LEAD_PROJECTS)],
        "roles": [("cnc", "数控机床整机", False, Fact("机床龙头项目", Q_CNC_LEAD_PROJECTS))],
    },
    {
        "name": "津上精密机床（浙江）有限公司",
        "values": {"short_name": "津上精密", "ownership": "foreign", "above_size": True, "in_pinghu": True},
        "sources": {
            "short_name": Q_TSUGAMI_LOCAL,
            "ownership": Q_TSUGAMI_SCALE,
            "above_size": Q_TSUGAMI_OUTPUT,
            "in_pinghu": Q_TSUGAMI_LOCAL,
        },
        "facts": [
            Fact("国内最大的外资机床企业；", Q_TSUGAMI_SCALE),
            Fact("2003年落户平湖；", Q_TSUGAMI_LOCAL),
            Fact("经过10次增资，总投资超2亿美元，用地213亩，员工1900名；", Q_TSUGAMI_SCALE),
            Fact("2022年产值43.5亿元，税收4.55亿元（同比增加29.9%）；", Q_TSUGAMI_OUTPUT),
            Fact("与本地五金机械企业形成“半小时”配套圈，机床产品零部件三分之二本地配套；", Q_TSUGAMI_LOCAL),
            Fact("先后兼并荣辉灯具、日新制钢等低效企业，累计增资超15亿元，产值突破40亿元。", Q_TSUGAMI_MERGERS),
        ],
        "derived": [ABOVE_SIZE_DERIVED],
        "roles": [("cnc", "数控机床整机", False, Fact("国内最大的外资机床企业", Q_TSUGAMI_SCALE))],
    },
    {
        "name": "德马吉森精机",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_CNC_LEAD_PROJECTS},
        "facts": [Fact("高档数控机床龙头项目，与尼得科机床等龙头项目陆续投产。", Q_CNC_LEAD_PROJECTS)],
        "roles": [("cnc", "数控机床整机", False, Fact("机床龙头项目", Q_CNC_LEAD_PROJECTS))],
    },
    {
        "name": "伊控动力",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_AUTO_ELECTRONICS},
        "facts": [
            Fact("汽车电子项目，落户长三角（平湖）汽车电子产业园", Q_AUTO_ELECTRONICS),
            Fact("（2023年4月18日开园）。", Q_AUTO_PARK),
        ],
        "roles": [("nev", "汽车电子", False, Fact("汽车电子项目", Q_AUTO_ELECTRONICS))],
    },
    {
        "name": "臻驱科技",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_AUTO_ELECTRONICS},
        "facts": [
            Fact("汽车电子项目，落户长三角（平湖）汽车电子产业园", Q_AUTO_ELECTRONICS),
            Fact("（2023年4月18日开园）。", Q_AUTO_PARK),
        ],
        "roles": [("nev", "汽车电子", False, Fact("汽车电子项目", Q_AUTO_ELECTRONICS))],
    },
    {
        "name": "海优新材",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_HIUV},
        "facts": [
            Fact(
                "全球前三的光伏胶膜供应商；兼并平湖低效企业，盘活土地80亩，建设年产30GW光伏胶膜材料项目，"
                "达产后年产值将超45亿元。",
                Q_HIUV,
            )
        ],
        "derived": [MEMBRANE_DESIGN],
        "roles": [("membrane", None, False, MEMBRANE_DESIGN)],
    },
    {
        "name": "独山能源",
        "values": {"in_pinghu": True, "town": "独山港镇"},
        "sources": {"in_pinghu": Q_DUSHAN_SITE, "town": Q_DUSHAN_SITE},
        "facts": [
            Fact("三期项目位于独山港镇原中嘉华宸能源公司530亩地块，总投资102亿元；", Q_DUSHAN_SITE),
            Fact("达产后年营业收入将超200亿元；", Q_DUSHAN_REVENUE),
            Fact("通过兼并重组中嘉华宸能源盘活低效用地。", Q_DUSHAN_MERGER),
        ],
        "derived": ["原文未说明所属产业链。"],
        "roles": [],
    },
    {
        "name": "中嘉华宸能源",
        "values": {"in_pinghu": True, "town": "独山港镇"},
        "sources": {"in_pinghu": Q_DUSHAN_SITE, "town": Q_DUSHAN_SITE},
        "facts": [
            Fact("原独山港镇530亩地块的业主；", Q_DUSHAN_SITE),
            Fact("因经营不善，2020年停工停产；", Q_ZHONGJIA_STOPPED),
            Fact("经独山能源兼并重组，地块现为独山能源三期项目。", Q_DUSHAN_MERGER),
        ],
        "roles": [],
    },
    {
        "name": "荣辉灯具",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_TSUGAMI_MERGERS},
        "facts": [Fact("低效企业，已被津上精密兼并。", Q_TSUGAMI_MERGERS)],
        "derived": [IN_PINGHU_DERIVED],
        "roles": [],
    },
    {
        "name": "日新制钢",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_TSUGAMI_MERGERS},
        "facts": [Fact("低效企业，已被津上精密兼并。", Q_TSUGAMI_MERGERS)],
        "derived": [IN_PINGHU_DERIVED],
        "roles": [],
    },
    {
        "name": "银座箱包",
        "values": {"in_pinghu": True},
        "sources": {"in_pinghu": Q_YINZUO},
        "facts": [Fact("传统箱包产业；投资5亿元建设新工厂，打造箱包产业4.0样板工厂。", Q_YINZUO)],
        "derived": ["原文未说明所属产业链（传统箱包产业）。"],
        "roles": [],
    },
]
