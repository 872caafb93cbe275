"""``seed_pinghu`` loads the reference facts, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from chains.choices import ChainKind
from chains.models import Chain, ChainLeadership, ChainNode, Cluster, Enterprise, EnterpriseChainRole, Leader
from projects.models import Project, SigningEvent

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [Cluster, Chain, ChainNode, Enterprise, EnterpriseChainRole, SigningEvent]


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
    assert "共写入 76 行" in first_output
    assert "未作任何更改" in second_output


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
    nidec = EnterpriseChainRole.objects.filter(enterprise__name="尼得科集团")
    assert set(nidec.values_list("chain__code", flat=True)) == {"nev", "cnc"}
    tsugami = Enterprise.objects.get(short_name="津上精密")
    assert tsugami.ownership == "foreign" and tsugami.country == "日本" and "213亩" in tsugami.notes
    assert not EnterpriseChainRole.objects.filter(enterprise__name__in=["独山能源", "银座箱包"]).exists()
    assert Enterprise.objects.get(name="独山能源").town == "独山港镇"


def test_nothing_beyond_the_source_is_presented_as_fact():
    seed()
    # The source gives no credit codes, no leaders and no per-chain policy texts.
    assert not Enterprise.objects.exclude(credit_code=None).exists()
    assert not Leader.objects.exists() and not ChainLeadership.objects.exists()
    assert not Chain.objects.exclude(policy="").exists()
    assert Enterprise.objects.get(name="长城汽车").ownership == ""


def test_a_hand_edited_reference_value_is_restored_and_reported():
    seed()
    Chain.objects.filter(code="nev").update(name_en="Electric cars")
    output = seed()
    assert Chain.objects.get(code="nev").name_en == "New-energy vehicles"
    assert "产业链：新建 0，更新 1，未变 7" in output


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
    assert not Project.objects.exists()
