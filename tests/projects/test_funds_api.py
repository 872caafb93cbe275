"""The /api/v1/project-funds/ resource and the funds statistics endpoints."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pinghu.concurrency import etag_of
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from projects.models import ProjectFunds
from projects.services import project_funds_create
from tests.factories import ChainFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/project-funds/"
D = datetime.date


def record(project, month, domestic="100", foreign="0"):
    return project_funds_create(
        project=project,
        month=month,
        domestic_funds=Decimal(domestic),
        actual_foreign_investment=Decimal(foreign),
        by=None,
    )


def client_for(api_client, role, scope="write"):
    user = UserFactory(username=f"u-{role}", roles=[role])
    _token, key = api_token_issue(user=user, scope=scope)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api_client


def test_create_read_correct_with_version(write_client):
    project = ProjectFactory()
    body = {
        "project": project.pk,
        "month": "2024-03-01",
        "domestic_funds": "1200.00",
        "actual_foreign_investment": "150.00",
        "source_note": "商务局外资统计",
    }
    created = write_client.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["entered_by"] == "root"
    again = write_client.post(URL, body, format="json")
    assert again.status_code == 400
    assert "请更正该记录" in again.content.decode()
    row = ProjectFunds.objects.get()
    url = f"{URL}{row.pk}/"
    assert write_client.patch(url, {"domestic_funds": "1300"}, format="json").status_code == 428
    stale = write_client.patch(url, {"domestic_funds": "1300"}, format="json", HTTP_IF_MATCH='"2000-01-01"')
    assert stale.status_code == 412
    fresh = write_client.patch(url, {"domestic_funds": "1300"}, format="json", HTTP_IF_MATCH=etag_of(row))
    assert fresh.status_code == 200, fresh.content
    assert fresh.json()["domestic_funds"] == "1300.00"
    assert ProjectFunds.objects.count() == 1
    assert row.history.count() == 2


def test_refuses_negative_and_future(write_client):
    project = ProjectFactory()
    negative = write_client.post(
        URL,
        {"project": project.pk, "month": "2024-03-01", "domestic_funds": "-1", "actual_foreign_investment": "0"},
        format="json",
    )
    assert negative.status_code == 400
    future = write_client.post(
        URL,
        {"project": project.pk, "month": "2099-01-01", "domestic_funds": "1", "actual_foreign_investment": "0"},
        format="json",
    )
    assert future.status_code == 400
    assert "month" in future.json()


def test_filters(read_client):
    a, b = ChainFactory(code="a"), ChainFactory(code="b")
    p1, p2 = ProjectFactory(chain=a, town="当湖街道"), ProjectFactory(chain=b)
    record(p1, D(2024, 1, 1))
    record(p1, D(2024, 3, 1))
    record(p2, D(2024, 3, 1))

    def ids(**params):
        response = read_client.get(URL, params)
        assert response.status_code == 200, response.content
        return len(response.json()["results"])

    assert ids() == 3
    assert ids(project=p1.pk) == 2
    assert ids(chain="a") == 2
    assert ids(month_from="2024-02-15") == 2  # February names its month
    assert ids(month_from="2024-01-01", month_to="2024-01-31") == 1
    assert ids(town="当湖街道") == 2
    assert read_client.get(URL, {"nonsense": 1}).status_code == 400


def test_roles(api_client):
    project = ProjectFactory()
    body = {"project": project.pk, "month": "2024-03-01", "domestic_funds": "1", "actual_foreign_investment": "0"}
    official = client_for(api_client, Role.OFFICIAL)
    assert official.get(URL).status_code == 200  # officials read
    assert official.post(URL, body, format="json").status_code == 403
    staff = client_for(api_client, Role.BUREAU_STAFF)
    assert staff.post(URL, body, format="json").status_code == 201


def test_list_queries_do_not_grow_with_rows(read_client):
    project = ProjectFactory()
    record(project, D(2024, 1, 1))
    read_client.get(URL)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        assert read_client.get(URL).status_code == 200
    for month in range(2, 9):
        record(ProjectFactory(), D(2024, month, 1))
    with CaptureQueriesContext(connection) as many:
        assert len(read_client.get(URL).json()["results"]) == 8
    assert len(many.captured_queries) == len(one.captured_queries)


def test_export_csv(read_client):
    record(ProjectFactory(name="出口项目"), D(2024, 1, 1), "12.5", "3")
    response = read_client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert "出口项目" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_stats_endpoints(read_client):
    """P1 (chain a, 当湖街道) 2024-01 100 + 10 USD and 2024-04 50 (outside); P2 (chain b, no town) 2024-02 0 + 0."""
    a, b = ChainFactory(code="a"), ChainFactory(code="b")
    p1, p2 = ProjectFactory(chain=a, town="当湖街道"), ProjectFactory(chain=b)
    record(p1, D(2024, 1, 1), "100", "10")
    record(p1, D(2024, 4, 1), "50", "0")
    record(p2, D(2024, 2, 1), "0", "0")
    period = {"start": "2024-01-01", "end": "2024-03-31"}
    summary = read_client.get("/api/v1/stats/summary/", period).json()
    assert (summary["funds_in_place"], summary["foreign_paid_in"], summary["projects_with_funds"]) == (
        "100.00",
        "10.00",
        1,
    )
    rows = {row["code"]: row for row in read_client.get("/api/v1/stats/by-chain/", period).json()}
    assert rows["a"]["funds_in_place"] == "100.00"
    assert rows["b"]["projects_with_funds"] == 0
    assert rows[None]["foreign_paid_in"] == "10.00"
    towns = {row["town"]: row for row in read_client.get("/api/v1/stats/funds/by-town/", period).json()}
    assert towns["当湖街道"]["funds_in_place"] == "100.00"
    assert towns[""]["projects_with_funds"] == 0
