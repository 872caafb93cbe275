"""Every API list refuses a query parameter it does not read, naming it, instead of answering unfiltered."""

import pytest

from tests.factories import InvestmentVisitFactory, LeaderFactory, ProjectFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/clusters/",
    "/api/v1/chains/",
    "/api/v1/chain-nodes/",
    "/api/v1/leaders/",
    "/api/v1/enterprises/",
    "/api/v1/enterprise-metrics/",
    "/api/v1/visits/",
    "/api/v1/projects/",
    "/api/v1/signing-events/",
    "/api/v1/enterprise-issues/",
    "/api/v1/salon-events/",
    "/api/v1/cadre-assignments/",
]
STATS = [
    "/api/v1/stats/summary/",
    "/api/v1/stats/by-chain/",
    "/api/v1/stats/pipeline/",
    "/api/v1/stats/monthly/",
    "/api/v1/stats/issues/",
    "/api/v1/stats/not-visited/",
    "/api/v1/stats/per-mu/by-town/",
    "/api/v1/stats/per-mu/by-chain/",
]


def test_an_unknown_filter_on_visits_is_refused_naming_it(read_client):
    InvestmentVisitFactory(leaders=[LeaderFactory()])
    response = read_client.get("/api/v1/visits/?cluster=it")
    assert response.status_code == 400
    assert list(response.json()) == ["cluster"]
    assert "cluster" in response.json()["cluster"][0] and "未知的查询参数" in response.json()["cluster"][0]


def test_the_message_follows_the_request_language(read_client):
    response = read_client.get("/api/v1/visits/?cluster=it", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["cluster"][0].startswith("Unknown query parameter cluster;")


@pytest.mark.parametrize("url", LISTS + STATS)
def test_every_list_and_statistic_refuses_an_unknown_parameter(read_client, url):
    response = read_client.get(url, {"no_such_filter": "1"})
    assert response.status_code == 400, response.content
    assert "no_such_filter" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        {"page": "1", "page_size": "10"},
        {"cursor": ""},
        {"ordering": "-updated_at"},
        {"search": "项目"},
        {"format": "json"},
        {"chain": "nev", "stage": "signed", "signed_from": "2024-01-01", "major": "true"},
    ],
)
def test_paging_ordering_search_format_and_filters_are_accepted(read_client, query):
    ProjectFactory(chain__code="nev")
    assert read_client.get("/api/v1/projects/", query).status_code == 200


def test_detail_reads_are_not_checked_as_lists(read_client):
    project = ProjectFactory()
    assert read_client.get(f"/api/v1/projects/{project.pk}/", {"format": "json"}).status_code == 200
