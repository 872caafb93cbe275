"""/api/v1/targets/, /api/v1/assessment-weights/ and /api/v1/stats/targets/: writes, refusals, roles and figures."""

import datetime
from decimal import Decimal

import pytest

from pinghu.concurrency import etag_of
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from targets.models import AssessmentWeight, Target
from tests.factories import UserFactory
from tests.targets.conftest import target

pytestmark = pytest.mark.django_db
URL = "/api/v1/targets/"
STATS = "/api/v1/stats/targets/"


def client_for(api_client, role, scope="write"):
    user = UserFactory(username=f"u-{role}", roles=[role])
    _token, key = api_token_issue(user=user, scope=scope)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api_client


def test_bureau_staff_set_change_and_delete_a_target(api_client, world):
    client = client_for(api_client, Role.BUREAU_STAFF)
    body = {"year_from": 2025, "scope_kind": "chain", "chain": "a", "metric": "signed_investment", "value": "50000"}
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["year_to"], data["unit_of_measure"], data["set_by"]) == (2025, "cny_10k", f"u-{Role.BUREAU_STAFF}")
    again = client.post(URL, body, format="json")
    assert again.status_code == 400
    made = Target.objects.get()
    url = f"{URL}{made.pk}/"
    assert client.patch(url, {"value": "60000"}, format="json").status_code == 428
    changed = client.patch(url, {"value": "60000"}, format="json", HTTP_IF_MATCH=etag_of(made))
    assert changed.status_code == 200, changed.content
    assert Target.objects.get().value == Decimal("60000")
    assert client.delete(url).status_code == 204
    assert not Target.objects.exists()
    assert made.history.count() == 3


def test_a_zero_target_is_refused_with_the_field_named(api_client, world):
    client = client_for(api_client, Role.BUREAU_STAFF)
    answer = client.post(
        URL,
        {"year_from": 2025, "scope_kind": "city", "metric": "signed_projects", "value": "0"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert answer.status_code == 400
    assert answer.json()["value"] == ["目标值：目标必须大于零。"]
    assert not Target.objects.exists()


def test_visits_by_town_and_a_scope_without_its_reference_are_refused(api_client, world):
    client = client_for(api_client, Role.BUREAU_STAFF)
    visits = client.post(
        URL,
        {"year_from": 2025, "scope_kind": "town", "town": "乍浦镇", "metric": "visits", "value": "3"},
        format="json",
    )
    assert visits.status_code == 400
    assert "metric" in visits.json()
    chain = client.post(
        URL, {"year_from": 2025, "scope_kind": "chain", "metric": "visits", "value": "3"}, format="json"
    )
    assert chain.status_code == 400
    assert "chain" in chain.json()


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CHAIN_LEADER, Role.API_CONSUMER])
def test_other_roles_read_but_cannot_write(api_client, world, role):
    made = target("signed_projects", "5")
    client = client_for(api_client, role)
    assert client.get(URL).status_code == 200
    assert client.get(STATS, {"year": 2025}).status_code == 200
    body = {"year_from": 2026, "scope_kind": "city", "metric": "signed_projects", "value": "5"}
    assert client.post(URL, body, format="json").status_code == 403
    assert (
        client.patch(f"{URL}{made.pk}/", {"value": "9"}, format="json", HTTP_IF_MATCH=etag_of(made)).status_code == 403
    )
    assert client.delete(f"{URL}{made.pk}/").status_code == 403
    assert (
        client.post("/api/v1/assessment-weights/", {"year": 2025, "metric": "visits", "weight": "2"}).status_code == 403
    )
    assert Target.objects.get().value == Decimal("5")


def test_anonymous_gets_401(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.get(STATS).status_code == 401


def test_filters_and_unknown_parameters(api_client, world):
    target("signed_projects", "5")
    target("signed_projects", "2", scope_kind="chain", chain=world["a"])
    target("chain_output", "2500000", scope_kind="chain", chain=world["a"], year_from=2023, year_to=2025)
    target("signed_projects", "1", scope_kind="unit", unit="平湖市商务局")
    client = client_for(api_client, Role.OFFICIAL)
    assert client.get(URL, {"year": 2024}).json()["count"] == 1  # the multi-year target covers 2024
    assert client.get(URL, {"chain": "a"}).json()["count"] == 2
    assert client.get(URL, {"scope_kind": "city", "metric": "signed_projects"}).json()["count"] == 1
    assert client.get(URL, {"unit": "平湖市 商务局"}).json()["count"] == 1
    assert client.get(URL, {"colour": "red"}).status_code == 400


def test_weights(api_client):
    client = client_for(api_client, Role.BUREAU_STAFF)
    url = "/api/v1/assessment-weights/"
    created = client.post(url, {"year": 2025, "metric": "visits", "weight": "2"}, format="json")
    assert created.status_code == 201, created.content
    assert (
        client.post(url, {"year": 2025, "metric": "funds_in_place", "weight": "-1"}, format="json").status_code == 400
    )
    row = AssessmentWeight.objects.get()
    moved = client.patch(f"{url}{row.pk}/", {"metric": "funds_in_place"}, format="json", HTTP_IF_MATCH=etag_of(row))
    assert moved.status_code == 400
    changed = client.patch(f"{url}{row.pk}/", {"weight": "3"}, format="json", HTTP_IF_MATCH=etag_of(row))
    assert changed.status_code == 200, changed.content
    assert AssessmentWeight.objects.get().weight == Decimal("3")


def test_stats_by_hand(api_client, world):
    target("signed_projects", "6")
    target("signed_projects", "2", scope_kind="town", town="当湖街道")
    target("signed_projects", "2", scope_kind="town", town="钟埭街道")
    target("funds_in_place", "1000", scope_kind="chain", chain=world["a"])
    client = client_for(api_client, Role.OFFICIAL)
    answer = client.get(STATS, {"year": 2025, "as_of": "2025-08-20"})
    assert answer.status_code == 200, answer.content
    rows = answer.json()["results"]
    city = next(row for row in rows if row["scope_kind"] == "city")
    assert {key: city[key] for key in ("actual", "completion", "time_progress", "gap_points", "status", "rank")} == {
        "actual": "3.00",
        "completion": "0.5000",
        "time_progress": "0.5833",
        "gap_points": "-8.33",
        "status": "behind",
        "rank": None,
    }
    towns = client.get(STATS, {"year": 2025, "as_of": "2025-08-20", "scope": "town"}).json()["results"]
    # 当湖街道: P1 (March); 钟埭街道: P2 (2025-07-15): 1 of 2 each, a tie.
    assert sorted((row["scope"], row["completion"], row["rank"]) for row in towns) == [
        ("当湖街道", "0.5000", 1),
        ("钟埭街道", "0.5000", 1),
    ]
    chain = client.get(STATS, {"year": 2025, "as_of": "2025-06-30", "scope": "chain:a"}).json()
    assert [(row["scope"], row["actual"], row["status"]) for row in chain["results"]] == [("a", "300.00", "far_behind")]
    assert chain["as_of"] == "2025-06-30"
    assert client.get(STATS, {"scope": "chain:nowhere"}).status_code == 400
    assert client.get(STATS, {"colour": "red"}).status_code == 400
    assert client.get(STATS, {"as_of": "1900-01-01"}).status_code == 400
    assert client.get(STATS, {"year": "1900"}).status_code == 400


def test_stats_default_day_of_a_past_year(api_client, world):
    target("signed_projects", "6")
    client = client_for(api_client, Role.OFFICIAL)
    answer = client.get(STATS, {"year": 2025}).json()
    assert answer["as_of"] == datetime.date(2025, 12, 31).isoformat()  # today is later: the year's last day
    assert answer["results"][0]["actual"] == "3.00"


def test_stats_list_scopes_and_metrics_in_their_order(api_client, world):
    """City first, then clusters, chains, towns, units; within a scope the metrics' list order (not alphabetical)."""
    target("visits", "10", scope_kind="unit", unit="平湖市商务局")
    target("funds_in_place", "1000", scope_kind="chain", chain=world["b"])
    target("signed_projects", "2", scope_kind="chain", chain=world["a"])
    target("funds_in_place", "1000")
    target("signed_projects", "6")
    target("signed_investment", "500", scope_kind="cluster", cluster=world["x"])
    client = client_for(api_client, Role.OFFICIAL)
    rows = client.get(STATS, {"year": 2025, "as_of": "2025-08-20"}).json()["results"]
    assert [(row["scope_kind"], row["scope"], row["metric"]) for row in rows] == [
        ("city", "", "signed_projects"),
        ("city", "", "funds_in_place"),
        ("cluster", "x", "signed_investment"),
        ("chain", "a", "signed_projects"),
        ("chain", "b", "funds_in_place"),
        ("unit", "平湖市商务局", "visits"),
    ]


def test_a_rule_of_the_whole_target_answers_under_non_field_errors(api_client, world):
    """A second target for the same years, scope and metric (the model's own rule): DRF's key, not Django's."""
    target("visits", "10")
    client = client_for(api_client, Role.BUREAU_STAFF)
    answer = client.post(
        URL, {"year_from": 2025, "scope_kind": "city", "metric": "visits", "value": "12"}, format="json"
    )
    assert answer.status_code == 400 and list(answer.json()) == ["non_field_errors"], answer.content
