"""Concurrent edits: a stale write is refused (API: If-Match; admin: a version field); retries are idempotent."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from pinghu.concurrency import version_of
from projects.models import InvestmentVisit, Project
from tests.factories import InvestmentVisitFactory, LeaderFactory, ProjectFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["projects", "visits"])
def test_two_api_clients_editing_the_same_version_one_wins_one_gets_412(write_client, kind):
    row = ProjectFactory() if kind == "projects" else InvestmentVisitFactory(leaders=[LeaderFactory()])
    url = f"/api/v1/{kind}/{row.pk}/"
    field = "responsible_unit" if kind == "projects" else "outcome"
    unit_named("第一个"), unit_named("第二个")  # the units the patches name
    etag = write_client.get(url)["ETag"]
    first = write_client.patch(url, {field: "第一个"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag
    second = write_client.patch(url, {field: "第二个"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    assert second.json()["detail"] == "该记录在您读取后已被修改：请重新读取后再提交修改。"
    row.refresh_from_db()
    assert str(getattr(row, field)) == "第一个"
    # With the fresh tag the second client's change goes through.
    assert write_client.patch(url, {field: "第二个"}, format="json", HTTP_IF_MATCH=first["ETag"]).status_code == 200


def test_a_write_without_if_match_is_428(write_client):
    project = ProjectFactory(name="原名")
    response = write_client.patch(f"/api/v1/projects/{project.pk}/", {"name": "新名"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    project.refresh_from_db()
    assert project.name == "原名"


def visit_body(leader) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "leaders": [leader.pk],
        "host_unit": unit_named("经信局").pk,
        "enterprise": InvestmentVisitFactory._meta.model._meta.get_field("enterprise")
        .related_model.objects.create(name="重试企业")
        .pk,
        "purpose": "走访",
    }


def test_a_retried_visit_with_the_same_idempotency_key_is_created_once(write_client):
    body = visit_body(LeaderFactory())
    first = write_client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-123")
    again = write_client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-123")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert InvestmentVisit.objects.count() == 1
    other = write_client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-124")
    assert other.status_code == 201 and InvestmentVisit.objects.count() == 2


def test_an_idempotency_key_reused_for_another_request_is_refused(write_client):
    body = visit_body(LeaderFactory())
    assert write_client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    changed = {**body, "purpose": "另一次走访"}
    response = write_client.post("/api/v1/visits/", changed, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 422
    assert InvestmentVisit.objects.count() == 1


def test_a_failed_request_does_not_use_up_its_key(write_client):
    body = visit_body(LeaderFactory())
    bad = {**body, "date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}
    assert write_client.post("/api/v1/visits/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k2").status_code == 400
    assert (
        write_client.post(
            "/api/v1/visits/", bad | {"date": body["date"]}, format="json", HTTP_IDEMPOTENCY_KEY="k2"
        ).status_code
        == 201
    )


def test_old_idempotency_keys_are_purged_and_a_late_retry_creates_anew(write_client):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from pinghu.models import IdempotencyKey

    body = visit_body(LeaderFactory())
    write_client.post("/api/v1/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="old")
    write_client.post("/api/v1/visits/", {**body, "purpose": "新"}, format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - datetime.timedelta(days=8))
    out = StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert "1" in out.getvalue()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    with pytest.raises(CommandError):
        call_command("purge_idempotency_keys", "--days", "0")


def test_the_admin_refuses_a_stale_project_form_and_says_who_changed_it():
    project = ProjectFactory(name="原名")
    admin = UserFactory(username="admin1", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = f"/admin/projects/project/{project.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data = {key: (value.pk if hasattr(value, "pk") else value) for key, value in data.items()}
    # Someone else saves the project meanwhile.
    Project.objects.get(pk=project.pk).save()
    data |= {"name": "我的修改", "version": form["version"].value()}
    data |= {
        f"{prefix}-{suffix}": "0"
        for prefix in ("stage_changes", "follow_ups")
        for suffix in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "您打开后" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "原名"
    assert form["version"].value() != version_of(project)
