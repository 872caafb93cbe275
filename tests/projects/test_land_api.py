"""The land-parcel API (/api/v1/land-parcels/: filters, export, If-Match writes, supply) and /api/v1/stats/land/."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from pinghu.permissions import Role
from pinghu.services import api_token_issue
from projects.choices import ParcelStatus
from tests.factories import EnterpriseFactory, LandParcelFactory, ProjectFactory, UserFactory

from .test_land import land  # noqa: F401 - the hand-computed data set

pytestmark = pytest.mark.django_db
URL = "/api/v1/land-parcels/"


def client_for(role: str, scope: str = "write") -> APIClient:
    _token, key = api_token_issue(user=UserFactory(roles=[role]), scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def test_filters(read_client, land):  # noqa: F811
    assert numbers(read_client.get(URL, {"town": "新埭镇"})) == ["K3", "K4", "K5"]
    assert numbers(read_client.get(URL, {"status": ["idle", "low_efficiency"]})) == ["K5", "K6"]
    assert numbers(read_client.get(URL, {"recycled": "true"})) == ["K1", "K3", "K5"]
    origin = read_client.get(URL, {"recycled": "true"}).json()["results"][0]["origin"]
    assert numbers(read_client.get(URL, {"origin": origin, "status": "supplied"})) == ["K1", "K3"]
    assert numbers(read_client.get(URL, {"use": "other"})) == []
    assert read_client.get(URL, {"status": "bogus"}).status_code == 400


def test_list_queries_do_not_grow_with_rows(read_client):
    for _ in range(3):
        LandParcelFactory(origin=EnterpriseFactory())
    read_client.get(URL)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        read_client.get(URL)
    for _ in range(10):
        parcel = LandParcelFactory(origin=EnterpriseFactory())
        parcel.status, parcel.project = ParcelStatus.SUPPLYING, ProjectFactory()
        parcel.save()
    with CaptureQueriesContext(connection) as many:
        assert len(numbers(read_client.get(URL))) == 13
    assert len(many) == len(few)


def test_csv_export_has_chinese_headers(land):  # noqa: F811
    response = client_for(Role.BUREAU_STAFF, "read").get(URL, {"format": "csv", "status": "supplied"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["地块编号", "镇街道", "面积（亩）"]
    assert [row[0] for row in rows[1:]] == ["K1", "K2", "K3", "K4"]
    assert rows[1][4] == "已供"


def test_bureau_staff_write_with_if_match_and_officials_read():
    bureau, official = client_for(Role.BUREAU_STAFF), client_for(Role.OFFICIAL)
    body = {"number": "平湖-001", "town": "新埭镇", "land_area": "12.50", "status": "idle"}
    assert official.post(URL, body, format="json").status_code == 403
    created = bureau.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    url = f"{URL}{created.json()['id']}/"
    read = official.get(url)
    assert read.status_code == 200
    assert bureau.patch(url, {"notes": "x"}, format="json").status_code == 428
    changed = bureau.patch(url, {"status": "low_efficiency"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert changed.status_code == 200, changed.content
    assert bureau.patch(url, {"notes": "y"}, format="json", HTTP_IF_MATCH=read["ETag"]).status_code == 412
    assert bureau.post(URL, {**body, "land_area": "0"}, format="json").status_code == 400


def test_supply_action():
    bureau, official = client_for(Role.BUREAU_STAFF), client_for(Role.OFFICIAL)
    parcel, first, second = LandParcelFactory(), ProjectFactory(), ProjectFactory()
    url = f"{URL}{parcel.pk}/supply/"
    assert official.post(url, {"project": first.pk, "date": "2024-05-01"}, format="json").status_code == 403
    supplied = bureau.post(url, {"project": first.pk, "date": "2024-05-01"}, format="json")
    assert supplied.status_code == 200, supplied.content
    assert (supplied.json()["status"], supplied.json()["project"]) == ("supplied", first.pk)
    again = bureau.post(url, {"project": second.pk, "date": "2024-05-02"}, format="json")
    assert again.status_code == 400 and "project" in again.json()


def test_land_stats(read_client, land):  # noqa: F811
    response = read_client.get("/api/v1/stats/land/", {"start": "2024-01-01", "end": "2024-03-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["land_supplied"], body["land_recycled"]) == ("60.75", "40.75")
    assert [(row["town"], row["land_supplied"]) for row in body["by_town"]] == [
        ("当湖街道", "30.50"),
        ("新埭镇", "30.25"),
    ]
    assert [(row["chain"], row["land_recycled"]) for row in body["by_chain"]] == [("a", "40.75"), ("b", "0.00")]
    town = read_client.get("/api/v1/stats/land/", {"start": "2024-01-01", "end": "2024-03-31", "town": "新埭镇"})
    assert town.json()["parcels_supplied"] == 1
    assert read_client.get("/api/v1/stats/land/", {"town": "nowhere"}).status_code == 400


def test_summary_has_the_article_figures(read_client):
    body = read_client.get("/api/v1/stats/summary/").json()
    assert {"saturday_projects_engaged", "top_official_person_times", "saturday_top_official_person_times"} <= set(body)
