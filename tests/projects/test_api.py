"""The projects and visits API: filters, ordering, search, pagination, exports, writes, errors, query budgets."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from projects.choices import ProjectStage
from projects.models import InvestmentVisit, Project, ProjectFunds
from projects.services import project_create, project_transition
from tests.factories import (
    ChainFactory,
    ChainNodeFactory,
    ClusterFactory,
    EnterpriseFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    SigningEventFactory,
    UserFactory,
    unit_named,
)


def current_tag(instance) -> dict:
    """The If-Match header for the row's current version (as a GET of it would give)."""
    from pinghu.concurrency import etag_of

    instance.refresh_from_db()
    return {"HTTP_IF_MATCH": etag_of(instance)}


pytestmark = pytest.mark.django_db
D = datetime.date


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def projects():
    """Five projects spread over filters; returned by name."""
    x = ClusterFactory(code="x")
    nev, cnc = ChainFactory(code="nev", cluster=x), ChainFactory(code="cnc")
    f500 = EnterpriseFactory(name="世界五百强公司", fortune500=True)
    plain = EnterpriseFactory(name="本地公司")
    event = SigningEventFactory(date=D(2024, 5, 9))
    rows = {
        "a": ProjectFactory(name="电机项目", chain=nev, investor=plain, total_investment=Decimal("100"), town="乍浦镇"),
        "b": ProjectFactory(
            name="电池项目",
            chain=nev,
            investor=f500,
            total_investment=Decimal("5000"),
            stage=ProjectStage.SIGNED,
            signed_date=D(2024, 5, 9),
            signing_event=event,
            source="signing_event",
        ),
        "c": ProjectFactory(
            name="机床项目",
            chain=cnc,
            investor=plain,
            total_investment=Decimal("200000"),
            stage=ProjectStage.SIGNED,
            signed_date=D(2024, 1, 2),
            town="新埭镇",
        ),
        "d": ProjectFactory(name="刀具项目", chain=cnc, investor=plain, stage=ProjectStage.NEGOTIATING),
        "e": ProjectFactory(name="主轴项目", chain=cnc, investor=plain, stage=ProjectStage.DROPPED),
    }
    rows["event"] = event
    return rows


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"chain": "nev"}, {"a", "b"}),
        ({"cluster": "x"}, {"a", "b"}),
        ({"stage": ["signed", "dropped"]}, {"b", "c", "e"}),
        ({"town": "乍浦镇"}, {"a"}),
        ({"major": "true"}, {"b", "c"}),
        ({"major": "false"}, {"a", "d", "e"}),
        ({"source": "signing_event"}, {"b"}),
        ({"signed_from": "2024-02-01"}, {"b"}),
        ({"signed_to": "2024-02-01"}, {"c"}),
        ({"min_investment": "5000"}, {"b", "c"}),
        ({"max_investment": "100"}, {"a"}),
        ({"search": "电"}, {"a", "b"}),
        ({"search": "世界五百强"}, {"b"}),
    ],
)
def test_project_filters(read_client, projects, query, expected):
    response = read_client.get("/api/v1/projects/", query)
    names = {key for key, project in projects.items() if key != "event" and project.pk in ids(response)}
    assert names == expected


def test_project_filters_by_id(read_client, projects):
    assert set(ids(read_client.get("/api/v1/projects/", {"investor": projects["b"].investor_id}))) == {projects["b"].pk}
    assert ids(read_client.get("/api/v1/projects/", {"signing_event": projects["event"].pk})) == [projects["b"].pk]


def test_updated_since(read_client, projects):
    Project.objects.filter(pk=projects["a"].pk).update(updated_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    assert ids(read_client.get("/api/v1/projects/", {"updated_since": "2029-12-31T00:00:00Z"})) == [projects["a"].pk]
    # An offset PostgreSQL does not take (it stops at ±15:59) is the same instant in UTC: not a 500.
    response = read_client.get("/api/v1/projects/", {"updated_since": "2029-12-31T00:00:00-22:20"})
    assert response.status_code == 200 and ids(response) == [projects["a"].pk]


@pytest.mark.parametrize(
    "query",
    [
        {"stage": "celebrating"},
        {"chain": "no-such-chain"},
        {"signed_from": "2024-13-45"},
        {"min_investment": "lots"},
        {"min_investment": "1e400"},
        {"investor": "99999999999999999999999"},
        {"investor": "2147483648"},
        {"updated_since": "yesterday"},
        {"updated_since": "0001-01-01T00:00:00+08:00"},
        {"updated_since": "9999-12-31T23:59:59-05:00"},
        {"town": "上海"},
        {"major": "maybe"},
        {"ordering": "-secret"},
    ],
)
def test_bad_filter_values_are_400_not_500(read_client, projects, query):
    response = read_client.get("/api/v1/projects/", query)
    assert response.status_code == 400, response.content
    assert set(query) & set(response.json())


@pytest.mark.parametrize(
    "url", ["/api/v1/projects/?search=%00", "/api/v1/visits/?ordering=%00date", "/api/v1/chains/?q%00=1"]
)
def test_nul_bytes_in_query_strings_are_400(read_client, url):
    response = read_client.get(url)
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_ordering_is_deterministic_and_selectable(read_client, projects):
    by_investment = ids(read_client.get("/api/v1/projects/", {"ordering": "-total_investment"}))
    assert by_investment[:2] == [projects["c"].pk, projects["b"].pk]
    # Equal values (three projects of 1000) fall back to the primary key, the same way every time.
    ties = [projects[k].pk for k in ("d", "e")]
    by_amount = ids(read_client.get("/api/v1/projects/", {"ordering": "total_investment"}))
    assert [pk for pk in by_amount if pk in ties] == sorted(ties)
    refused = read_client.get("/api/v1/projects/", {"ordering": "secret_field"})
    assert refused.status_code == 400 and "ordering" in refused.json()


def test_page_size_default_max_and_pages(read_client):
    chain, investor = ChainFactory(), EnterpriseFactory()
    Project.objects.bulk_create(
        [Project(name=f"p{n}", chain=chain, investor=investor, total_investment=1) for n in range(120)]
    )
    first = read_client.get("/api/v1/projects/").json()
    assert first["count"] == 120 and len(first["results"]) == 50
    assert len(read_client.get("/api/v1/projects/", {"page_size": 100000}).json()["results"]) == 120
    assert read_client.get("/api/v1/projects/", {"page": 99}).status_code == 404
    assert read_client.get("/api/v1/projects/", {"page": "99999999999999999999999"}).status_code == 404


def test_cursor_mode_has_no_gaps_or_repeats_while_rows_change(read_client):
    chain, investor = ChainFactory(), EnterpriseFactory()
    original = Project.objects.bulk_create(
        [Project(name=f"p{n}", chain=chain, investor=investor, total_investment=1) for n in range(35)]
    )
    seen, url, params, step = [], "/api/v1/projects/", {"cursor": "", "page_size": 10}, 0
    while url:
        page = read_client.get(url, params).json()
        seen += [row["id"] for row in page["results"]]
        # Between pages: edit rows already seen and not yet seen, and add a new one.
        Project.objects.filter(pk__in=[original[step].pk, original[-1 - step].pk]).update(name=f"edited{step}")
        Project.objects.create(name=f"new{step}", chain=chain, investor=investor, total_investment=1)
        step += 1
        url, params = page["next"], None
    assert len(seen) == len(set(seen))
    assert {project.pk for project in original} <= set(seen)
    assert "count" not in page


def test_invalid_cursor_is_404_not_500(read_client):
    assert read_client.get("/api/v1/projects/", {"cursor": "not-a-cursor"}).status_code == 404


def test_csv_export_uses_the_filters_and_chinese_headers(read_client, projects):
    response = read_client.get("/api/v1/projects/", {"format": "csv", "chain": "nev", "ordering": "name"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["ID", "名称", "产业链", "投资方"]
    assert sorted(row[1] for row in rows[1:]) == ["电机项目", "电池项目"]
    stage_column = rows[0].index("阶段")
    assert {row[stage_column] for row in rows[1:]} == {"线索", "签约"}


def test_xlsx_export_opens_in_openpyxl(read_client, projects):
    response = read_client.get("/api/v1/projects/", {"format": "xlsx", "stage": "signed"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1] == "名称" and len(rows) == 3
    assert {row[1] for row in rows[1:]} == {"电池项目", "机床项目"}


def test_export_neutralises_formulas(read_client):
    ProjectFactory(name='=HYPERLINK("http://x")')
    text = b"".join(read_client.get("/api/v1/projects/", {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


EXPORT_LISTS = {
    "/api/v1/visits/": "走访企业",
    "/api/v1/enterprises/": "统一社会信用代码",
    "/api/v1/chains/": "类型",
    "/api/v1/chain-nodes/": "链段",
    "/api/v1/leaders/": "职务",
    "/api/v1/clusters/": "英文名称",
    "/api/v1/signing-events/": "公布签约项目数",
    "/api/v1/projects/": "投资方",
}


@pytest.mark.parametrize(("url", "header"), EXPORT_LISTS.items())
def test_every_list_exports_csv_and_xlsx_with_chinese_headers(read_client, url, header):
    project = ProjectFactory(responsible_unit=unit_named("控制\x01字符"))
    ChainNodeFactory(chain=project.chain)
    SigningEventFactory()
    InvestmentVisitFactory(leaders=[LeaderFactory()], purpose="走访\x1b备注", chains=[project.chain])
    csv_response = read_client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig"))))
    assert header in rows[0] and len(rows) >= 2
    xlsx_response = read_client.get(url, {"format": "xlsx"})
    assert xlsx_response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content)), read_only=True).active
    table = list(sheet.iter_rows(values_only=True))
    assert header in table[0] and len(table) == len(rows)


def test_export_errors_are_json(read_client):
    response = read_client.get("/api/v1/projects/", {"format": "xlsx", "stage": "bogus"})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert "stage" in response.json()


def test_detail_has_stage_history(read_client):
    project = project_create(
        project=Project(
            name="历史",
            chain=ChainFactory(),
            investor=EnterpriseFactory(),
            total_investment=1,
            first_contact_date=D(2024, 1, 1),
        ),
        by=None,
    )
    project_transition(project, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 2, 1))
    body = read_client.get(f"/api/v1/projects/{project.pk}/").json()
    assert [(row["from_stage"], row["to_stage"]) for row in body["stage_changes"]] == [
        ("", "lead"),
        ("lead", "negotiating"),
    ]


class TestWrites:
    def test_create_writes_the_first_stage_change(self, write_client):
        body = {
            "name": "新项目",
            "chain": ChainFactory().code,
            "investor": EnterpriseFactory().pk,
            "total_investment": "12.5",
        }
        response = write_client.post("/api/v1/projects/", body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["stage_changes"][0]["to_stage"] == "lead"
        assert response.json()["stage_changes"][0]["by"] == "root"

    @pytest.mark.parametrize("body", [{"stage": "signed"}, {"signed_date": "2024-01-01"}, {"stage": "lead"}])
    def test_stage_and_its_dates_cannot_be_patched(self, write_client, body):
        project = ProjectFactory()
        response = write_client.patch(f"/api/v1/projects/{project.pk}/", body, format="json", **current_tag(project))
        assert response.status_code == 400 and set(body) <= set(response.json())
        project.refresh_from_db()
        assert project.stage == "lead" and project.signed_date is None

    def test_patch_other_fields(self, write_client):
        project = ProjectFactory()
        response = write_client.patch(
            f"/api/v1/projects/{project.pk}/",
            {"responsible_unit": unit_named("经信局").pk},
            format="json",
            **current_tag(project),
        )
        assert response.status_code == 200 and response.json()["responsible_unit"] == "经信局"

    def test_transition(self, write_client):
        project = project_create(
            project=Project(
                name="t",
                chain=ChainFactory(),
                investor=EnterpriseFactory(),
                total_investment=1,
                first_contact_date=D(2024, 1, 1),
            ),
            by=None,
        )
        response = write_client.post(
            f"/api/v1/projects/{project.pk}/transition/", {"to_stage": "signed", "date": "2024-05-09", "note": "签约"}
        )
        assert response.status_code == 200, response.json()
        assert response.json()["stage"] == "signed" and response.json()["signed_date"] == "2024-05-09"
        assert response.json()["stage_changes"][-1]["note"] == "签约"

    def test_illegal_transition_is_400_in_chinese_and_in_english(self, write_client):
        project = ProjectFactory(stage=ProjectStage.DROPPED)
        url = f"/api/v1/projects/{project.pk}/transition/"
        response = write_client.post(url, {"to_stage": "signed", "date": "2024-05-09"})
        assert response.status_code == 400 and "不能从" in response.json()["to_stage"][0]
        response = write_client.post(url, {"to_stage": "signed", "date": "2024-05-09"}, HTTP_ACCEPT_LANGUAGE="en")
        assert "cannot move" in response.json()["to_stage"][0]

    def test_transition_of_missing_project_is_404(self, write_client):
        assert (
            write_client.post(
                "/api/v1/projects/999999/transition/", {"to_stage": "signed", "date": "2024-05-09"}
            ).status_code
            == 404
        )

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"total_investment": "-1"}, "total_investment"),
            ({"total_investment": "1e20"}, "total_investment"),
            ({"total_investment": "abc"}, "total_investment"),
            ({"total_investment": 10**30}, "total_investment"),
            ({"first_contact_date": "2024-02-30"}, "first_contact_date"),
            ({"name": "a\x00b"}, "name"),
            ({"surprise": 1}, "surprise"),
            ({"chain": "nowhere"}, "chain"),
            ({"investor": 2**63}, "investor"),
            ({"signed_date": "2024-01-01", "first_contact_date": "2024-02-01"}, "signed_date"),
        ],
    )
    def test_bad_project_input_is_400_naming_the_field(self, write_client, body, field):
        base = {
            "name": "新项目",
            "chain": ChainFactory().code,
            "investor": EnterpriseFactory().pk,
            "total_investment": "1",
        }
        response = write_client.post("/api/v1/projects/", base | body, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
        assert not Project.objects.exists()

    def test_messages_follow_accept_language(self, write_client):
        body = {"name": "x", "chain": ChainFactory().code, "investor": EnterpriseFactory().pk, "total_investment": "-1"}
        chinese = write_client.post("/api/v1/projects/", body, format="json").json()["total_investment"][0]
        english = write_client.post("/api/v1/projects/", body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
        assert "0" in chinese and any("\u4e00" <= char <= "\u9fff" for char in chinese)
        assert "greater than or equal" in english["total_investment"][0]

    def test_non_json_body_is_400_or_415(self, write_client):
        response = write_client.generic("POST", "/api/v1/projects/", "{not json", content_type="application/json")
        assert response.status_code == 400
        response = write_client.generic("POST", "/api/v1/projects/", "a=b", content_type="text/plain")
        assert response.status_code == 415

    def test_visit_with_new_leads(self, write_client):
        chain = ChainFactory(code="nev")
        body = {
            "date": "2024-03-02",
            "leaders": [LeaderFactory().pk, LeaderFactory().pk],
            "host_unit": unit_named("经信局").pk,
            "enterprise": EnterpriseFactory().pk,
            "chains": ["nev"],
            "purpose": "走访",
            "new_projects": [{"name": "驱动电机扩产", "chain": "nev", "total_investment": "300"}],
        }
        response = write_client.post("/api/v1/visits/", body, format="json")
        assert response.status_code == 201, response.json()
        visit = InvestmentVisit.objects.get()
        assert visit.projects.get().chain == chain and visit.projects.get().source == "visit"

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"leaders": []}, "leaders"),
            ({"date": "2999-01-01"}, "date"),
            ({"leaders": [999999]}, "leaders"),
            ({"new_projects": [{"name": "x", "chain": "nev", "total_investment": "-5"}]}, "new_projects"),
        ],
    )
    def test_bad_visit_input_is_400_and_writes_nothing(self, write_client, change, field):
        ChainFactory(code="nev")
        body = {
            "date": "2024-03-02",
            "leaders": [LeaderFactory().pk],
            "host_unit": unit_named("经信局").pk,
            "enterprise": EnterpriseFactory().pk,
            "purpose": "走访",
        } | change
        response = write_client.post("/api/v1/visits/", body, format="json")
        assert response.status_code == 400 and field in response.json()
        assert not InvestmentVisit.objects.exists() and not Project.objects.exists()

    def test_visit_update_keeps_links_not_sent(self, write_client):
        leader = LeaderFactory()
        visit = InvestmentVisitFactory(leaders=[leader])
        response = write_client.patch(
            f"/api/v1/visits/{visit.pk}/", {"outcome": "达成意向"}, format="json", **current_tag(visit)
        )
        assert response.status_code == 200 and response.json()["leaders"] == [leader.pk]


class TestVisitFilters:
    def test_filters(self, read_client):
        nev = ChainFactory(code="nev")
        leader, other_leader = LeaderFactory(), LeaderFactory()
        user = UserFactory()
        saturday = InvestmentVisitFactory(date=D(2024, 3, 2), leaders=[leader], chains=[nev], recorded_by=user)
        tuesday = InvestmentVisitFactory(date=D(2024, 3, 5), leaders=[other_leader])
        url = "/api/v1/visits/"
        assert ids(read_client.get(url, {"saturday": "true"})) == [saturday.pk]
        assert ids(read_client.get(url, {"saturday": "false"})) == [tuesday.pk]
        assert ids(read_client.get(url, {"date_from": "2024-03-03"})) == [tuesday.pk]
        assert ids(read_client.get(url, {"date_to": "2024-03-03"})) == [saturday.pk]
        assert ids(read_client.get(url, {"leader": leader.pk})) == [saturday.pk]
        assert ids(read_client.get(url, {"chain": "nev"})) == [saturday.pk]
        assert ids(read_client.get(url, {"enterprise": tuesday.enterprise_id})) == [tuesday.pk]
        assert ids(read_client.get(url, {"recorded_by": user.pk})) == [saturday.pk]
        assert ids(read_client.get(url, {"ordering": "date"})) == [saturday.pk, tuesday.pk]
        assert read_client.get(url, {"leader": "abc"}).status_code == 400


LIST_ENDPOINTS = [
    "/api/v1/projects/",
    "/api/v1/visits/",
    "/api/v1/signing-events/",
    "/api/v1/enterprises/",
    "/api/v1/chains/",
    "/api/v1/chain-nodes/",
    "/api/v1/leaders/",
    "/api/v1/clusters/",
]


def populate(rows: int) -> None:
    for _ in range(rows):
        ChainNodeFactory()
        project = ProjectFactory(
            stage=ProjectStage.SIGNED, signed_date=D(2024, 5, 9), signing_event=SigningEventFactory(date=D(2024, 5, 9))
        )
        InvestmentVisitFactory(leaders=[LeaderFactory(), LeaderFactory()], chains=[project.chain], projects=[project])


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_list_query_budget_does_not_depend_on_page_size(read_client, url, django_assert_max_num_queries):
    populate(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert read_client.get(url, {"page_size": 1}).status_code == 200
    populate(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = read_client.get(url, {"page_size": 100})
    assert len(response.json()["results"]) > 1


@pytest.mark.parametrize("url", ["/api/v1/projects/{}/", "/api/v1/visits/{}/", "/api/v1/signing-events/{}/"])
def test_detail_query_budget(read_client, url, django_assert_max_num_queries):
    populate(1)
    model = {"projects": Project, "visits": InvestmentVisit}.get(url.split("/")[3])
    pk = model.objects.first().pk if model else SigningEventFactory._meta.model.objects.first().pk
    # A visit reads its photos too (one query, however many: test_photo_pages).
    with django_assert_max_num_queries(7 if model is InvestmentVisit else 6):
        assert read_client.get(url.format(pk)).status_code == 200


def test_fast_project_list_matches_the_serializer_exactly(read_client):
    """The list is built from plain rows; it must equal what the serializer makes of the same projects."""
    from projects.api.serializers import ProjectSerializer
    from projects.funds_stats import with_funds

    event = SigningEventFactory(date=D(2024, 5, 9))
    ProjectFactory(
        stage=ProjectStage.SIGNED,
        signed_date=D(2024, 5, 9),
        signing_event=event,
        foreign_investment=Decimal("12345.6"),
        land_area=Decimal("80"),
        responsible_official=UserFactory(),
        investor=EnterpriseFactory(fortune500=True),
        town="乍浦镇",
    )
    small = ProjectFactory(total_investment=Decimal("0.5"), responsible_unit=unit_named("乍浦镇人民政府"))
    ProjectFactory(responsible_unit=None, responsible_unit_text="待对应的单位")
    ProjectFunds.objects.create(
        project=small, month=D(2024, 1, 1), domestic_funds=Decimal("0.2"), actual_foreign_investment=1
    )
    body = read_client.get("/api/v1/projects/").json()["results"]
    projects = with_funds(Project.objects.with_major()).select_related("investor", "chain")
    expected = [dict(row) for row in ProjectSerializer(projects.order_by("-updated_at", "-id"), many=True).data]
    assert body == json_roundtrip(expected)
    assert {row["responsible_unit"] for row in body} >= {"乍浦镇人民政府", "待对应的单位"}
    cursor_body = read_client.get("/api/v1/projects/", {"cursor": ""}).json()["results"]
    assert cursor_body == json_roundtrip(sorted(expected, key=lambda row: row["id"]))


def test_unfiltered_project_list_compiles_its_page_once_and_reads_the_rows_every_time(read_client):
    """The unfiltered list's SQL is kept (pinghu.api.values_list.PreparedRows); its rows, count and rates are not."""
    from pinghu.api.values_list import _PREPARED
    from projects.api.views import ProjectViewSet
    from projects.models import ExchangeRate

    ExchangeRate.objects.all().delete()
    ExchangeRate.objects.create(year=2020, cny_per_usd=Decimal("7"))
    first = ProjectFactory(total_investment=Decimal("50000"))
    page_one = {"page_size": 1}
    assert [row["major"] for row in read_client.get("/api/v1/projects/", page_one).json()["results"]] == [False]
    rows = _PREPARED[ProjectViewSet, "unfiltered"][1]
    compiled = rows._compiled.cache_info()

    # A new row, a changed row and a changed rate all show on the next requests; page 1 from the SQL compiled.
    second = ProjectFactory(name="新项目")
    Project.objects.filter(pk=first.pk).update(name="改名")
    ExchangeRate.objects.filter(year=2020).update(cny_per_usd=Decimal("4"))
    body = read_client.get("/api/v1/projects/", page_one).json()
    assert body["count"] == 2 and [row["id"] for row in body["results"]] == [second.pk]
    after = rows._compiled.cache_info()
    assert (after.misses, after.hits) == (compiled.misses, compiled.hits + 1)
    body = read_client.get("/api/v1/projects/").json()
    assert {row["id"]: (row["name"], row["major"]) for row in body["results"]} == {
        first.pk: ("改名", True),
        second.pk: ("新项目", False),
    }

    # The same rows as the list built for a request that names its ordering (not kept), page by page.
    for page in (1, 2):
        prepared = read_client.get("/api/v1/projects/", {"page_size": 1, "page": page}).json()
        built = read_client.get("/api/v1/projects/", {"page_size": 1, "page": page, "ordering": "-updated_at"}).json()
        assert (prepared["count"], prepared["results"]) == (built["count"], built["results"])
        assert len(prepared["results"]) == 1
    assert read_client.get("/api/v1/projects/", {"page": 2}).status_code == 404
    Project.objects.all().delete()
    assert read_client.get("/api/v1/projects/").json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_project_list_page_query_count(read_client, django_assert_num_queries):
    """The token (and its first use recorded), the exchange rates, the count and the page (a superuser's token)."""
    populate(3)
    with django_assert_num_queries(5):
        response = read_client.get("/api/v1/projects/", {"page_size": 100})
    assert len(response.json()["results"]) == 3


def test_project_csv_export_bytes(read_client):
    """Every kind of cell as the export writes it: BOM, decimals, dates, times, labels, yes/no, unknowns, formulas."""
    import datetime as dt

    from django.utils import timezone

    from projects.fields import PROJECT_COLUMNS

    project = ProjectFactory(
        name="=SUM(A1)",
        stage=ProjectStage.SIGNED,
        signed_date=D(2024, 5, 9),
        total_investment=Decimal("12345.60"),
        land_area=Decimal("80"),
        is_capital_increase=True,
        town="乍浦镇",
        responsible_unit=None,
        responsible_unit_text="待对应\x01的单位",
        investor=EnterpriseFactory(name="投资方", fortune500=True),
    )
    Project.objects.filter(pk=project.pk).update(updated_at=dt.datetime(2024, 5, 9, 1, 2, 3, tzinfo=dt.UTC))
    ProjectFunds.objects.create(
        project=project, month=D(2024, 1, 1), domestic_funds=Decimal("100.5"), actual_foreign_investment=0
    )
    response = read_client.get("/api/v1/projects/", {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeffID,名称,产业链,投资方,") and body.count("\r\n") == 2
    row = {
        name: value
        for name, value in zip(
            PROJECT_COLUMNS, next(csv.DictReader(io.StringIO(body.removeprefix("\ufeff")))).values(), strict=True
        )
    }
    assert row["name"] == "'=SUM(A1)" and row["investor"] == "投资方" and row["stage"] == "签约"
    assert row["total_investment"] == "12345.60" and row["land_area"] == "80.00" and row["registered_capital"] == ""
    assert row["signed_date"] == "2024-05-09" and row["registered_date"] == ""
    assert row["is_capital_increase"] == "是" and row["major"] == "是" and row["responsible_unit"] == "待对应的单位"
    assert row["updated_at"] == timezone.localtime(dt.datetime(2024, 5, 9, 1, 2, 3, tzinfo=dt.UTC)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert row["town"] == "乍浦镇" and Decimal(row["funds_in_place"]) == Decimal("100.5")
    # (SQLite writes the funds' sums and rate unrounded, PostgreSQL as its numeric columns: 100.50, 0.0081.)
    assert Decimal(row["funds_rate"]).quantize(Decimal("0.0001")) == Decimal("0.0081")


def json_roundtrip(data):
    import json

    from rest_framework.renderers import JSONRenderer

    return json.loads(JSONRenderer().render(data))


def test_a_conference_gives_its_announced_totals_beside_the_recorded_ones(read_client):
    """The 2023-05-09 conference announced 28 projects and 122亿元 none of which are named: both figures, apart."""
    from django.core.management import call_command

    call_command("seed_pinghu", stdout=io.StringIO())
    (row,) = read_client.get("/api/v1/signing-events/").json()["results"]
    assert (row["announced_project_count"], Decimal(row["announced_investment"])) == (28, Decimal("1220000"))
    assert (row["project_count"], Decimal(row["total_investment"])) == (0, 0)
    schema = read_client.get("/api/schema/", {"format": "json"}).json()
    properties = schema["components"]["schemas"]["SigningEvent"]["properties"]
    assert "公布" in properties["announced_investment"]["description"]
    assert "系统内已登记" in properties["project_count"]["description"]
