"""The pipeline board (/board/): columns, cards, filters, a fixed number of queries, and moves from a card."""

import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pinghu.permissions import Role
from projects.board import CARDS_PER_COLUMN
from projects.choices import ProjectStage
from projects.models import Project
from projects.services import project_create
from tests.factories import ChainFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
BOARD = reverse("projects:board")
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
D = datetime.date


def _project(name: str, chain=None, **fields) -> Project:
    return project_create(
        project=Project(
            name=name,
            chain=chain or ChainFactory(code=f"c-{name}"),
            investor=EnterpriseFactory(name=f"{name}投资方"),
            total_investment=fields.pop("total_investment", 1000),
            **fields,
        ),
        by=None,
    )


def _client(*roles, username="someone") -> Client:
    client = Client()
    client.force_login(UserFactory(username=username, roles=list(roles)))
    return client


def _board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BOARD).status_code == 200
    return len(queries)


def test_columns_cards_and_days_in_stage():
    today = timezone.localdate()
    _project("电机项目", first_contact_date=today - datetime.timedelta(days=12), total_investment=25000)
    _project("电池项目", stage=ProjectStage.SIGNED, signed_date=today - datetime.timedelta(days=3))
    html = _client(Role.OFFICIAL).get(BOARD).content.decode().split('id="board"')[1]
    for stage in ProjectStage.values:
        assert f'data-column="{stage}"' in html
    lead = html.split('data-column="lead"')[1].split("</section>")[0]
    assert "电机项目" in lead and "电机项目投资方" in lead and "2.50 亿元" in lead
    assert "万元</span>" in lead and "25000.00" in lead.replace(",", "") and "12 天" in lead
    assert "3 天" in html.split('data-column="signed"')[1].split("</section>")[0]


def test_the_query_count_does_not_grow_with_the_cards(django_assert_max_num_queries):
    chain = ChainFactory(code="nev")
    _project("一号项目", chain=chain)
    client = _client(Role.BUREAU_STAFF)
    few = _board_queries(client)
    for n in range(CARDS_PER_COLUMN + 5):
        _project(f"项目{n}", chain=chain, stage=ProjectStage.NEGOTIATING)
    _project("暂缓项目", chain=chain)
    assert _board_queries(client) == few
    with django_assert_max_num_queries(12):
        response = client.get(BOARD)
    html = response.content.decode()
    negotiating = html.split('data-column="negotiating"')[1].split("</section>")[0]
    assert negotiating.count("data-card=") == CARDS_PER_COLUMN
    assert "列表中还有 5 个" in negotiating and "stage=negotiating" in negotiating


def test_the_lists_filters_apply():
    _project("新能源项目", chain=ChainFactory(code="nev"))
    _project("光机电项目", chain=ChainFactory(code="optics"))
    html = _client(Role.OFFICIAL).get(BOARD, {"chain": "nev"}).content.decode().split('id="board"')[1]
    assert "新能源项目" in html and "光机电项目" not in html


def test_a_move_through_the_form_for_bureau_staff():
    project = _project("电机项目", first_contact_date=D(2024, 1, 5))
    client = _client(Role.BUREAU_STAFF)
    url = reverse("projects:board-move", args=[project.pk, ProjectStage.SIGNED])
    form = client.get(url, **FETCH)
    assert form.status_code == 200 and 'name="signed_date"' in form.content.decode()
    version = form.context["form"]["version"].value()
    response = client.post(url, {"signed_date": "2024-02-01", "version": version}, **FETCH)
    assert response.status_code == 200 and json.loads(response.content) == {"ok": True, "stage": "signed"}
    project.refresh_from_db()
    assert project.stage == ProjectStage.SIGNED and project.signed_date == D(2024, 2, 1)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["电机项目 已移至“签约”。"]


def test_a_refused_move_says_why():
    project = _project("电机项目", stage=ProjectStage.SIGNED, signed_date=D(2024, 2, 1))
    client = _client(Role.BUREAU_STAFF)
    response = client.get(reverse("projects:board-move", args=[project.pk, ProjectStage.LEAD]), **FETCH)
    assert response.status_code == 409
    assert json.loads(response.content) == {"ok": False, "message": "电机项目 不能从“签约”变更为“线索”。"}
    # Without JavaScript: back to the board with the message.
    response = client.get(reverse("projects:board-move", args=[project.pk, ProjectStage.LEAD]))
    assert response.status_code == 302 and response["Location"] == BOARD


def test_a_stale_form_is_shown_again_with_the_refusal():
    project = _project("电机项目", first_contact_date=D(2024, 1, 5))
    client = _client(Role.BUREAU_STAFF)
    url = reverse("projects:board-move", args=[project.pk, ProjectStage.NEGOTIATING])
    response = client.post(url, {"date": "2024-02-01", "version": "stale"}, **FETCH)
    assert response.status_code == 400 and "data-board-move-form" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == ProjectStage.LEAD


def test_move_choices_and_roles():
    official = UserFactory(username="wang", roles=[Role.OFFICIAL])
    mine = _project("我的项目", responsible_official=official)
    other = _project("别人的项目")
    client = Client()
    client.force_login(official)
    choices = client.get(reverse("projects:board-move-choices", args=[mine.pk]), **FETCH)
    assert choices.status_code == 200 and 'data-move-choice="negotiating"' in choices.content.decode()
    refused = client.get(reverse("projects:board-move-choices", args=[other.pk]), **FETCH)
    assert refused.status_code == 403 and "别人的项目" in json.loads(refused.content)["message"]
    url = reverse("projects:board-move", args=[other.pk, ProjectStage.NEGOTIATING])
    assert client.post(url, {"date": "2024-02-01"}, **FETCH).status_code == 403
    other.refresh_from_db()
    assert other.stage == ProjectStage.LEAD
    for role in (Role.CHAIN_LEADER, Role.API_CONSUMER):
        assert _client(role, username=role).post(url, {"date": "2024-02-01"}, **FETCH).status_code == 403
    # Cards offer the move button only to those who may move projects; anyone with a role reads the board.
    assert "data-move-button" not in _client(Role.API_CONSUMER, username="api").get(BOARD).content.decode()
    assert "data-move-button" in _client(Role.BUREAU_STAFF, username="bureau").get(BOARD).content.decode()
    anonymous = Client().get(BOARD)
    assert anonymous.status_code == 302
