"""Recording a visit through the API: its query budget, and the one history record it leaves (issue 22)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from pinghu.history import attributed_to
from pinghu.permissions import Role
from pinghu.services import api_token_issue
from projects.models import InvestmentVisit, Project
from projects.services import visit_create
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    user = UserFactory(username="an-official", roles=[Role.OFFICIAL])
    _token, key = api_token_issue(user=user, scope="write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return user, client


def visit_body(**change) -> dict:
    return {
        "date": "2024-03-02",
        "leaders": [LeaderFactory().pk, LeaderFactory().pk],
        "host_unit": unit_named("经信局").pk,
        "enterprise": EnterpriseFactory().pk,
        "chains": [ChainFactory().code],
        "purpose": "走访",
    } | change


def new_visit() -> InvestmentVisit:
    return InvestmentVisit(
        date="2024-03-05", enterprise=EnterpriseFactory(), purpose="x", host_unit=unit_named("经信局")
    )


def test_posting_a_visit_with_a_key_costs_a_fixed_number_of_queries(official):
    """The load bench's post: 71 queries before issue 22 (three history records, the answer read twice)."""
    _user, client = official
    client.post("/api/v1/visits/", visit_body(), format="json", HTTP_IDEMPOTENCY_KEY="warm-up")
    body = visit_body()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 201, response.content
    # The token with its user's permissions 1 (pinghu.token_read), claiming the key 4, the input 5 (one per leader),
    # the service's transaction 2, full_clean 6 (its three check constraints in one query: pinghu.check_constraints;
    # 12 before), the visit 1 and its links 4, one history record with its
    # links 6, webhooks 1, the answer read once 5, storing it 1, the transaction 1.
    assert len(queries.captured_queries) == 37, "\n".join(q["sql"][:120] for q in queries.captured_queries)


def test_a_visit_posted_leaves_one_record_of_its_final_state_by_its_author(official):
    user, client = official
    body = visit_body()
    response = client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 201, response.content
    visit = InvestmentVisit.objects.get(pk=response.json()["id"])
    record = visit.history.get()
    assert (record.history_type, record.history_user, record.purpose) == ("+", user, "走访")
    assert {row.leader_id for row in record.leaders.all()} == set(body["leaders"])
    assert [row.chain.code for row in record.chains.all()] == body["chains"]
    # The answer is the row as read back: the database's is_saturday, the links.
    answer = response.json()
    assert answer["is_saturday"] is True and sorted(answer["leaders"]) == sorted(body["leaders"])
    assert answer["chains"] == body["chains"] and answer["recorded_by"] == user.username


def test_a_visit_with_a_new_lead_keeps_the_project_link_in_its_record(official):
    _user, client = official
    chain = ChainFactory(code="nev")
    body = visit_body(
        chains=["nev"], new_projects=[{"name": "驱动电机扩产", "chain": "nev", "total_investment": "300"}]
    )
    response = client.post("/api/v1/visits/", body, format="json")
    assert response.status_code == 201, response.content
    visit = InvestmentVisit.objects.get()
    record = visit.history.get()
    assert [row.project_id for row in record.projects.all()] == [visit.projects.get().pk]
    assert visit.projects.get().chain == chain and response.json()["projects"] == [visit.projects.get().pk]


def test_the_one_record_keeps_an_attribution_and_a_change_reason():
    """Written through simple-history's own path: ``attributed_to`` and ``_change_reason`` reach it as before."""
    importer = UserFactory(username="importer")
    visit = InvestmentVisit(
        date="2024-03-05", enterprise=EnterpriseFactory(), purpose="x", host_unit=unit_named("经信局")
    )
    visit._change_reason = "恢复"
    with attributed_to(importer, "导入"):
        visit_create(visit=visit, leaders=[LeaderFactory()], by=None)
    record = visit.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", importer, "恢复")


def test_a_failed_create_leaves_no_record():
    visit = InvestmentVisit(
        date="2024-03-05", enterprise=EnterpriseFactory(), purpose="x", host_unit=unit_named("经信局")
    )
    with pytest.raises(ValidationError, match="new_projects"):
        visit_create(visit=visit, leaders=[LeaderFactory()], by=None, new_projects=[Project(name="")])
    assert not InvestmentVisit.history.exists()
