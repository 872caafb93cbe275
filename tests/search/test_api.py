"""``?q=`` on the API's lists: the same search as the pages (FilterSets), described in the schema."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

LISTS = {
    "enterprises": ("ccqc", "great_wall"),
    "projects": ("ccqc", "project"),
    "visits": ("changcheng", "visit"),
    "enterprise-issues": ("ccqc", "issue"),
    "leaders": ("zcc", "leader"),
    "units": ("swj", "unit"),
}


@pytest.mark.parametrize("resource", LISTS)
def test_q_on_each_list(admin_client, world, resource):
    q, expected = LISTS[resource]
    response = admin_client.get(f"/api/v1/{resource}/", {"q": q})
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [world[expected].pk]
    # An empty q is no filter.
    everything = admin_client.get(f"/api/v1/{resource}/", {"q": ""}).json()["count"]
    assert everything >= 1


def test_q_and_search_together(admin_client, world):
    response = admin_client.get("/api/v1/projects/", {"q": "changcheng", "search": "整车"})
    assert [row["id"] for row in response.json()["results"]] == [world["project"].pk]
    response = admin_client.get("/api/v1/projects/", {"q": "changcheng", "search": "光伏"})
    assert response.json()["results"] == []


def test_credit_code_prefix_through_the_api(admin_client, world):
    code = world["great_wall"].credit_code[:14]
    response = admin_client.get("/api/v1/enterprises/", {"q": code})
    assert [row["id"] for row in response.json()["results"]] == [world["great_wall"].pk]


def test_too_long_q_is_refused_with_the_field_named(admin_client, db):
    response = admin_client.get("/api/v1/projects/", {"q": "长" * 65})
    assert response.status_code == 400 and "q" in response.json()


def test_schema_describes_q_on_each_list():
    out = StringIO()
    call_command("spectacular", stdout=out)
    paths = yaml.safe_load(out.getvalue())["paths"]
    for resource in LISTS:
        parameters = {p["name"]: p for p in paths[f"/api/v1/{resource}/"]["get"]["parameters"]}
        assert "q" in parameters, resource
        assert "拼音" in parameters["q"]["description"], resource
