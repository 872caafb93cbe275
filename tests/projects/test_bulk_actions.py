"""The project list's bulk actions: who may use each, all rows or none, history, the export of the selection."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from pinghu.permissions import Role
from projects.choices import ProjectStage
from projects.models import Project
from projects.services import project_bulk_hold, project_create
from projects.services.selection import SelectionRefused
from tests.factories import ChainFactory, EnterpriseFactory, SigningEventFactory, UserFactory, unit_named

pytestmark = pytest.mark.django_db
URL = reverse("projects:project-selection")
D = datetime.date


def _project(name: str, **fields) -> Project:
    fields.setdefault("chain", ChainFactory(code=f"c-{name}"))
    return project_create(
        project=Project(name=name, investor=EnterpriseFactory(), total_investment=1000, **fields), by=None
    )


@pytest.fixture
def rows():
    return [
        _project("甲项目", first_contact_date=D(2024, 1, 5)),
        _project("乙项目", stage=ProjectStage.NEGOTIATING, first_contact_date=D(2024, 2, 1)),
    ]


def _client(*roles, username="someone") -> tuple[Client, object]:
    user = UserFactory(username=username, roles=list(roles))
    client = Client()
    client.force_login(user)
    return client, user


def _texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_bureau_staff_put_the_selection_on_hold_with_history(rows):
    client, user = _client(Role.BUREAU_STAFF)
    response = client.post(
        URL,
        {"selected": [p.pk for p in rows], "action": "hold", "reason": "企业资金链紧张", "date": "2024-03-01"},
    )
    assert response.status_code == 302
    assert _texts(response) == ["已对 2 个项目完成操作。"]
    for project in rows:
        project.refresh_from_db()
        assert project.stage == ProjectStage.ON_HOLD
        change = project.stage_changes.order_by("-pk").first()
        assert change.note == "企业资金链紧张" and change.by == user and change.at == D(2024, 3, 1)
    history = get_history_model_for_model(Project).objects.filter(id=rows[0].pk).order_by("-history_id").first()
    assert history.history_user_id == user.pk and history.history_change_reason == "批量操作：暂缓"


def test_a_partial_failure_changes_nothing_and_names_the_rows(rows):
    done = _project(
        "丙项目",
        stage=ProjectStage.PRODUCTION,
        signed_date=D(2023, 5, 1),
        registered_date=D(2023, 6, 1),
        construction_date=D(2023, 7, 1),
        production_date=D(2024, 1, 1),
    )
    client, _user = _client(Role.BUREAU_STAFF)
    before = {p.pk: p.stage for p in Project.objects.all()}
    response = client.post(
        URL, {"selected": [rows[0].pk, done.pk, rows[1].pk], "action": "hold", "reason": "暂缓", "date": "2024-03-01"}
    )
    texts = _texts(response)
    assert texts[0] == "未作任何更改：3 个项目中有 1 个被拒绝。"
    assert len(texts) == 2 and texts[1].startswith("丙项目：") and "暂缓" in texts[1], texts
    assert {p.pk: p.stage for p in Project.objects.all()} == before
    assert not rows[0].stage_changes.filter(to_stage=ProjectStage.ON_HOLD).exists()


def test_the_service_refuses_the_lot(rows):
    rows[1].refresh_from_db()
    project_bulk_hold(projects=[rows[1]], reason="一", on_date=D(2024, 3, 1), by=None)
    with pytest.raises(SelectionRefused) as refused:
        project_bulk_hold(projects=rows, reason="二", on_date=D(2024, 3, 2), by=None)
    assert [project.name for project, _reasons in refused.value.failures] == ["乙项目"]
    rows[0].refresh_from_db()
    assert rows[0].stage == ProjectStage.LEAD


def test_assign_a_unit_and_sign_at_a_conference(rows):
    client, _user = _client(Role.BUREAU_STAFF)
    unit = unit_named("平湖经济技术开发区")
    response = client.post(
        URL, {"selected": [p.pk for p in rows], "action": "assign_unit", "responsible_unit": unit.pk}
    )
    assert _texts(response) == ["已对 2 个项目完成操作。"]
    assert set(Project.objects.values_list("responsible_unit", flat=True)) == {unit.pk}

    event = SigningEventFactory(date=D(2024, 4, 10))
    client.post(URL, {"selected": [p.pk for p in rows], "action": "sign", "signing_event": event.pk})
    for project in rows:
        project.refresh_from_db()
        assert project.signing_event == event and project.stage == ProjectStage.SIGNED
        assert project.signed_date == D(2024, 4, 10)


@pytest.mark.parametrize("role", [Role.BUREAU_STAFF, Role.ADMIN])
def test_bureau_staff_and_admins_assign_the_official(rows, role):
    official = UserFactory(username="wang", roles=[Role.OFFICIAL])
    data = {"selected": [p.pk for p in rows], "action": "assign_official", "responsible_official": official.pk}
    client, _user = _client(role)
    response = client.post(URL, data)
    assert _texts(response) == ["已对 2 个项目完成操作。"]
    assert set(Project.objects.values_list("responsible_official", flat=True)) == {official.pk}


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CHAIN_LEADER, Role.API_CONSUMER])
@pytest.mark.parametrize("action", ["hold", "assign_unit", "sign", "assign_official"])
def test_other_roles_may_not(rows, role, action):
    client, _user = _client(role)
    data = {"selected": [rows[0].pk], "action": action, "reason": "x", "date": "2024-03-01"}
    assert client.post(URL, data).status_code == 403
    rows[0].refresh_from_db()
    assert rows[0].stage == ProjectStage.LEAD


def test_the_list_shows_check_boxes_to_bureau_staff_only(rows):
    client, _user = _client(Role.BUREAU_STAFF)
    html = client.get(reverse("projects:project-list")).content.decode()
    assert 'name="selected"' in html and 'value="hold"' in html and 'value="assign_official"' in html
    client, _user = _client(Role.OFFICIAL, username="official")
    html = client.get(reverse("projects:project-list")).content.decode()
    assert 'name="selected"' not in html


def test_a_missing_field_is_named(rows):
    client, _user = _client(Role.BUREAU_STAFF)
    response = client.post(URL, {"selected": [rows[0].pk], "action": "hold", "reason": " ", "date": "2024-03-01"})
    assert _texts(response) == ["暂缓原因: 请填写暂缓原因。"]
    response = client.post(URL, {"action": "hold", "reason": "x", "date": "2024-03-01"})
    assert _texts(response)[-1] == "所选项目: 请至少选择一个项目。"


def test_export_of_the_selection(rows):
    client, _user = _client(Role.BUREAU_STAFF)
    response = client.post(URL, {"selected": [rows[1].pk], "action": "csv"})
    assert response.status_code == 302
    exported = client.get(response["Location"])
    body = b"".join(exported.streaming_content).decode("utf-8-sig")
    assert "乙项目" in body and "甲项目" not in body
    official, _user = _client(Role.OFFICIAL, username="official")
    assert official.post(URL, {"selected": [rows[1].pk], "action": "csv"}).status_code == 403


def test_the_list_page_query_count_with_the_bulk_form(rows, django_assert_max_num_queries):
    client, _user = _client(Role.BUREAU_STAFF)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("projects:project-list")).status_code == 200
