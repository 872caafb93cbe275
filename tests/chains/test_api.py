"""The industry-structure API: nested chiefs and lead firms, enterprise filters, read-only reference data."""

import datetime

import pytest

from chains.choices import LeadershipRole
from tests.factories import (
    ChainFactory,
    ChainLeadershipFactory,
    ChainNodeFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_chain_nests_current_leaders_and_lead_enterprises(read_client):
    chain = ChainFactory(code="nev")
    chief = ChainLeadershipFactory(chain=chain)
    ChainLeadershipFactory(chain=chain, role=LeadershipRole.DEPUTY)
    ChainLeadershipFactory(chain=chain, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2022, 1, 1))
    EnterpriseChainRoleFactory(chain=chain, is_lead=True, enterprise=EnterpriseFactory(name="长城汽车"))
    EnterpriseChainRoleFactory(chain=chain, is_lead=False)
    body = read_client.get(f"/api/v1/chains/{chain.pk}/").json()
    assert sorted(row["role"] for row in body["current_leaders"]) == ["chief", "deputy"]
    assert chief.leader.name in [row["leader_name"] for row in body["current_leaders"]]
    assert [row["name"] for row in body["lead_enterprises"]] == ["长城汽车"]


def test_reference_data_is_read_only(write_client):
    chain = ChainFactory()
    assert write_client.post("/api/v1/chains/", {"code": "x", "name": "x"}, format="json").status_code == 405
    assert write_client.patch(f"/api/v1/chains/{chain.pk}/", {"name": "y"}, format="json").status_code == 405
    assert write_client.delete(f"/api/v1/chains/{chain.pk}/").status_code == 405


@pytest.fixture
def enterprises():
    nev, cnc = ChainFactory(code="nev"), ChainFactory(code="cnc")
    lead = EnterpriseFactory(name="链主", ownership="domestic", town="乍浦镇", credit_code=make_credit_code(1))
    member = EnterpriseFactory(
        name="成员", ownership="foreign", fortune500=True, srdi_level="national", credit_code=None
    )
    outside = EnterpriseFactory(name="外地", in_pinghu=False, srdi_level="provincial")
    EnterpriseChainRoleFactory(enterprise=lead, chain=nev, is_lead=True)
    EnterpriseChainRoleFactory(enterprise=lead, chain=cnc, is_lead=False)
    EnterpriseChainRoleFactory(enterprise=member, chain=cnc, is_lead=False)
    return {"lead": lead, "member": member, "outside": outside}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"chain": "cnc"}, {"链主", "成员"}),
        ({"is_lead": "true"}, {"链主"}),
        ({"is_lead": "false"}, {"成员", "外地"}),
        ({"chain": "cnc", "is_lead": "true"}, set()),  # lead of NEV, not of CNC
        ({"chain": "nev", "is_lead": "true"}, {"链主"}),
        ({"ownership": "foreign"}, {"成员"}),
        ({"fortune500": "true"}, {"成员"}),
        # Unknown is not "no": a firm nobody has said anything about is unknown, never false.
        ({"fortune500": "false"}, set()),
        ({"fortune500": "unknown"}, {"链主", "外地"}),
        ({"srdi_level": "provincial"}, {"外地"}),
        ({"srdi_level": "unknown"}, {"链主"}),
        ({"above_size": "unknown"}, {"链主", "成员", "外地"}),
        ({"above_size": "true"}, set()),
        ({"town": "乍浦镇"}, {"链主"}),
        ({"in_pinghu": "false"}, {"外地"}),
        ({"credit_code": make_credit_code(1).lower()}, {"链主"}),
        ({"search": "链"}, {"链主"}),
    ],
)
def test_enterprise_filters(read_client, enterprises, query, expected):
    assert names(read_client.get("/api/v1/enterprises/", query)) == expected


@pytest.mark.parametrize(
    "query",
    [{"chain": "nope"}, {"ownership": "martian"}, {"town": "上海"}, {"srdi_level": "x"}, {"fortune500": "maybe"}],
)
def test_bad_enterprise_filters_are_400(read_client, enterprises, query):
    assert read_client.get("/api/v1/enterprises/", query).status_code == 400


def test_chain_nodes_filter_by_chain_and_segment(read_client):
    node = ChainNodeFactory(chain=ChainFactory(code="nev"), segment="upstream")
    ChainNodeFactory(segment="upstream")
    assert names(read_client.get("/api/v1/chain-nodes/", {"chain": "nev"})) == {node.name}
    assert len(names(read_client.get("/api/v1/chain-nodes/", {"segment": "upstream"}))) == 2


def test_stats_endpoints_return_what_stats_computes(read_client):
    from io import StringIO

    from django.core.management import call_command

    from projects import stats

    call_command("seed_pinghu", stdout=StringIO())
    call_command(
        "generate_demo_data", "--projects", "80", "--visits", "60", "--end-date", "2024-12-31", stdout=StringIO()
    )
    period = stats.Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    params = {"start": "2024-01-01", "end": "2024-12-31"}
    body = read_client.get("/api/v1/stats/summary/", params).json()
    expected = stats.summary(period)
    assert body["visits"] == expected["visits"] > 0
    assert body["person_times"] == expected["person_times"]
    assert body["signed_investment"] == str(expected["signed_investment"])
    by_chain = {row["code"]: row for row in read_client.get("/api/v1/stats/by-chain/", params).json()}
    for row in stats.signed_by_chain(period):
        assert by_chain[row["code"]]["signed_projects"] == row["signed_projects"]
    nev = read_client.get("/api/v1/stats/by-chain/", params | {"chain": "nev"}).json()
    assert [row["code"] for row in nev] == ["nev"]
    pipeline = read_client.get("/api/v1/stats/pipeline/", {"end": "2024-12-31", "start": "2024-01-01"}).json()
    assert [row["stage"] for row in pipeline] == [row["stage"] for row in stats.pipeline(period)]
    assert (
        read_client.get("/api/v1/stats/monthly/", {"start": "2024-01-01", "end": "2024-03-31"}).json()[2]["month"]
        == "2024-03-01"
    )


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2024-02-01", "end": "2024-01-01"},
        {"start": "not-a-date"},
        {"chain": "nope"},
        {"start": "2024-01-01", "surprise": "1"},
        {"start": "9999-12-01", "end": "9999-12-31"},
        {"start": "0001-01-01"},
        {"chain": "nev", "cluster": "equipment"},
    ],
)
def test_stats_bad_parameters_are_400(read_client, query):
    assert read_client.get("/api/v1/stats/summary/", query).status_code == 400


def test_unknown_facts_are_null_in_the_api_and_unknown_in_exports(read_client):
    EnterpriseFactory(name="无资料企业", credit_code=None)
    EnterpriseFactory(name="已知企业", fortune500=False, srdi_level="none", above_size=True, industry_leader=False)
    rows = {row["name"]: row for row in read_client.get("/api/v1/enterprises/").json()["results"]}
    unknown, known = rows["无资料企业"], rows["已知企业"]
    assert (unknown["fortune500"], unknown["srdi_level"], unknown["above_size"]) == (None, None, None)
    assert (known["fortune500"], known["srdi_level"], known["above_size"]) == (False, "none", True)
    assert (unknown["industry_leader"], known["industry_leader"]) == (None, False)
    assert names(read_client.get("/api/v1/enterprises/", {"industry_leader": "unknown"})) == {"无资料企业"}
    response = read_client.get("/api/v1/enterprises/", {"format": "csv", "search": "无资料企业"})
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert export.splitlines()[1].count("未知") == 4  # Fortune 500, industry leader, SRDI level, size


def test_chain_nodes_filter_by_gap_assessment(read_client):
    chain = ChainFactory(code="nev")
    ChainNodeFactory(chain=chain, name="待评估")
    ChainNodeFactory(chain=chain, name="缺口", gap=True)
    ChainNodeFactory(chain=chain, name="已配套", gap=False, gap_basis="原文称门类齐全")
    assert names(read_client.get("/api/v1/chain-nodes/", {"gap": "unknown"})) == {"待评估"}
    assert names(read_client.get("/api/v1/chain-nodes/", {"gap": "true"})) == {"缺口"}
    rows = {row["name"]: row for row in read_client.get("/api/v1/chain-nodes/").json()["results"]}
    assert (rows["待评估"]["gap"], rows["已配套"]["gap"], rows["已配套"]["gap_basis"]) == (
        None,
        False,
        "原文称门类齐全",
    )
