"""The official's phone (issue 21): the visit form's prefills, one visit's page, the official's home, lists as cards.

Query counts are asserted on whichever database runs the tests (SQLite and PostgreSQL both run them).
"""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chains.models import Leader
from pinghu.concurrency import version_of
from pinghu.permissions import Role
from projects import phone
from projects.choices import ProjectStage
from projects.forms import QuickVisitForm
from projects.models import InvestmentVisit
from tests.factories import (
    ChainFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    UserFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def official(client):
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    Leader.objects.create(name="王副市长", title="副市长", unit=unit_named("平湖市人民政府"), user=user)
    client.force_login(user)
    return user


def _visit(user, days_ago=1, **values):
    return InvestmentVisitFactory(recorded_by=user, date=TODAY - datetime.timedelta(days=days_ago), **values)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# --- the form's prefills ------------------------------------------------------------------------


def test_own_leader_first_then_usual_companions_then_by_name(client, official):
    own = official.leader
    often, once, never = LeaderFactory(name="乙领导"), LeaderFactory(name="丙领导"), LeaderFactory(name="甲领导")
    for days in (1, 2, 3):
        _visit(official, days, leaders=[own, often])
    _visit(official, 4, leaders=[own, once])
    _visit(UserFactory(roles=[Role.OFFICIAL]), 1, leaders=[never, never])  # another official's companions: not counted
    form = client.get("/visits/new/").context["form"]
    order = list(form.fields["leaders"].queryset)
    assert order[:3] == [own, often, once] and never in order[3:]
    assert form["leaders"].value() == [own.pk]
    html = client.get("/visits/new/").content.decode()
    options = re.findall(r'<option value="(\d+)"', html[html.index('id="id_leaders"') :])
    assert options[:3] == [str(own.pk), str(often.pk), str(once.pk)]


def test_last_phrases_newest_first_without_repeats(client, official):
    _visit(official, 5, purpose="旧目的", outcome="")
    _visit(official, 3, purpose="洽谈扩产", outcome="达成意向")
    _visit(official, 1, purpose="洽谈扩产", outcome="再次对接")
    _visit(UserFactory(roles=[Role.OFFICIAL]), 1, purpose="别人的目的")
    response = client.get("/visits/new/")
    assert response.context["form"].phrases == {"purpose": ["洽谈扩产", "旧目的"], "outcome": ["再次对接", "达成意向"]}
    html = response.content.decode()
    assert 'data-phrase="洽谈扩产"' in html and "别人的目的" not in html


def test_recent_firms_carry_their_chains_and_open_projects(client, official):
    firm = EnterpriseFactory(name="长城汽车股份有限公司")
    chain_a, chain_b = ChainFactory(), ChainFactory()
    EnterpriseChainRoleFactory(enterprise=firm, chain=chain_a)
    EnterpriseChainRoleFactory(enterprise=firm, chain=chain_b)
    open_project = ProjectFactory(investor=firm, name="整车扩产项目", stage=ProjectStage.NEGOTIATING)
    ProjectFactory(investor=firm, name="已放弃项目", stage=ProjectStage.DROPPED)
    _visit(official, 2, enterprise=firm)
    other = _visit(official, 1).enterprise
    html = client.get("/visits/new/").content.decode()
    embedded = json.loads(re.search(r'<script id="recent-firms" type="application/json">(.*?)</script>', html).group(1))
    assert [row["name"] for row in embedded] == [other.name, firm.name]  # the latest visit first
    row = embedded[1]
    assert row["chains"] == sorted([chain_a.pk, chain_b.pk])
    assert row["projects"] == [{"id": open_project.pk, "name": "整车扩产项目"}]
    assert "changcheng" in row["key"]  # found by pinyin with no connection
    assert f'<option value="{firm.name}">' in html  # the datalist without JavaScript


def test_the_form_reads_a_fixed_number_of_queries(client, official):
    _visit(official, 1, leaders=[official.leader])
    few = _queries(client, "/visits/new/")
    for n in range(15):
        firm = EnterpriseFactory()
        EnterpriseChainRoleFactory(enterprise=firm)
        ProjectFactory(investor=firm)
        _visit(official, n + 2, enterprise=firm, leaders=[official.leader, LeaderFactory()])
    many = _queries(client, "/visits/new/")
    assert many == few <= 20, (few, many)


def test_host_unit_from_the_officials_unit_and_the_markup_the_other_helpers_hook_onto(client, official):
    html = client.get("/visits/new/").content.decode()
    form = re.search(r"<form [^>]*visit-form[^>]*>", html).group(0)
    assert 'enctype="multipart/form-data"' in form and "data-offline-queue" in form and "data-submit-once" in form
    assert re.search(r'<select name="leaders"[^>]*data-picker="leaders"', html)
    assert "vendor/tom-select.complete.min.js" in html and "<style" not in html
    response = client.get("/visits/new/")
    assert response.context["form"]["host_unit"].value() == official.leader.unit_id


@pytest.mark.parametrize(("day", "marked"), [(datetime.date(2024, 6, 1), True), (datetime.date(2024, 6, 3), False)])
def test_a_saturday_is_marked(day, marked):
    form = QuickVisitForm({"date": day.isoformat()})
    assert form.on_saturday is marked
    assert QuickVisitForm({"date": "2024-02-31"}).on_saturday is False


def test_new_firm_and_new_lead_fold_out_only_when_asked_or_refused(client, official):
    html = client.get("/visits/new/").content.decode()
    folds = dict(re.findall(r'<details [^>]*data-fold="([a-z-]+)"[^>]*?( open)?>', html))
    assert folds == {"new-firm": "", "new-lead": ""}  # both present, both closed
    body = {"date": TODAY.isoformat(), "leaders": [official.leader.pk], "enterprise_name": "无此企业", "purpose": "x"}
    html = client.post("/visits/new/", body | {"new_lead_name": "新线索"}).content.decode()
    folds = dict(re.findall(r'<details [^>]*data-fold="([a-z-]+)"[^>]*?( open)?>', html))
    assert folds == {"new-firm": " open", "new-lead": " open"}


def test_firm_suggestions_by_pinyin_and_credit_code_with_chains(client, official):
    firm = EnterpriseFactory(name="长城汽车股份有限公司", credit_code="91330482MA2B3C4D5E")
    chain = ChainFactory()
    EnterpriseChainRoleFactory(enterprise=firm, chain=chain)
    EnterpriseFactory(name="尼得科机床有限公司")
    for query in ("ccqc", "changcheng", "91330482MA", "长城"):
        assert [row["name"] for row in client.get("/enterprises/suggest/", {"q": query}).json()] == [firm.name]
    with CaptureQueriesContext(connection) as captured:
        rows = client.get("/enterprises/suggest/", {"q": "ccqc", "chains": "1"}).json()
    assert rows[0]["chains"] == [chain.pk] and len(captured.captured_queries) <= 6
    assert "chains" not in client.get("/enterprises/suggest/", {"q": "ccqc"}).json()[0]


# --- one visit's page ---------------------------------------------------------------------------


def _full_visit(user):
    firm = EnterpriseFactory(name="尼得科机床有限公司")
    project = ProjectFactory(investor=firm, name="机床扩产项目")
    return InvestmentVisitFactory(
        recorded_by=user,
        date=datetime.date(2024, 6, 1),  # a Saturday
        enterprise=firm,
        destination_city="上海",
        purpose="洽谈扩产",
        outcome="达成意向",
        next_step="报送方案",
        follow_up_date=datetime.date(2024, 6, 15),
        leaders=[user.leader, LeaderFactory(name="李局长")],
        chains=[ChainFactory(name="智能装备")],
        projects=[project],
    )


def test_the_visit_page_shows_everything_it_records(client, official):
    visit = _full_visit(official)
    response = client.get(f"/visits/{visit.pk}/")
    html = response.content.decode()
    for text in ("王副市长", "李局长", "尼得科机床有限公司", "上海", "智能装备", "洽谈扩产", "达成意向", "报送方案"):
        assert text in html, text
    assert "2024-06-15" in html and "data-saturday" in html and "official" in html
    assert f'href="/enterprises/{visit.enterprise_id}/"' in html  # the firm's page
    assert f'href="/projects/{visit.projects.get().pk}/"' in html
    assert f'href="/visits/{visit.pk}/edit/"' in html and 'id="history-heading"' in html


def test_the_visit_page_edit_link_follows_the_object_rule_and_reading_needs_a_role(client, official):
    visit = _full_visit(official)
    client.force_login(UserFactory(roles=[Role.OFFICIAL]))
    html = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "尼得科机床有限公司" in html and f"/visits/{visit.pk}/edit/" not in html
    client.force_login(UserFactory(roles=[]))
    assert client.get(f"/visits/{visit.pk}/").status_code == 403
    client.logout()
    assert client.get(f"/visits/{visit.pk}/").status_code == 302
    assert client.get("/visits/999999/").status_code in (302, 404)


def test_the_visit_page_reads_a_fixed_number_of_queries(client, official):
    visit = _full_visit(official)
    few = _queries(client, f"/visits/{visit.pk}/")
    visit.leaders.add(*[LeaderFactory() for _ in range(5)])
    visit.chains.add(*[ChainFactory() for _ in range(3)])
    visit.projects.add(*[ProjectFactory(investor=visit.enterprise) for _ in range(4)])
    many = _queries(client, f"/visits/{visit.pk}/")
    assert many <= few + 2 <= 24, (few, many)  # history may name one more related model


def test_saving_lands_on_the_visit_page_new_or_edited(client, official):
    firm = EnterpriseFactory(name="已有企业")
    body = {
        "date": TODAY.isoformat(),
        "leaders": [official.leader.pk],
        "enterprise_name": firm.name,
        "purpose": "洽谈",
        "host_unit": official.leader.unit_id,
    }
    created = client.post("/visits/new/", body)
    visit = InvestmentVisit.objects.get()
    assert created.url == f"/visits/{visit.pk}/"
    page = client.get(created.url).content.decode()
    assert "已有企业" in page
    edited = client.post(f"/visits/{visit.pk}/edit/", body | {"purpose": "再谈", "version": version_of(visit)})
    assert edited.status_code == 302 and edited.url == f"/visits/{visit.pk}/"


# --- the official's home and the lists ------------------------------------------------------------


def test_an_official_home_starts_with_log_a_visit_their_visits_and_follow_ups(client, official):
    mine = _visit(official, 3, follow_up_date=TODAY - datetime.timedelta(days=1), next_step="回访")
    _visit(UserFactory(roles=[Role.OFFICIAL]), 1, enterprise=EnterpriseFactory(name="别人的企业"))
    FollowUpFactory(author=official, due_date=TODAY + datetime.timedelta(days=3), project__name="到期项目")
    html = client.get("/").content.decode()
    assert html.index('id="official-home"') < html.index('id="log-visit"') < html.index('id="dashboard"')
    assert f'href="/visits/{mine.pk}/"' in html and "回访" in html and "到期项目" in html
    assert "别人的企业" not in html


@pytest.mark.parametrize("role", [Role.BUREAU_STAFF, Role.ADMIN])
def test_bureau_staff_and_admins_keep_the_dashboard(client, role):
    client.force_login(UserFactory(roles=[role, Role.OFFICIAL]))
    html = client.get("/").content.decode()
    assert 'id="official-home"' not in html and 'id="dashboard"' in html


def test_the_official_home_reads_three_queries_however_many_rows(official, django_assert_num_queries):
    _visit(official, 1)
    with django_assert_num_queries(3):
        few = phone.official_home(official)
    for n in range(8):
        _visit(official, n + 2, follow_up_date=TODAY)
        FollowUpFactory(author=official, due_date=TODAY)
    with django_assert_num_queries(3):
        many = phone.official_home(official)
    assert len(few["visits"]) == 1 and len(many["visits"]) == 5 and len(many["due_follow_ups"]) == 8
    assert len(many["due_visits"]) == 8


@pytest.mark.parametrize(
    "name", ["projects:visit-list", "projects:project-list", "aftercare:issue-list", "aftercare:my-firms"]
)
def test_lists_turn_into_cards_on_a_phone(client, official, name):
    html = client.get(reverse(name)).content.decode()
    assert 'class="table table-sm table-striped table-cards"' in html
