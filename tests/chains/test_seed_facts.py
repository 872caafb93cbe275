"""The seed's facts match the article line by line: each loaded fact beside the sentence it comes from.

The article is ``docs/sources/pinghu-article.txt`` (a copy of ``../shared/seed/pinghu-article.txt``).
Every quote below, and every quote in the reference data, must be a sentence of it; every seeded
text that is not from it must say so (``NOT_FROM_SOURCE_MARKS``).
"""

import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from chains import reference_data as ref
from chains import reference_enterprises as ent
from chains.models import Chain, ChainNode, Cluster, Enterprise, EnterpriseChainRole
from projects.models import SigningEvent
from projects.reference_data import SIGNING_EVENTS

ARTICLE = Path(__file__).resolve().parents[2] / "docs" / "sources" / "pinghu-article.txt"
TSUGAMI = "津上精密机床（浙江）有限公司"


def plain(text: str) -> str:
    """The article's text without line breaks or spaces (its lines break inside sentences)."""
    return re.sub(r"\s+", "", text)


ARTICLE_TEXT = plain(ARTICLE.read_text(encoding="utf-8"))


def enterprise(name: str) -> Enterprise:
    return Enterprise.objects.get(name=name)


def role(name: str, chain: str) -> EnterpriseChainRole:
    return EnterpriseChainRole.objects.select_related("node").get(enterprise__name=name, chain__code=chain)


def node(chain: str, name: str) -> ChainNode:
    return ChainNode.objects.get(chain__code=chain, name=name)


# (what is loaded, a check on the database after the seed, the sentence of the article it comes from)
FACTS = [
    (
        "the four clusters",
        lambda: (
            list(Cluster.objects.values_list("name", flat=True)) == ["新一代信息技术", "高端装备", "新材料", "生命健康"]
        ),
        "打造形成新一代信息技术、高端装备、新材料、生命健康共4个具有平湖辨识度的全国性现代产业集群",
    ),
    (
        "the five key chains",
        lambda: (
            list(Chain.objects.filter(kind="key").values_list("name", flat=True))
            == ["光电通信", "新能源汽车", "高档数控机床", "C3及关联产品", "生物医药"]
        ),
        "构建起光电通信、新能源汽车、高档数控机床、C3及关联产品、生物医药5条涵盖核心环节、拥有核心企业、具备核心技术的重点发展产业链",
    ),
    (
        "the three incubating chains",
        lambda: (
            list(Chain.objects.filter(kind="incubating").values_list("name", flat=True))
            == ["航空航天", "功能性膜材料", "电子化学品"]
        ),
        "加速培育航空航天、功能性膜材料、电子化学品3条孵化型产业链",
    ),
    (
        "the policy document, March 2023",
        lambda: all(
            "《平湖市“强链壮群”加快构建现代产业体系的实施方案》（2023年3月）" in c.description
            for c in Chain.objects.all()
        ),
        "3月，《平湖市“强链壮群”加快构建现代产业体系的实施方案》提出了",
    ),
    (
        "长城汽车 is 链主 of the NEV chain",
        lambda: role("长城汽车", "nev").is_lead and "链主" in enterprise("长城汽车").notes,
        "在长城汽车等“链主”企业的带动下",
    ),
    (
        "长城汽车's first NEV off the line, June 2022",
        lambda: "2022年6月平湖首台新能源汽车下线" in enterprise("长城汽车").notes,
        "2022年6月，长城汽车首台新能源汽车下线，实现“从零到整”的飞跃。",
    ),
    (
        "the drive-motor capacity is the NEV chain's figure, not Nidec's",
        lambda: (
            "驱动电机已形成120万台产能，到2025年将突破300万台" in Chain.objects.get(code="nev").description
            and "120万台" not in enterprise("尼得科集团").notes
            and role("尼得科集团", "nev").node is None
        ),
        "新能源汽车驱动电机已形成120万台产能，到2025年将突破300万台",
    ),
    (
        "NEV parts complete in kind (门类齐全): no NEV segment is seeded as a gap",
        lambda: node("nev", "传统汽车零部件").gap is False and not ChainNode.objects.filter(gap=True).exists(),
        "逐步形成了传统汽车零部件门类齐全、新能源汽车零部件特色鲜明、智能网联汽车零部件日益集聚的产业格局",
    ),
    (
        "Nidec: 24 years, 16 subsidiaries, ~50% of main parts bought locally",
        lambda: (
            "落地平湖24年，成立16家子公司，生产所需的主要零部件近50%在平湖当地采购" in enterprise("尼得科集团").notes
        ),
        "尼得科集团，落地平湖24年，成立16家子公司，该公司生产所需的主要零部件近50%在平湖实现当地采购",
    ),
    (
        "Nidec is foreign-funded; its country is not in the article",
        lambda: (enterprise("尼得科集团").ownership, enterprise("尼得科集团").country) == ("foreign", ""),
        "通过几十年的深耕，这些外资企业已同本地上下游企业形成了很好的联动效应。",
    ),
    (
        "尼得科机床 is a lead machine-tool project of its own, named with 德马吉森精机",
        lambda: (
            role("尼得科机床", "cnc").node.name == "数控机床整机"
            and role("德马吉森精机", "cnc").node.name == "数控机床整机"
            and not EnterpriseChainRole.objects.filter(enterprise__name="尼得科集团", chain__code="cnc").exists()
        ),
        "随着德马吉森精机、尼得科机床等龙头项目的陆续投产",
    ),
    (
        "津上: 10 capital increases, > US$200 million, 213 mu, 1,900 staff, largest foreign machine-tool firm",
        lambda: (
            "国内最大的外资机床企业；" in enterprise(TSUGAMI).notes
            and "经过10次增资，总投资超2亿美元，用地213亩，员工1900名" in enterprise(TSUGAMI).notes
            and enterprise(TSUGAMI).ownership == "foreign"
            and enterprise(TSUGAMI).country == ""
        ),
        "津上精密机床（浙江）有限公司经过10次增资，形成总投资超2亿美元、用地213亩、员工1900名的经营规模，是国内最大的外资机床企业。",
    ),
    (
        "津上: 2022 output 43.5亿元, tax 4.55亿元 (+29.9%)",
        lambda: "2022年产值43.5亿元，税收4.55亿元（同比增加29.9%）" in enterprise(TSUGAMI).notes,
        "2022年实现产值43.5亿元，实现税收4.55亿元，同比增加29.9%。",
    ),
    (
        "津上 is 规上, derived from its 2022 output by the 2,000万元 rule, and says so",
        lambda: (
            enterprise(TSUGAMI).above_size is True
            and "推定" in enterprise(TSUGAMI).facts_source
            and "2000万元" in enterprise(TSUGAMI).facts_source
        ),
        "2022年实现产值43.5亿元",
    ),
    (
        "津上 arrived in 2003; two thirds of machine parts local (a half-hour supply circle)",
        lambda: "2003年落户平湖" in enterprise(TSUGAMI).notes and "三分之二本地配套" in enterprise(TSUGAMI).notes,
        "津上精密2003年落户至今，与本地五金机械企业珠联璧合，已形成“半小时”配套圈，机床产品零部件三分之二实现本地配套",
    ),
    (
        "two thirds of machine-tool parts local: no CNC parts segment is claimed as a gap",
        lambda: node("cnc", "功能部件").gap is None and "三分之二" in node("cnc", "功能部件").gap_basis,
        "机床产品零部件三分之二实现本地配套",
    ),
    (
        "津上 absorbed 荣辉灯具 and 日新制钢, capital increases > 15亿元, output > 40亿元",
        lambda: (
            "先后兼并荣辉灯具、日新制钢等低效企业，累计增资超15亿元，产值突破40亿元" in enterprise(TSUGAMI).notes
            and "已被津上精密兼并" in enterprise("荣辉灯具").notes
            and "已被津上精密兼并" in enterprise("日新制钢").notes
        ),
        "津上精密先后兼并荣辉灯具、日新制钢等低效企业，累计增资超15亿元，产值突破40亿元",
    ),
    (
        "machine-tool output above 25 billion yuan by 2025",
        lambda: "到2025年，全市机床产业产值预计将突破250亿元" in Chain.objects.get(code="cnc").description,
        "到2025年，全市机床产业产值预计将突破250亿元",
    ),
    (
        "伊控动力 and 臻驱科技 in the automotive electronics park, opened 2023-04-18",
        lambda: all(
            role(name, "nev").node.name == "汽车电子" and "2023年4月18日开园" in enterprise(name).notes
            for name in ("伊控动力", "臻驱科技")
        ),
        "4月18日，长三角（平湖）汽车电子产业园开园",
    ),
    (
        "海优新材: top-3 PV film maker, 80 mu, 30 GW, > 45亿元 at capacity",
        lambda: (
            "全球前三的光伏胶膜供应商；兼并平湖低效企业，盘活土地80亩，建设年产30GW光伏胶膜材料项目，达产后年产值将超45亿元"
            in enterprise("海优新材").notes
        ),
        "全球前三的光伏胶膜供应商海优新材直接兼并平湖低效企业，盘活土地80亩，建设年产30GW光伏胶膜材料项目，达产后年产值将超45亿元",
    ),
    (
        "独山能源 phase III on 中嘉华宸能源's 530 mu site, 102亿元, no chain",
        lambda: (
            "原中嘉华宸能源公司530亩地块，总投资102亿元" in enterprise("独山能源").notes
            and enterprise("独山能源").town == "独山港镇"
            and not EnterpriseChainRole.objects.filter(enterprise__name="独山能源").exists()
        ),
        "在独山港镇原中嘉华宸能源公司530亩的地块上，总投资102亿元的独山能源三期项目正如火如荼加紧建设",
    ),
    (
        "独山能源 phase III revenue > 200亿元 a year at capacity",
        lambda: "达产后年营业收入将超200亿元" in enterprise("独山能源").notes,
        "项目达产后年营业收入将超200亿元",
    ),
    (
        "中嘉华宸能源 stopped in 2020; its site went to 独山能源 by merger",
        lambda: (
            "2020年停工停产" in enterprise("中嘉华宸能源").notes and "独山能源三期" in enterprise("中嘉华宸能源").notes
        ),
        "而土地的原业主中嘉华宸能源公司因经营不善，已于2020年停工停产。",
    ),
    (
        "银座箱包: 5亿元 luggage 4.0 factory, no chain",
        lambda: (
            "投资5亿元建设新工厂，打造箱包产业4.0样板工厂" in enterprise("银座箱包").notes
            and not EnterpriseChainRole.objects.filter(enterprise__name="银座箱包").exists()
        ),
        "银座箱包正投资5亿元建设新工厂，打造箱包产业4.0样板工厂",
    ),
    (
        "the 2023-05-09 conference: 28 projects, 122亿元 announced, none invented",
        lambda: (
            (lambda e: (e.date.isoformat(), e.announced_project_count, e.announced_investment, e.projects.count()))(
                SigningEvent.objects.get(name="2023年平湖市产业链高质量发展签约大会")
            )
            == ("2023-05-09", 28, Decimal("1220000.00"), 0)
        ),
        "5月9日，平湖市举行2023年产业链高质量发展签约大会，集中签约项目28个，总投资122亿元",
    ),
]


@pytest.fixture
def seeded(db):
    call_command("seed_pinghu", stdout=StringIO())


@pytest.mark.parametrize(("what", "check", "quote"), FACTS, ids=[fact[0] for fact in FACTS])
def test_fact_is_loaded_as_the_article_gives_it(seeded, what, check, quote):
    assert plain(quote) in ARTICLE_TEXT, f"not a sentence of the article: {quote}"
    assert check(), what


def reference_quotes():
    """Every quote the reference data rests on."""
    for facts in ref.CHAIN_FACTS.values():
        yield from (fact.quote for fact in facts)
    for _gap, basis in ref.GAP_ASSESSMENTS.values():
        yield basis.quote
    for item in ent.ENTERPRISES:
        yield from item["sources"].values()
        yield from (fact.quote for fact in item["facts"])
        yield from (basis.quote for *_role, basis in item["roles"] if isinstance(basis, ref.Fact))
    for event in SIGNING_EVENTS:
        yield event["sources"]


@pytest.mark.parametrize("quote", sorted(set(reference_quotes())))
def test_every_quote_of_the_reference_data_is_in_the_article(quote):
    assert plain(quote) in ARTICLE_TEXT


def is_marked(text: str) -> bool:
    return any(mark in text for mark in ref.NOT_FROM_SOURCE_MARKS)


def test_every_value_and_role_of_an_enterprise_rests_on_a_quote_or_is_marked():
    for item in ent.ENTERPRISES:
        assert set(item["values"]) <= set(item["sources"]), item["name"]
        for *_role, basis in item["roles"]:
            assert isinstance(basis, ref.Fact) or is_marked(basis), item["name"]
        for derived in item.get("derived", []):
            assert is_marked(derived), derived


def test_every_seeded_claim_not_from_the_article_is_marked_as_design(seeded):
    """Clusters of chains, chain maps, derived values and unassessed gaps all say they are not the article's."""
    for chain in Chain.objects.all():
        assert ref.DESIGN_MAPPING_NOTE in chain.description  # the cluster of a chain is design
        if chain.nodes.exists():
            assert ref.STARTER_MAP_NOTE in chain.description  # the map's segments are design
    for item in ent.ENTERPRISES:
        row = enterprise(item["name"])
        assert row.notes == "".join(fact.text for fact in item["facts"])  # notes hold quoted facts only
        assert row.facts_source.startswith(f"来源：{ref.SOURCE}。")
        derived = "".join(item.get("derived", []))  # each derived text is marked (test above)
        assert row.facts_source == f"来源：{ref.SOURCE}。{derived}"
    for seeded_node in ChainNode.objects.exclude(gap_basis=""):
        basis = {basis.text: basis for _gap, basis in ref.GAP_ASSESSMENTS.values()}[seeded_node.gap_basis]
        assert plain(basis.quote) in ARTICLE_TEXT
        if seeded_node.gap is None:
            assert is_marked(seeded_node.gap_basis)
    # Without ground in the article a segment is left for the bureau: unknown, never a seeded gap.
    assert ChainNode.objects.filter(gap=None).count() == ChainNode.objects.count() - 6
    assert not ChainNode.objects.filter(gap=True).exists()


def test_what_the_article_does_not_say_is_unknown(seeded):
    """No credit code or country; Fortune 500 and SRDI unknown for all; 规上 known only where derived."""
    assert not Enterprise.objects.exclude(credit_code=None).exists()
    assert not Enterprise.objects.exclude(country="").exists()
    assert not Enterprise.objects.exclude(fortune500=None).exists()
    assert not Enterprise.objects.exclude(srdi_level=None).exists()
    assert list(Enterprise.objects.exclude(above_size=None).values_list("name", flat=True)) == [TSUGAMI]
