"""Restoring from the audit history: an earlier version, or a deleted project or visit, whole."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pinghu.history import history_entries
from pinghu.permissions import Role
from projects.models import FollowUp, InvestmentVisit, Project
from projects.restore import project_restore, visit_restore
from projects.rollups import rollup_differences
from projects.services import (
    project_create,
    project_delete,
    project_transition,
    visit_create,
    visit_delete,
    visit_update,
)
from tests.factories import ChainFactory, EnterpriseFactory, LeaderFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db
D = datetime.date


def in_step() -> bool:
    return not any(rollup_differences().values())


@pytest.fixture
def world():
    a, b = ChainFactory(code="a", name="甲链"), ChainFactory(code="b", name="乙链")
    leaders = [LeaderFactory(name=f"领导{n}") for n in range(3)]
    project = project_create(
        project=Project(
            name="原名",
            chain=a,
            investor=EnterpriseFactory(),
            total_investment=Decimal("100.50"),
            first_contact_date=D(2024, 1, 5),
        ),
        by=None,
    )
    project = project_transition(
        project, "signed", by=None, on_date=D(2024, 2, 1), stage_dates={"negotiating": D(2024, 1, 20)}
    )
    FollowUp.objects.create(project=project, date=D(2024, 2, 2), note="电话")
    visit = visit_create(
        visit=InvestmentVisit(
            date=D(2024, 3, 2), host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访"
        ),
        leaders=leaders[:2],
        chains=[a, b],
        projects=[project],
        by=None,
    )
    return {"a": a, "b": b, "leaders": leaders, "project": project, "visit": visit}


def snapshot(project: Project) -> dict:
    project.refresh_from_db()
    return {
        "fields": {
            f.attname: getattr(project, f.attname) for f in Project._meta.concrete_fields if f.name != "updated_at"
        },
        "stages": list(project.stage_changes.values_list("pk", "from_stage", "to_stage", "at")),
        "follow_ups": list(project.follow_ups.values_list("pk", "note")),
        "visits": list(project.visit_links.values_list("visit_id", flat=True)),
    }


def test_a_deleted_project_comes_back_whole(world):
    project = world["project"]
    pk, before = project.pk, snapshot(project)
    project_delete(project)
    assert not Project.objects.filter(pk=pk).exists()
    assert in_step()
    restored = project_restore(Project.history.filter(id=pk).latest("history_date"))
    assert restored.pk == pk
    assert snapshot(restored) == before
    assert in_step()  # its pipeline counts are back
    latest = Project.history.filter(id=pk).latest("history_date")
    assert latest.history_type == "+" and "恢复" in latest.history_change_reason


def test_a_restored_project_leaves_out_links_to_visits_deleted_since(world):
    project, visit = world["project"], world["visit"]
    pk, stages = project.pk, project.stage_changes.count()
    project_delete(project)
    visit_delete(visit)
    restored = project_restore(Project.history.filter(id=pk).latest("history_date"))
    assert not restored.visit_links.exists() and restored.stage_changes.count() == stages
    assert in_step()


def test_an_earlier_version_of_a_project_restores_its_fields_not_its_stage(world):
    project = world["project"]
    first = Project.history.filter(id=project.pk).earliest("history_date")
    project.name, project.total_investment = "新名", Decimal("999")
    project.save()
    restored = project_restore(first)
    assert (restored.name, restored.total_investment, restored.stage) == ("原名", Decimal("100.50"), "signed")
    assert restored.signed_date == D(2024, 2, 1)
    assert in_step()
    assert "恢复" in Project.history.filter(id=project.pk).latest("history_date").history_change_reason


def test_a_project_deleted_outside_the_services_is_restored_with_its_stage_history(world):
    pk, stages = world["project"].pk, world["project"].stage_changes.count()
    record = Project.history.filter(id=pk).latest("history_date")
    Project.objects.filter(pk=pk).delete()  # a queryset delete: no batch reason on its history rows
    restored = project_restore(record)
    assert restored.pk == pk and restored.stage_changes.count() == stages
    assert in_step()


def test_a_follow_up_whose_author_is_gone_comes_back_without_its_author(world):
    project = world["project"]
    author = UserFactory(username="left-the-bureau")
    FollowUp.objects.filter(project=project).update(author=author)
    pk = project.pk
    project_delete(project)
    author.delete()
    restored = project_restore(Project.history.filter(id=pk).latest("history_date"))
    assert list(restored.follow_ups.values_list("note", "author")) == [("电话", None)]


def test_restoring_a_project_with_no_deletion_on_record_is_refused():
    with pytest.raises(ValidationError, match="没有可恢复|no deletion"):
        project_restore(Project.history.model(id=999_999, history_type="~"))


def test_a_deleted_visit_comes_back_with_its_leaders_chains_and_projects(world):
    visit = world["visit"]
    pk = visit.pk
    visit_delete(visit)
    assert in_step()
    restored = visit_restore(InvestmentVisit.history.filter(id=pk).latest("history_date"))
    assert restored.pk == pk
    assert set(restored.leaders.all()) == set(world["leaders"][:2])
    assert set(restored.chains.all()) == {world["a"], world["b"]}
    assert list(restored.projects.all()) == [world["project"]]
    assert in_step()  # visits per day and chain are back


def test_an_earlier_version_of_a_visit_restores_its_links_too(world):
    visit = world["visit"]
    version = InvestmentVisit.history.filter(id=visit.pk).latest("history_date")
    visit.purpose = "改后"
    visit_update(visit=visit, leaders=[world["leaders"][2]], chains=[world["b"]], projects=[])
    restored = visit_restore(version)
    assert restored.purpose == "走访"
    assert set(restored.leaders.all()) == set(world["leaders"][:2])
    assert set(restored.chains.all()) == {world["a"], world["b"]}
    assert in_step()


def test_a_visit_whose_leaders_are_all_gone_cannot_be_restored(world):
    visit = world["visit"]
    pk = visit.pk
    visit_delete(visit)
    for leader in world["leaders"][:2]:
        leader.delete()
    with pytest.raises(ValidationError, match="至少|leader"):
        visit_restore(InvestmentVisit.history.filter(id=pk).latest("history_date"))
    assert not InvestmentVisit.objects.filter(pk=pk).exists()


def test_visit_history_lists_link_changes_by_name(world):
    visit = world["visit"]
    visit_update(visit=visit, leaders=world["leaders"][:2], chains=[world["b"]], projects=[world["project"]])
    changes = [change for entry in history_entries(visit) for change in entry["changes"]]
    assert {"label": visit._meta.get_field("chains").verbose_name, "old": "甲链、乙链", "new": "乙链"} in [
        {key: change[key] for key in ("label", "old", "new")} for change in changes
    ]


def test_admins_restore_in_the_admin_and_others_cannot(world):
    project = world["project"]
    stages = project.stage_changes.count()
    admin = UserFactory(username="chief-admin", roles=[Role.ADMIN])
    official = UserFactory(username="an-official", roles=[Role.OFFICIAL])
    changelist = reverse("admin:projects_historicalproject_changelist")
    other = Client()
    other.force_login(official)
    assert other.get(changelist).status_code == 403
    client = Client()
    client.force_login(admin)
    delete = reverse("admin:projects_project_delete", args=[project.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    listing = client.get(changelist, {"history_type": "-"})
    assert listing.status_code == 200 and "原名" in listing.content.decode()
    deletion = Project.history.get(id=project.pk, history_type="-")
    assert deletion.history_user == admin and deletion.history_change_reason.startswith("删除批次")
    response = client.post(changelist, {"action": "restore", "_selected_action": [deletion.history_id]})
    assert response.status_code == 302
    assert Project.objects.get(pk=deletion.id).stage_changes.count() == stages
    assert in_step()
