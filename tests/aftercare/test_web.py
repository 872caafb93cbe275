"""Enterprise services through the API and the pages: roles, the problem board, my firms, the enterprise page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from aftercare.models import CadreAssignment, EnterpriseIssue, SalonEvent
from aftercare.services import cadre_assign, issue_advance, issue_create
from chains.models import EnterpriseChainRole
from pinghu.concurrency import etag_of
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def api(user) -> APIClient:
    _token, key = api_token_issue(user=user, scope="write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def site(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def issue(enterprise=None, **fields) -> EnterpriseIssue:
    values = {"channel": "hotline", "category": "land", "description": "用地指标", "received_on": TODAY} | fields
    return issue_create(issue=EnterpriseIssue(enterprise=enterprise or EnterpriseFactory(), **values), by=None)


@pytest.fixture
def people():
    return {
        "official": UserFactory(username="official", roles=[Role.OFFICIAL]),
        "bureau": UserFactory(username="bureau", roles=[Role.BUREAU_STAFF]),
        "consumer": UserFactory(username="consumer", roles=[Role.API_CONSUMER]),
    }


# ---------------------------------------------------------------- API


def test_officials_record_problems_and_bureau_staff_move_them(people):
    firm = EnterpriseFactory()
    body = {"enterprise": firm.pk, "channel": "hotline", "category": "permits", "description": "环评审批慢"}
    body["received_on"] = TODAY.isoformat()
    assert api(people["consumer"]).post("/api/v1/enterprise-issues/", body, format="json").status_code == 403
    created = api(people["official"]).post("/api/v1/enterprise-issues/", body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "received"
    path = f"/api/v1/enterprise-issues/{created.json()['id']}/advance/"
    step = {"to_status": "assigned", "on": TODAY.isoformat(), "unit": unit_named("生态环境分局").pk}
    assert api(people["official"]).post(path, step, format="json").status_code == 403
    moved = api(people["bureau"]).post(path, step, format="json")
    assert moved.status_code == 200
    assert moved.json()["status"] == "assigned" and [s["to_status"] for s in moved.json()["steps"]] == [
        "received",
        "assigned",
    ]
    refused = api(people["bureau"]).post(path, {"to_status": "closed", "on": TODAY.isoformat()}, format="json")
    assert refused.status_code == 400 and "to_status" in refused.json()


def test_the_status_cannot_be_written_directly(people):
    problem = issue()
    path = f"/api/v1/enterprise-issues/{problem.pk}/"
    client = api(people["bureau"])
    response = client.patch(path, {"status": "closed"}, format="json", HTTP_IF_MATCH=etag_of(problem))
    assert response.status_code == 400 and "status" in response.json()
    changed = client.patch(path, {"description": "更正"}, format="json", HTTP_IF_MATCH=etag_of(problem))
    assert changed.status_code == 200 and changed.json()["description"] == "更正"


def test_list_filters_overdue_and_chain(people):
    chain = ChainFactory(code="nev")
    firm = EnterpriseFactory()
    EnterpriseChainRole.objects.create(enterprise=firm, chain=chain)
    late = issue(firm, received_on=TODAY - datetime.timedelta(days=30))
    issue_advance(
        late,
        "assigned",
        on=TODAY - datetime.timedelta(days=29),
        by=None,
        unit=unit_named("经信局"),
        due_date=TODAY - datetime.timedelta(days=1),
    )
    issue()
    client = api(people["consumer"])
    overdue = client.get("/api/v1/enterprise-issues/", {"overdue": "true"}).json()
    assert [row["id"] for row in overdue["results"]] == [late.pk]
    in_chain = client.get("/api/v1/enterprise-issues/", {"chain": "nev"}).json()
    assert [row["id"] for row in in_chain["results"]] == [late.pk]
    bad = client.get("/api/v1/enterprise-issues/", {"status": "nonsense"})
    assert bad.status_code == 400


def test_list_query_count_does_not_grow(people, django_assert_max_num_queries):
    client = api(people["consumer"])
    for _ in range(3):
        issue()
    with django_assert_max_num_queries(12) as small:
        client.get("/api/v1/enterprise-issues/")
    for _ in range(20):
        issue()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/v1/enterprise-issues/")


def test_export_is_for_bureau_staff(people):
    issue()
    assert api(people["consumer"]).get("/api/v1/enterprise-issues/", {"format": "csv"}).status_code == 403
    response = api(people["bureau"]).get("/api/v1/enterprise-issues/", {"format": "csv"})
    assert response.status_code == 200
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert "受理日期" in header or "received" in header


def test_stats_endpoint_matches_the_definitions(people):
    one = issue(received_on=D(2024, 1, 10))
    issue_advance(one, "resolved", on=D(2024, 1, 14), by=None, note="ok")
    issue(received_on=D(2024, 1, 11), channel="enterprise_code")
    response = api(people["consumer"]).get(
        "/api/v1/stats/issues/", {"start": "2024-01-01", "end": "2024-12-31", "by": "channel"}
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["collected"], data["resolved"], data["resolution_rate"], data["average_days_to_resolve"]) == (
        2,
        1,
        "0.5000",
        "4.0",
    )
    assert {row["key"]: row["collected"] for row in data["breakdown"]} == {"enterprise_code": 1, "hotline": 1}
    assert api(people["consumer"]).get("/api/v1/stats/issues/", {"by": "nonsense"}).status_code == 400


def test_salons_and_cadres_through_the_api(people):
    host, firms = LeaderFactory(), [EnterpriseFactory(), EnterpriseFactory()]
    body = {"date": "2023-06-01", "host": host.pk, "place": "经开区", "enterprises": [firm.pk for firm in firms]}
    created = api(people["bureau"]).post("/api/v1/salon-events/", body, format="json")
    assert created.status_code == 201 and SalonEvent.objects.get().enterprises.count() == 2
    assert api(people["official"]).post("/api/v1/salon-events/", body, format="json").status_code == 403
    future = body | {"date": (TODAY + datetime.timedelta(days=3)).isoformat()}
    refused = api(people["bureau"]).post("/api/v1/salon-events/", future, format="json")
    assert refused.status_code == 400 and "date" in str(refused.json()) and SalonEvent.objects.count() == 1
    first = {"enterprise": firms[0].pk, "cadre_leader": host.pk, "start_date": "2023-01-01"}
    assert api(people["bureau"]).post("/api/v1/cadre-assignments/", first, format="json").status_code == 201
    second = {"enterprise": firms[0].pk, "cadre_user": people["official"].pk, "start_date": "2023-07-01"}
    assert api(people["bureau"]).post("/api/v1/cadre-assignments/", second, format="json").status_code == 201
    assert CadreAssignment.objects.current().get(enterprise=firms[0]).cadre_user == people["official"]
    both = {
        "enterprise": firms[1].pk,
        "cadre_user": people["official"].pk,
        "cadre_leader": host.pk,
        "start_date": "2023-01-01",
    }
    assert api(people["bureau"]).post("/api/v1/cadre-assignments/", both, format="json").status_code == 400


def test_not_visited_endpoint(people):
    firm = EnterpriseFactory(name="久未走访")
    cadre_assign(enterprise=firm, cadre_user=people["official"], start_date=D(2023, 1, 1))
    rows = api(people["consumer"]).get("/api/v1/stats/not-visited/", {"days": 30}).json()
    assert rows == [{"id": firm.pk, "name": "久未走访", "last_contact": None}]


# ---------------------------------------------------------------- pages


def test_the_board_shows_figures_and_marks_overdue_problems(people, django_assert_max_num_queries):
    late = issue(received_on=TODAY - datetime.timedelta(days=10))
    issue_advance(
        late,
        "assigned",
        on=TODAY - datetime.timedelta(days=9),
        by=None,
        unit=unit_named("经信局"),
        due_date=TODAY - datetime.timedelta(days=1),
    )
    client = site(people["official"])
    with django_assert_max_num_queries(20):
        page = client.get(reverse("aftercare:issue-list"))
    html = page.content.decode()
    assert page.status_code == 200 and "data-overdue" in html and page.context["summary"]["overdue"] == 1
    assert (
        "format=xlsx" not in html
        and "format=xlsx" in site(people["bureau"]).get(reverse("aftercare:issue-list")).content.decode()
    )
    assert Client().get(reverse("aftercare:issue-list")).status_code == 302


def test_recording_a_problem_on_the_site(people):
    EnterpriseFactory(name="平湖某企业")
    client = site(people["official"])
    url = reverse("aftercare:issue-new")
    body = {
        "enterprise_name": "平湖某企业",
        "channel": "hotline",
        "category": "finance",
        "description": "融资难",
        "received_on": TODAY.isoformat(),
    }
    response = client.post(url, body)
    problem = EnterpriseIssue.objects.get()
    assert response.status_code == 302 and problem.recorded_by == people["official"]
    unknown = client.post(url, body | {"enterprise_name": "不存在的企业"})
    assert unknown.status_code == 200 and "enterprise_name" in unknown.context["form"].errors
    assert site(people["consumer"]).get(url).status_code == 403


def test_moving_a_problem_on_the_site(people):
    problem = issue()
    url = reverse("aftercare:issue-advance", args=[problem.pk])
    step = {"to_status": "resolved", "on": TODAY.isoformat(), "note": "已协调"}
    assert site(people["official"]).post(url, step).status_code == 403
    page = site(people["bureau"]).get(reverse("aftercare:issue-detail", args=[problem.pk]))
    assert page.context["moves"] == ["assigned", "resolved", "rejected"]
    bad_date = site(people["bureau"]).post(url, step | {"on": "not-a-date"}, follow=True)
    assert "日期" in str(list(bad_date.context["messages"])[0])  # the field's label leads the message
    assert site(people["bureau"]).post(url, step).status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.resolution_note) == ("resolved", "已协调")
    refused = site(people["bureau"]).post(
        url, {"to_status": "assigned", "on": TODAY.isoformat(), "unit": unit_named("x").pk}, follow=True
    )
    assert "不能变为" in refused.content.decode() or "cannot become" in refused.content.decode()


def test_my_firms_lists_the_cadres_current_firms(people):
    mine, other = EnterpriseFactory(name="我的企业"), EnterpriseFactory(name="别人的企业")
    leader = LeaderFactory(user=people["official"])
    cadre_assign(enterprise=mine, cadre_leader=leader, start_date=D(2023, 1, 1))
    cadre_assign(enterprise=other, cadre_user=people["bureau"], start_date=D(2023, 1, 1))
    issue(mine)
    page = site(people["official"]).get(reverse("aftercare:my-firms"))
    firms = list(page.context["firms"])
    assert [firm.name for firm in firms] == ["我的企业"] and firms[0].open_issues == 1


def test_the_enterprise_page_gathers_everything(people, django_assert_max_num_queries):
    firm = EnterpriseFactory(name="综合企业")
    EnterpriseChainRole.objects.create(enterprise=firm, chain=ChainFactory(name="某链"), is_lead=True)
    issue(firm, description="物流通道")
    client = site(people["official"])
    with django_assert_max_num_queries(14):  # 13: the parcels recycled from the firm; 14: its visits' photos
        page = client.get(reverse("aftercare:enterprise-detail", args=[firm.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "某链" in html and "物流通道" in html and "enterprise-metrics" in html


def test_the_not_visited_page(people):
    firm = EnterpriseFactory(name="久未联系")
    cadre_assign(enterprise=firm, cadre_user=people["official"], start_date=D(2023, 1, 1))
    page = site(people["official"]).get(reverse("aftercare:not-visited"), {"days": "abc"})
    assert page.status_code == 200 and page.context["days"] == 90 and "久未联系" in page.content.decode()


def test_a_land_renewal_links_a_low_grade_firm_to_its_replacement_project(people):
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from aftercare.models import LandRenewal
    from tests.factories import ProjectFactory

    firm, project = EnterpriseFactory(name="低效企业"), ProjectFactory(name="功能膜项目")
    LandRenewal.objects.create(enterprise=firm, project=project, land_area=Decimal("80"))
    with pytest.raises(ValidationError):
        LandRenewal(enterprise=firm, project=project).full_clean()
    with pytest.raises(ValidationError):
        LandRenewal(enterprise=EnterpriseFactory(), project=project, land_area=Decimal("0")).full_clean()
    html = site(people["official"]).get(reverse("aftercare:enterprise-detail", args=[firm.pk])).content.decode()
    assert "功能膜项目" in html and "renewals" in html
    admin_page = site(people["bureau"]).get(reverse("admin:aftercare_landrenewal_add"))
    assert admin_page.status_code == 200
    assert site(people["official"]).get(reverse("admin:aftercare_landrenewal_add")).status_code == 403
