"""``seed_pinghu`` loads the reference data that is missing and never changes an existing row.

What each loaded fact says, with its source sentence, is in ``tests/chains/test_seed_facts.py``.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from chains.choices import ChainKind
from chains.models import (
    Chain,
    ChainLeadership,
    ChainNode,
    Cluster,
    Enterprise,
    EnterpriseChainRole,
    Leader,
    SeededRow,
)
from projects.models import Project, SigningEvent

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [Cluster, Chain, ChainNode, Enterprise, EnterpriseChainRole, SigningEvent, SeededRow]


def snapshot() -> dict[str, list[tuple]]:
    """Every column of every seeded row, timestamps included, in a stable order."""
    result = {}
    for model in SEEDED_MODELS:
        columns = [field.attname for field in model._meta.concrete_fields]
        result[model.__name__] = list(model.objects.order_by("pk").values_list(*columns))
    return result


def seed() -> str:
    out = StringIO()
    call_command("seed_pinghu", stdout=out)
    return out.getvalue()


def test_second_run_changes_nothing_and_says_so():
    first_output = seed()
    first = snapshot()
    second_output = seed()
    assert snapshot() == first
    # 80 rows of the structure and the conference, and Pinghu's 22 units (units.reference).
    assert "共创建 102 行" in first_output and "单位：新建 22" in first_output
    assert "未作任何更改" in second_output
    assert SeededRow.objects.count() == 102


def test_four_clusters_and_eight_chains():
    seed()
    assert list(Cluster.objects.values_list("name", flat=True)) == ["新一代信息技术", "高端装备", "新材料", "生命健康"]
    assert Chain.objects.filter(kind=ChainKind.KEY).count() == 5
    assert set(Chain.objects.filter(kind=ChainKind.INCUBATING).values_list("name", flat=True)) == {
        "航空航天",
        "功能性膜材料",
        "电子化学品",
    }
    mapping = dict(Chain.objects.values_list("name", "cluster__name"))
    assert mapping == {
        "光电通信": "新一代信息技术",
        "新能源汽车": "高端装备",
        "高档数控机床": "高端装备",
        "航空航天": "高端装备",
        "C3及关联产品": "新材料",
        "功能性膜材料": "新材料",
        "电子化学品": "新材料",
        "生物医药": "生命健康",
    }


def test_every_key_chain_has_a_three_segment_map():
    seed()
    for chain in Chain.objects.filter(kind=ChainKind.KEY):
        segments = set(chain.nodes.values_list("segment", flat=True))
        assert segments == {"upstream", "midstream", "downstream"}, chain.code
    nev = set(ChainNode.objects.filter(chain__code="nev").values_list("name", flat=True))
    assert {"动力电池", "驱动电机", "电控系统", "汽车电子", "整车制造"} <= nev
    motor = ChainNode.objects.get(chain__code="nev", name="驱动电机")
    assert motor.parent.name == "三电系统" and motor.parent.chain.code == "nev"


def test_named_enterprises_and_their_roles():
    seed()
    great_wall = EnterpriseChainRole.objects.get(enterprise__name="长城汽车")
    assert great_wall.chain.code == "nev" and great_wall.is_lead
    nidec = EnterpriseChainRole.objects.get(enterprise__name="尼得科集团")
    assert (nidec.chain.code, nidec.node) == ("nev", None)
    assert EnterpriseChainRole.objects.get(enterprise__name="尼得科机床").chain.code == "cnc"
    tsugami = Enterprise.objects.get(short_name="津上精密")
    assert tsugami.ownership == "foreign" and tsugami.country == "" and "213亩" in tsugami.notes
    no_roles = ["独山能源", "银座箱包", "中嘉华宸能源", "荣辉灯具", "日新制钢"]
    assert not EnterpriseChainRole.objects.filter(enterprise__name__in=no_roles).exists()
    assert Enterprise.objects.get(name="独山能源").town == "独山港镇"


def test_nothing_beyond_the_source_is_presented_as_fact():
    seed()
    # The source gives no credit codes, no leaders and no per-chain policy texts.
    assert not Enterprise.objects.exclude(credit_code=None).exists()
    assert not Leader.objects.exists() and not ChainLeadership.objects.exists()
    assert not Chain.objects.exclude(policy="").exists()
    assert Enterprise.objects.get(name="长城汽车").ownership == ""


def test_the_bureau_s_edits_survive_a_second_run():
    """Edit a seeded cluster, chain, segment, enterprise and role, delete another, re-run: nothing reverts."""
    seed()
    Cluster.objects.filter(code="it").update(name="信息技术产业集群", description="经信局修订")
    Chain.objects.filter(code="nev").update(cluster=Cluster.objects.get(code="materials"), name_en="Electric cars")
    ChainNode.objects.filter(chain__code="nev", name="驱动电机").update(name="电驱动系统", segment="upstream", gap=True)
    Enterprise.objects.filter(name="长城汽车").update(notes="经信局核实后改写", fortune500=True, country="中国")
    Enterprise.objects.filter(name="海优新材").update(name="杭州福斯特应用材料股份有限公司")
    EnterpriseChainRole.objects.filter(enterprise__name="津上精密机床（浙江）有限公司").update(is_lead=True)
    EnterpriseChainRole.objects.filter(enterprise__name="伊控动力").delete()
    ChainNode.objects.filter(chain__code="c3", name="碳纤维及复合材料").delete()
    edited = snapshot()

    output = seed()

    assert snapshot() == edited
    assert Chain.objects.get(code="nev").cluster.code == "materials"
    assert not ChainNode.objects.filter(chain__code="nev", name="驱动电机").exists()
    assert not Enterprise.objects.filter(name="海优新材").exists()
    assert Enterprise.objects.get(name="长城汽车").notes == "经信局核实后改写"
    assert "产业链：新建 0，已有 8，保持不变" in output
    assert "未作任何更改" in output


def test_a_row_typed_in_before_the_seed_is_kept_as_it_is():
    Enterprise.objects.create(name="长城汽车", notes="局里先录入的", above_size=True)
    seed()
    great_wall = Enterprise.objects.get(name="长城汽车")
    assert (great_wall.notes, great_wall.above_size, great_wall.facts_source) == ("局里先录入的", True, "")
    assert EnterpriseChainRole.objects.get(enterprise=great_wall).is_lead  # its missing role is added


def test_seeded_rows_pass_model_validation():
    seed()
    for model in SEEDED_MODELS:
        for row in model.objects.all():
            row.full_clean()


def test_the_2023_signing_conference_is_loaded_without_invented_projects():
    seed()
    event = SigningEvent.objects.get()
    assert event.name == "2023年平湖市产业链高质量发展签约大会"
    assert event.date.isoformat() == "2023-05-09"
    assert (event.announced_project_count, event.announced_investment) == (28, 1220000)
    assert not Project.objects.exists()
