"""Deletions reach those who poll: tombstones by any ORM path, and ``?deleted_since=`` on visits, projects, problems."""

import datetime

import pytest
from django.utils import timezone

from pinghu.models import Tombstone
from projects.models import InvestmentVisit
from projects.services import project_delete, visit_delete
from tests.factories import EnterpriseFactory, EnterpriseIssueFactory, InvestmentVisitFactory, ProjectFactory


def _at(moment):
    """Tombstones written now are moved to ``moment`` (the clock is the database's, not ours)."""
    Tombstone.objects.filter(deleted_at__gte=timezone.now() - datetime.timedelta(minutes=1)).update(deleted_at=moment)


@pytest.mark.django_db
def test_a_deletion_by_service_admin_or_the_orm_leaves_a_tombstone_and_a_rollback_none(admin_client):
    from django.db import transaction

    visits = [InvestmentVisitFactory() for _ in range(3)]
    visit_ids = [visit.pk for visit in visits]
    visit_delete(visits[0])
    admin_client.post(f"/admin/projects/investmentvisit/{visits[1].pk}/delete/", {"post": "yes"})
    with pytest.raises(RuntimeError), transaction.atomic():
        visit_delete(visits[2])
        raise RuntimeError
    project = ProjectFactory()
    project_id = project.pk
    project_delete(project)
    issue = EnterpriseIssueFactory(enterprise=EnterpriseFactory())
    issue_id = issue.pk
    issue.delete()  # the ORM's own delete, as a shell or a script would
    assert sorted(Tombstone.objects.values_list("model", "object_id")) == sorted(
        [
            ("projects.investmentvisit", visit_ids[0]),
            ("projects.investmentvisit", visit_ids[1]),
            ("projects.project", project_id),
            ("aftercare.enterpriseissue", issue_id),
        ]
    )
    assert InvestmentVisit.objects.filter(pk=visit_ids[2]).exists()


@pytest.mark.django_db
def test_deleted_since_lists_the_ids_deleted_since_then_on_the_first_page(read_client):
    kept, early, late = InvestmentVisitFactory(), InvestmentVisitFactory(), InvestmentVisitFactory()
    t1 = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
    early_id, late_id = early.pk, late.pk
    visit_delete(early)
    _at(t1)
    visit_delete(late)
    _at(t1 + datetime.timedelta(hours=2))
    body = read_client.get("/api/v1/visits/", {"deleted_since": "2026-05-01T10:00:00Z"}).json()
    assert body["deleted"] == [{"id": late_id, "deleted_at": "2026-05-01T19:00:00+08:00"}]
    assert body["deleted_truncated"] is False
    assert [row["id"] for row in body["results"]] == [kept.pk]
    # Inclusive, and in any offset: 17:00 in Shanghai is 09:00 UTC.
    body = read_client.get("/api/v1/visits/", {"deleted_since": "2026-05-01T17:00:00+08:00"}).json()
    assert [row["id"] for row in body["deleted"]] == [early_id, late_id]
    # Only the first page carries them; without the parameter, neither key.
    assert (
        "deleted"
        not in read_client.get(
            "/api/v1/visits/", {"deleted_since": "2026-05-01T00:00Z", "page": 2, "page_size": 1}
        ).json()
    )
    assert "deleted" not in read_client.get("/api/v1/visits/").json()
    cursor = read_client.get("/api/v1/visits/", {"deleted_since": "2026-05-01T00:00Z", "cursor": ""}).json()
    assert len(cursor["deleted"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", "0001-01-01T00:00:00Z", ""])
def test_a_bad_deleted_since_is_a_400_naming_it(read_client, value):
    response = read_client.get("/api/v1/visits/", {"deleted_since": value})
    assert response.status_code == 400 and "deleted_since" in response.json()


@pytest.mark.django_db
def test_projects_and_problems_answer_deleted_since_too_and_a_restored_id_is_left_out(read_client):
    project, other = ProjectFactory(), ProjectFactory()
    project_id = project.pk
    project_delete(project)
    issue = EnterpriseIssueFactory()
    issue_id = issue.pk
    issue.delete()
    since = {"deleted_since": (timezone.now() - datetime.timedelta(minutes=5)).isoformat()}
    assert [row["id"] for row in read_client.get("/api/v1/projects/", since).json()["deleted"]] == [project_id]
    assert [row["id"] for row in read_client.get("/api/v1/enterprise-issues/", since).json()["deleted"]] == [issue_id]
    # Restored (the same id back): no longer listed as deleted.
    Tombstone.objects.create(model="projects.project", object_id=other.pk)
    assert [row["id"] for row in read_client.get("/api/v1/projects/", since).json()["deleted"]] == [project_id]


@pytest.mark.django_db
def test_the_list_with_deleted_since_costs_one_query_more(read_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        InvestmentVisitFactory()
    for _ in range(3):
        visit_delete(InvestmentVisitFactory())
    with CaptureQueriesContext(connection) as plain:
        read_client.get("/api/v1/visits/")
    with django_assert_max_num_queries(len(plain.captured_queries) + 1):
        body = read_client.get("/api/v1/visits/", {"deleted_since": "2000-01-01T00:00:00Z"}).json()
    assert len(body["deleted"]) == 3
