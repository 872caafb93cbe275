"""The per-mu API: /api/v1/enterprise-metrics/ (list, filters, export, writes) and the per-mu statistics."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from chains.models import EnterpriseAnnualMetric
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from tests.factories import (
    EnterpriseAnnualMetricFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    PerMuGradeSchemeFactory,
    UserFactory,
)

from .test_metrics import firms  # noqa: F401 - the hand-computed data set

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprise-metrics/"
D = Decimal


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["enterprise_name"] for row in response.json()["results"]]


def client_for(role: str, scope: str = "write") -> APIClient:
    user = UserFactory(roles=[role])
    _token, key = api_token_issue(user=user, scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_list_carries_derived_figures_grade_and_rank(read_client, firms):  # noqa: F811
    body = read_client.get(URL, {"year": 2024}).json()
    assert body["count"] == 5
    by_name = {row["enterprise_name"]: row for row in body["results"]}
    row = by_name["丙"]
    assert (row["tax_per_mu"], row["output_per_mu"], row["energy_per_output"]) == ("8.3333", "150.0000", "0.1000")
    assert (row["grade"], row["rank"], row["town"], row["year"]) == ("C", 4, "新埭镇", 2024)
    assert by_name["丁"]["energy_per_output"] is None
    assert [r["tax_per_mu"] for r in body["results"]] == ["35.0000", "35.0000", "20.0000", "8.3333", "2.5000"]
    detail = read_client.get(f"{URL}{row['id']}/")
    assert detail.json()["grade"] == "C" and detail["ETag"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"town": "乍浦镇"}, {"甲", "乙"}),
        ({"chain": "cnc"}, {"乙", "丙"}),
        ({"grade": "A"}, {"甲", "戊"}),
        ({"grade": ["C", "D"]}, {"丙", "丁"}),
        ({"chain": "nev", "grade": "B"}, {"乙"}),
        ({"year": 2023}, set()),
        ({"search": "丙"}, {"丙"}),
    ],
)
def test_filters(read_client, firms, query, expected):  # noqa: F811
    assert set(names(read_client.get(URL, query))) == expected


def test_filter_by_enterprise(read_client, firms):  # noqa: F811
    assert names(read_client.get(URL, {"enterprise": firms["乙"].enterprise_id})) == ["乙"]


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "1999"},
        {"year": "99999999999999999999"},
        {"grade": "E"},
        {"chain": "nope"},
        {"town": "上海"},
        {"enterprise": "x"},
        {"ordering": "rank"},
    ],
)
def test_bad_filters_are_400(read_client, firms, query):  # noqa: F811
    assert read_client.get(URL, query).status_code == 400


def test_ordering(read_client, firms):  # noqa: F811
    assert names(read_client.get(URL, {"ordering": "land_area"}))[:2] == ["丁", "戊"]
    assert names(read_client.get(URL, {"ordering": "tax_per_mu"})) == ["丁", "丙", "乙", "甲", "戊"]  # ties by id


def test_csv_export_has_derived_columns(read_client, firms):  # noqa: F811
    response = read_client.get(URL, {"year": 2024, "grade": ["C", "D"], "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    assert "亩均税收（万元/亩）" in header and "等级" in header
    by_name = {row[header.index("企业")]: row for row in rows[1:]}
    assert set(by_name) == {"丙", "丁"}
    assert by_name["丙"][header.index("等级")] == "C"
    assert D(by_name["丙"][header.index("亩均税收（万元/亩）")]) == D("8.3333")


def test_xlsx_export(read_client, firms):  # noqa: F811
    response = read_client.get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_export_is_for_bureau_staff(firms):  # noqa: F811
    assert client_for(Role.OFFICIAL, "read").get(URL, {"format": "csv"}).status_code == 403
    assert client_for(Role.BUREAU_STAFF, "read").get(URL, {"format": "csv"}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(read_client, django_assert_max_num_queries):
    for _ in range(3):
        EnterpriseChainRoleFactory(enterprise=EnterpriseAnnualMetricFactory().enterprise)
    with CaptureQueriesContext(connection) as few:
        assert read_client.get(URL).status_code == 200
    for _ in range(25):
        EnterpriseChainRoleFactory(enterprise=EnterpriseAnnualMetricFactory().enterprise)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert read_client.get(URL, {"page_size": 100}).json()["count"] == 28


# ---------------------------------------------------------------- writes


def payload(enterprise, **changes) -> dict:
    return {
        "enterprise": enterprise.pk,
        "year": 2024,
        "land_area": "80.00",
        "tax_paid": "1200.00",
        "industrial_output": "45000.00",
        "revenue": "47000.00",
        "energy_use": "3200.00",
        "employees": 350,
        "rd_spending": "1500.00",
    } | changes


def test_bureau_staff_create_and_get_the_derived_figures():
    firm = EnterpriseFactory()
    response = client_for(Role.BUREAU_STAFF).post(URL, payload(firm), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["tax_per_mu"], body["output_per_mu"], body["energy_per_output"]) == ("15.0000", "562.5000", "0.0711")
    assert (body["grade"], body["rank"]) == ("B", 1)
    assert EnterpriseAnnualMetric.objects.get().history.count() == 1


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CHAIN_LEADER, Role.API_CONSUMER])
def test_other_roles_cannot_write(role):
    firm = EnterpriseFactory()
    assert client_for(role).post(URL, payload(firm), format="json").status_code == 403


def test_read_only_token_cannot_write(read_client):
    assert read_client.post(URL, payload(EnterpriseFactory()), format="json").status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"land_area": "0"}, "land_area"),
        ({"tax_paid": "-1"}, "tax_paid"),
        ({"employees": -3}, "employees"),
        ({"year": 1999}, "year"),
        ({"year": 2999}, "year"),
        ({"grade": "A"}, "grade"),
        ({"rank": 1}, "rank"),
    ],
)
def test_bad_input_is_400_with_the_field(write_client, changes, field):
    response = write_client.post(URL, payload(EnterpriseFactory(), **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_duplicate_year_is_400(write_client):
    metric = EnterpriseAnnualMetricFactory()
    response = write_client.post(URL, payload(metric.enterprise, year=metric.year), format="json")
    assert response.status_code == 400


def test_update_needs_if_match_and_keeps_the_rules(write_client):
    metric = EnterpriseAnnualMetricFactory()
    url = f"{URL}{metric.pk}/"
    assert write_client.patch(url, {"tax_paid": "4000.00"}, format="json").status_code == 428
    etag = write_client.get(url)["ETag"]
    response = write_client.patch(url, {"tax_paid": "4000.00"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert (response.json()["tax_per_mu"], response.json()["grade"]) == ("40.0000", "A")
    stale = write_client.patch(url, {"tax_paid": "1.00"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    fresh = write_client.get(url)["ETag"]
    assert write_client.patch(url, {"land_area": "0"}, format="json", HTTP_IF_MATCH=fresh).status_code == 400
    assert write_client.delete(url).status_code == 405


# ---------------------------------------------------------------- statistics


def test_stats_by_town(read_client, firms):  # noqa: F811
    rows = read_client.get("/api/v1/stats/per-mu/by-town/", {"year": 2024}).json()
    assert [row["town"] for row in rows] == ["", "乍浦镇", "新埭镇"]
    zhapu = rows[1]
    assert zhapu == {
        "firms": 2,
        "total_land_area": "180.00",
        "total_tax_paid": "5100.00",
        "total_industrial_output": "74000.00",
        "tax_per_mu": "28.3333",
        "output_per_mu": "411.1111",
        "grade_a": 1,
        "grade_b": 1,
        "grade_c": 0,
        "grade_d": 0,
        "town": "乍浦镇",
        "town_label": "乍浦镇",
    }


def test_stats_by_chain(read_client, firms):  # noqa: F811
    rows = read_client.get("/api/v1/stats/per-mu/by-chain/", {"year": 2024}).json()
    assert [(row["code"], row["firms"], row["tax_per_mu"]) for row in rows] == [
        ("nev", 3, "29.7826"),
        ("cnc", 2, "15.0000"),
    ]


def test_stats_use_the_year_scheme(read_client, firms):  # noqa: F811
    PerMuGradeSchemeFactory(year=2024, tax_per_mu_a=D(40), tax_per_mu_b=D(20), tax_per_mu_c=D(10))
    nev = read_client.get("/api/v1/stats/per-mu/by-chain/", {"year": 2024}).json()[0]
    assert (nev["grade_a"], nev["grade_b"]) == (0, 3)


def test_stats_default_to_the_latest_complete_year_with_figures(read_client, firms, monkeypatch):  # noqa: F811
    from chains import stats

    monkeypatch.setattr(stats, "last_complete_year", lambda: 2025)
    assert len(read_client.get("/api/v1/stats/per-mu/by-town/").json()) == 3


@pytest.mark.parametrize("query", [{"year": "x"}, {"year": 1999}, {"year": 2101}, {"town": "乍浦镇"}])
def test_stats_bad_query_is_400(read_client, query):
    assert read_client.get("/api/v1/stats/per-mu/by-town/", query).status_code == 400
    assert read_client.get("/api/v1/stats/per-mu/by-chain/", query).status_code == 400


def test_stats_need_authentication(api_client):
    assert api_client.get("/api/v1/stats/per-mu/by-town/").status_code == 401
    assert api_client.get(URL).status_code == 401
