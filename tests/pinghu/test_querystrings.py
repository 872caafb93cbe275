"""``?format=`` is dropped in one place (``pinghu.querystrings.without_format``), for pages and the API."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from pinghu.querystrings import without_format


def test_format_and_the_named_parameters_are_dropped_the_rest_kept():
    params = QueryDict("format=xlsx&page=3&stage=lead&stage=signed&chain=ic")

    query = without_format(params, "page")

    assert query.urlencode() == "stage=lead&stage=signed&chain=ic"
    assert without_format(params).dict() == {"page": "3", "stage": "signed", "chain": "ic"}
    assert params["format"] == "xlsx"  # the request's own parameters are left as they were


@pytest.mark.django_db
def test_a_list_page_carries_its_filters_but_not_a_format_onto_its_links(admin_client):
    response = admin_client.get(reverse("projects:project-list"), {"format": "xlsx", "page": "1", "stage": "lead"})

    assert response.context["query"] == "stage=lead"
    assert "/api/v1/projects/?stage=lead&format=csv" in response.content.decode()


@pytest.mark.django_db
def test_a_statistics_endpoint_accepts_format_beside_its_own_parameters(write_client):
    response = write_client.get("/api/v1/stats/per-mu/by-town/", {"format": "json"})

    assert response.status_code == 200, response.content
