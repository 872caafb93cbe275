"""The figures the pages show: 亿元 rounded half up everywhere, the chain table's stages as of the period's end, and
visits per chain against the city total (a visit concerning two chains counts for each, and once in the total)."""

import csv
import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from pinghu.figures import yi
from pinghu.permissions import Role
from projects.models import InvestmentVisit, Project
from projects.services import project_create, project_transition, visit_create
from tests.factories import ChainFactory, ClusterFactory, EnterpriseFactory, LeaderFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db
D = datetime.date
PERIOD = {"period": "custom", "start": "2024-01-01", "end": "2024-06-30"}


@pytest.mark.parametrize(
    ("wan", "expected"),
    [
        (Decimal("39545650"), Decimal("3954.57")),  # 3954.565: cut off, it read 3954.56
        (Decimal("12250"), Decimal("1.23")),  # 1.225: half up, not half even (1.22)
        (Decimal("12249.99"), Decimal("1.22")),
        (Decimal("39545649.999999"), Decimal("3954.57")),  # SQLite's floating-point sum of …50.00
        (39545650.0, Decimal("3954.57")),
        (Decimal("-12250"), Decimal("-1.23")),
        (0, Decimal("0.00")),
        (None, None),
    ],
)
def test_yi_rounds_half_up(wan, expected):
    assert yi(wan) == expected


def test_the_template_filter_rounds_the_same_way():
    template = Template("{% load pinghu_tags %}{{ amount|yi }}")
    assert template.render(Context({"amount": Decimal("39545650.00")})) == "3,954.57"  # grouped, in Chinese too
    assert template.render(Context({"amount": Decimal("12250")})) == "1.23"


@pytest.fixture
def viewer(client):
    user = UserFactory(username="viewer", roles=[Role.BUREAU_STAFF])
    client.force_login(user)
    return user


@pytest.fixture
def chains():
    cluster = ClusterFactory(code="equipment", name="高端装备")
    return ChainFactory(code="nev", name="新能源汽车", cluster=cluster), ChainFactory(
        code="cnc", name="高档数控机床", cluster=cluster
    )


def signed_project(chain, amount: str, on: datetime.date, name: str) -> Project:
    project = project_create(
        project=Project(
            name=name,
            chain=chain,
            investor=EnterpriseFactory(),
            total_investment=Decimal(amount),
            first_contact_date=D(2024, 1, 2),
        ),
        by=None,
        confirm_large_amounts=True,  # 900亿元 is above the warning line (not the ceiling)
    )
    return project_transition(project, "signed", by=None, on_date=on, stage_dates={"negotiating": D(2024, 1, 10)})


def test_an_amount_of_xx5_is_rounded_up_on_the_pages_the_chart_and_agrees_with_the_api_and_export(
    client, viewer, chains, api_client
):
    nev, _cnc = chains
    # 39,545,650 万元 in five projects (each under a plausible ceiling): 3954.565 亿元.
    for n, amount in enumerate(["9000000", "9000000", "9000000", "9000000", "3545650"]):
        signed_project(nev, amount, D(2024, 3, 1 + n), f"项目{n}")
    response = client.get("/", PERIOD)
    html = response.content.decode()
    assert html.count("3,954.57") >= 3 and "3,954.56" not in html  # KPI card, chain row, city total
    assert response.context["chart"]["signed_investment_yi"][2] == 3954.57  # March, in the chart's data
    for url in ("/projects/", "/chains/nev/", "/signing-events/"):
        assert "3,954.56" not in client.get(url, PERIOD).content.decode()
    assert "3,954.57" in client.get("/projects/").content.decode()
    assert "3,954.57" in client.get("/chains/nev/", PERIOD).content.decode()

    api_client.force_authenticate(viewer)
    summary = api_client.get("/api/v1/stats/summary/", {"start": "2024-01-01", "end": "2024-06-30"}).json()
    assert summary["signed_investment"] == "39545650.00" and yi(Decimal(summary["signed_investment"])) == Decimal(
        "3954.57"
    )
    response = api_client.get("/api/v1/projects/", {"format": "csv"})
    export = list(csv.reader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()))
    column = next(n for n, header in enumerate(export[0]) if header.startswith("总投资"))
    exported = sum(Decimal(row[column]) for row in export[1:])
    assert exported == Decimal("39545650") and yi(exported) == Decimal("3954.57")


def test_the_chain_table_shows_the_stages_of_the_period_end_like_the_funnel(
    client, viewer, chains, django_assert_max_num_queries
):
    nev, cnc = chains
    moved_on = signed_project(nev, "100", D(2024, 3, 1), "甲")
    project_transition(moved_on, "registered", by=None, on_date=D(2024, 8, 1))  # after the period's end
    signed_project(cnc, "100", D(2024, 5, 1), "乙")
    # The dashboard's budget (tests/projects/test_views.py), the targets panel with no target (two queries) and
    # the user's roles (whether "/" starts with an official's own part: projects.phone.has_official_home).
    with django_assert_max_num_queries(24 + 2 + 1):
        response = client.get("/", PERIOD)
    rows = {
        row["chain"].code: dict((stage, count) for stage, count, _link in row["stages"]) for row in rows_of(response)
    }
    assert rows["nev"]["signed"] == 1 and rows["nev"]["registered"] == 0
    funnel = {row["stage"]: row["projects"] for row in response.context["pipeline"]}
    for stage in rows["nev"]:
        assert rows["nev"][stage] + rows["cnc"][stage] == funnel[stage]
    city = dict((stage, count) for stage, count, _link in response.context["city"]["stages"])
    assert city["signed"] == funnel["signed"] == 2
    # A past period's counts are not those of the lists (current stages): not linked, and said so.
    assert all(link is None for row in rows_of(response) for _stage, _count, link in row["stages"])
    html = response.content.decode()
    assert "截至期末的各阶段项目数" in html and "项目列表显示当前阶段" in html
    # A period ending today counts current stages, and links them.
    current = client.get("/", {"period": "year"})
    nev_row = next(row for row in rows_of(current) if row["chain"].code == "nev")
    assert ("registered", 1) in [(stage, count) for stage, count, _link in nev_row["stages"]]
    assert all(link for _stage, _count, link in nev_row["stages"])


def rows_of(response) -> list[dict]:
    return [row for group in response.context["clusters"] for row in group["rows"]]


@pytest.fixture
def one_visit_two_chains(chains):
    nev, cnc = chains
    visit_create(
        visit=InvestmentVisit(
            date=D(2024, 3, 2), host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访"
        ),
        leaders=[LeaderFactory(), LeaderFactory()],
        chains=[nev, cnc],
        projects=[],
        by=None,
    )
    return chains


def test_a_visit_with_two_chains_counts_for_each_chain_and_once_in_the_city_total(client, viewer, one_visit_two_chains):
    response = client.get("/", PERIOD)
    visits = {row["chain"].code: row["visits"]["visits"] for row in rows_of(response)}
    assert visits == {"nev": 1, "cnc": 1}
    assert response.context["city"]["visits"]["visits"] == 1 == response.context["summary"]["visits"]
    html = response.content.decode()
    assert 'id="city-total"' in html and "全市合计" in html
    assert "一次走访涉及多条产业链时，在每条链各计一次；全市合计只计一次" in html
    english = client.get("/", PERIOD, headers={"accept-language": "en"}).content.decode()
    assert "A visit concerning several chains counts once for each of them" in english


def test_the_by_chain_api_ends_with_a_total_row_computed_directly(read_client, one_visit_two_chains):
    params = {"start": "2024-01-01", "end": "2024-06-30"}
    rows = read_client.get("/api/v1/stats/by-chain/", params).json()
    assert sorted((row["code"], row["visits"], row["person_times"], row["is_total"]) for row in rows[:-1]) == [
        ("cnc", 1, 2, False),
        ("nev", 1, 2, False),
    ]
    assert (rows[-1]["code"], rows[-1]["visits"], rows[-1]["person_times"], rows[-1]["is_total"]) == (None, 1, 2, True)
    assert rows[-1]["name"] == "全市合计" and rows[-1]["cluster"] is None
    cluster_rows = read_client.get("/api/v1/stats/by-chain/", params | {"cluster": "equipment"}).json()
    assert cluster_rows[-1] | {"name": ""} == rows[-1] | {"name": "", "cluster": "equipment"}
    assert [row["code"] for row in read_client.get("/api/v1/stats/by-chain/", params | {"chain": "nev"}).json()] == [
        "nev"
    ]


def test_the_schema_states_the_counting_rule(read_client):
    schema = read_client.get("/api/schema/", {"format": "json"}, headers={"accept-language": "en"}).json()
    operation = schema["paths"]["/api/v1/stats/by-chain/"]["get"]
    assert "counts once for each" in operation["description"]
    row = schema["components"]["schemas"]["ByChainRow"]["properties"]
    assert "counts once for each" in row["visits"]["description"] and "is_total" in row
