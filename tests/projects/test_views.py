"""The server-rendered pages (without a browser): access, forms, writes through services, query budgets."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chains.models import ChainNode, Enterprise, Leader
from pinghu.concurrency import version_of
from pinghu.permissions import Role
from projects.choices import ProjectStage
from projects.models import FollowUp, InvestmentVisit, Project, SigningEvent
from projects.periods import resolve_period
from projects.services import project_create
from tests.factories import (
    ChainFactory,
    EnterpriseFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    SigningEventFactory,
    UserFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
D = datetime.date
PAGES = [
    "/",
    "/chains/nev/",
    "/visits/",
    "/visits/new/",
    "/visits/overdue/",
    "/projects/",
    "/signing-events/",
]


@pytest.fixture
def seeded():
    call_command("seed_pinghu", stdout=StringIO())


@pytest.fixture
def official(client):
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    client.force_login(user)
    return user


@pytest.mark.parametrize("url", PAGES)
def test_login_required(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_in_chinese(client, seeded, official, url):
    response = client.get(url)
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_pages_render_in_english_on_request(client, seeded, official):
    content = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert "Industrial-chain dashboard" in content


# The pages' own 21 (the city's and the chains' signed figures in one query since issue 22, and their projects
# engaged in one, and their pipelines; the milestones with the monthly chart's signings in one; 21 for a chain),
# plus the panels other apps register (pinghu.panels), computed cold: the
# targets' "目标完成" (targets.panels) reads the data version and the year's targets, then each source of the
# metrics shown once: the dashboard's city targets cover every metric (funds, milestones 2, visits, output: 5, so
# 7 in all; the bands with the signed figures are the dashboard's own signed projects of this year, read under the
# same data version), the demo's chain targets signed projects and investment and funds in place (bands, funds: 4
# in all). Neither grows with the targets or the rows (tests/targets/test_pages.py).
# The user here is an official: "/" starts with their own part (projects.phone.official_home: 3, issue 21).
@pytest.mark.parametrize("url, budget", [("/", 21 + 7 + 3), ("/chains/nev/", 21 + 4)])
def test_dashboard_and_chain_page_query_budget(client, seeded, official, url, budget, django_assert_max_num_queries):
    call_command("generate_demo_data", "--projects", "40", "--visits", "40", "--seed", "1", stdout=StringIO())
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"period": "year"}).status_code == 200
    call_command(
        "generate_demo_data", "--projects", "300", "--visits", "300", "--seed", "2", "--replace", stdout=StringIO()
    )
    with django_assert_max_num_queries(budget):
        assert client.get(url, {"period": "year"}).status_code == 200
    assert len(small.captured_queries) <= budget


@pytest.mark.parametrize("url", ["/visits/", "/projects/", "/signing-events/"])
def test_list_query_budget_does_not_grow(client, seeded, official, url, django_assert_max_num_queries):
    call_command("generate_demo_data", "--projects", "20", "--visits", "20", "--seed", "1", stdout=StringIO())
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    call_command(
        "generate_demo_data", "--projects", "200", "--visits", "200", "--seed", "2", "--replace", stdout=StringIO()
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_dashboard_numbers_come_from_stats(client, seeded, official):
    call_command("generate_demo_data", "--projects", "60", "--visits", "60", "--seed", "3", stdout=StringIO())
    from projects import stats

    named = resolve_period("year", None, None)
    response = client.get("/", {"period": "year"})
    assert response.context["summary"]["visits"] == stats.visit_summary(named.period)["visits"]
    assert response.context["summary"]["signed_projects"] == stats.signed_summary(named.period)["signed_projects"]


def test_periods():
    today = D(2026, 11, 29)
    assert resolve_period("month", None, None, today).period.start == D(2026, 11, 1)
    assert resolve_period("quarter", None, None, today).period.start == D(2026, 10, 1)
    assert resolve_period("last_year", None, None, today).period.end == D(2025, 12, 31)
    custom = resolve_period("custom", "2024-01-05", "2024-02-01", today)
    assert (custom.key, custom.period.start, custom.query["end"]) == ("custom", D(2024, 1, 5), "2024-02-01")
    assert resolve_period("custom", "2024-03-01", "2024-01-01", today).key == "year"  # reversed: this year
    assert resolve_period("custom", "nonsense", "", today).key == "year"
    assert resolve_period("custom", "9999-12-01", "9999-12-31", today).key == "year"  # out of bounds
    assert resolve_period("custom", "0001-01-01", "2024-01-01", today).key == "year"
    assert resolve_period(None, None, None, today).period.start == D(2026, 1, 1)


class TestVisitForm:
    def body(self, **values):
        return {
            "date": timezone.localdate().isoformat(),
            "leaders": [LeaderFactory().pk],
            "enterprise_name": Enterprise.objects.get_or_create(name="已有企业")[0].name,
            "purpose": "洽谈",
            "host_unit": unit_named("经信局").pk,
        } | values

    def test_defaults_to_today_and_the_users_own_leader(self, client, official):
        leader = Leader.objects.create(name="本人", unit=unit_named("经信局"), user=official)
        form = client.get("/visits/new/").context["form"]
        assert form["date"].value() == timezone.localdate()
        assert form["leaders"].value() == [leader.pk]

    def test_existing_enterprise_with_existing_and_new_projects(self, client, official):
        chain = ChainFactory()
        existing = ProjectFactory(investor=EnterpriseFactory(name="老企业"))
        body = self.body(
            enterprise_name="老企业",
            projects=[existing.pk],
            chains=[chain.pk],
            new_lead_name="新线索",
            new_lead_chain=chain.pk,
            new_lead_investment="300",
        )
        response = client.post("/visits/new/", body)
        assert response.status_code == 302, response.context["form"].errors
        visit = InvestmentVisit.objects.get()
        assert visit.enterprise.name == "老企业" and visit.recorded_by == official
        assert {p.name for p in visit.projects.all()} == {existing.name, "新线索"}

    def test_unknown_enterprise_needs_the_tick(self, client, official):
        response = client.post("/visits/new/", self.body(enterprise_name="没有的企业"))
        assert response.status_code == 200 and "enterprise_name" in response.context["form"].errors
        response = client.post("/visits/new/", self.body(enterprise_name="没有的企业", create_enterprise="on"))
        assert response.status_code == 302
        assert Enterprise.objects.filter(name="没有的企业").exists()

    def test_bad_new_lead_leaves_nothing_behind(self, client, official):
        chain = ChainFactory()
        body = self.body(
            enterprise_name="新企业", create_enterprise="on", new_lead_name="x", new_lead_chain=chain.pk
        )  # no investment
        response = client.post("/visits/new/", body)
        assert response.status_code == 200 and "new_lead_name" in response.context["form"].errors
        assert not InvestmentVisit.objects.exists() and not Enterprise.objects.filter(name="新企业").exists()

    def test_future_date_and_no_leader_are_refused(self, client, official):
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = client.post("/visits/new/", self.body(date=tomorrow, leaders=[]))
        errors = response.context["form"].errors
        assert "date" in errors and "leaders" in errors
        assert not InvestmentVisit.objects.exists()

    def test_edit(self, client, official):
        visit = InvestmentVisitFactory(
            leaders=[LeaderFactory()], enterprise=EnterpriseFactory(name="被访企业"), recorded_by=official
        )
        body = self.body(enterprise_name="被访企业", outcome="达成意向", version=version_of(visit))
        response = client.post(f"/visits/{visit.pk}/edit/", body)
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.outcome == "达成意向"

    def test_a_stale_edit_is_refused_and_overwrites_nothing(self, client, official):
        visit = InvestmentVisitFactory(
            leaders=[LeaderFactory()], enterprise=EnterpriseFactory(name="被访企业"), recorded_by=official
        )
        opened = client.get(f"/visits/{visit.pk}/edit/").context["form"]["version"].value()
        visit.outcome = "别人的结果"
        visit.save()  # another official saves first
        body = self.body(enterprise_name="被访企业", outcome="我的结果", version=opened)
        response = client.post(f"/visits/{visit.pk}/edit/", body)
        assert response.status_code == 200
        assert "您打开后，此记录已被他人保存" in response.content.decode()
        visit.refresh_from_db()
        assert visit.outcome == "别人的结果"


def test_overdue_lists_only_my_items(client, official):
    InvestmentVisitFactory(recorded_by=official, follow_up_date=D(2024, 3, 10), date=D(2024, 3, 1))
    InvestmentVisitFactory(recorded_by=UserFactory(), follow_up_date=D(2024, 3, 10), date=D(2024, 3, 1))
    FollowUpFactory(author=official, due_date=D(2024, 4, 1))
    response = client.get("/visits/overdue/")
    assert len(response.context["visits"]) == 1 and len(response.context["follow_ups"]) == 1


class TestProjectPage:
    def lead(self, official):
        """A lead entered by the signed-in official (so the official may change it)."""
        return project_create(
            project=Project(
                name="线索",
                chain=ChainFactory(),
                investor=EnterpriseFactory(),
                total_investment=Decimal("1"),
                first_contact_date=D(2024, 1, 1),
            ),
            by=official,
        )

    def test_only_allowed_moves_are_offered(self, client, official):
        project = self.lead(official)
        response = client.get(f"/projects/{project.pk}/")
        assert response.context["allowed"][:2] == [ProjectStage.NEGOTIATING, ProjectStage.SIGNED]
        moves = response.content.decode().split('id="stage-moves"')[1].split("</div>")[0]
        assert f"/projects/{project.pk}/move/negotiating/" in moves and "/move/lead/" not in moves

    def test_stage_change_goes_through_the_service(self, client, official):
        project = self.lead(official)
        body = {"to_stage": "negotiating", "date": "2024-02-01", "note": "洽谈", "version": version_of(project)}
        response = client.post(f"/projects/{project.pk}/stage/", body)
        assert response.status_code == 302
        change = project.stage_changes.order_by("-pk").first()
        assert (change.to_stage, change.by, change.note) == ("negotiating", official, "洽谈")

    def test_a_stage_change_from_a_stale_page_is_refused(self, client, official):
        project = self.lead(official)
        opened = client.get(f"/projects/{project.pk}/").context["version"]
        Project.objects.get(pk=project.pk).save()  # someone else saves the project meanwhile
        body = {"to_stage": "negotiating", "date": "2024-02-01", "version": opened}
        response = client.post(f"/projects/{project.pk}/stage/", body, follow=True)
        assert "您打开后，此记录已被他人保存" in response.content.decode()
        project.refresh_from_db()
        assert project.stage == "lead"

    def test_illegal_move_shows_the_reason(self, client, official):
        project = self.lead(official)
        body = {"to_stage": "registered", "date": "2024-02-01", "version": version_of(project)}
        response = client.post(f"/projects/{project.pk}/stage/", body, follow=True)
        assert "不能跳过签约" in response.content.decode()
        project.refresh_from_db()
        assert project.stage == "lead"

    def test_a_refused_stage_form_names_the_field(self, client, official):
        project = self.lead(official)
        body = {"to_stage": "negotiating", "date": "not a date", "version": version_of(project)}
        response = client.post(f"/projects/{project.pk}/stage/", body, follow=True)
        assert "日期: " in [str(message) for message in response.context["messages"]][0]
        project.refresh_from_db()
        assert project.stage == "lead"

    def test_follow_up_added_in_place(self, client, official):
        project = self.lead(official)
        response = client.post(
            f"/projects/{project.pk}/follow-ups/", {"date": "2024-02-01", "note": "电话", "due_date": "2024-02-10"}
        )
        assert response.status_code == 302
        assert FollowUp.objects.get().author == official
        response = client.post(
            f"/projects/{project.pk}/follow-ups/",
            {"date": "2024-02-01", "note": "x", "due_date": "2024-01-01"},
            follow=True,
        )
        assert FollowUp.objects.count() == 1 and "截止日期不能早于跟进日期" in response.content.decode()

    def test_stage_change_needs_post(self, client, official):
        assert client.get(f"/projects/{self.lead(official).pk}/stage/").status_code == 405


def test_project_list_filters_and_bad_values(client, official):
    chain = ChainFactory(code="nev")
    ProjectFactory(chain=chain, name="甲")
    ProjectFactory(name="乙")
    response = client.get("/projects/", {"chain": "nev"})
    assert [p.name for p in response.context["page"]] == ["甲"]
    response = client.get("/projects/", {"stage": "bogus"})
    assert response.status_code == 200 and response.context["count"] == 0
    assert response.context["filter"].errors


def test_signing_event_pages_show_derived_totals(client, official):
    event = SigningEventFactory(date=D(2024, 5, 9))
    for amount in ("100", "250.5"):
        ProjectFactory(
            stage=ProjectStage.SIGNED, signed_date=D(2024, 5, 9), signing_event=event, total_investment=Decimal(amount)
        )
    response = client.get(f"/signing-events/{event.pk}/")
    assert response.context["event"].project_count == 2 and response.context["event"].investment == Decimal("350.5")


def test_error_pages_are_chinese(client, official, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_dashboard_figures_are_cached_until_the_data_changes(client, seeded, official):
    InvestmentVisitFactory(date=timezone.localdate(), leaders=[LeaderFactory()])
    with CaptureQueriesContext(connection) as first:
        assert client.get("/", {"period": "month"}).context["summary"]["visits"] == 1
    with CaptureQueriesContext(connection) as second:
        assert client.get("/", {"period": "month"}).context["summary"]["visits"] == 1
    # From the cache: session, user, the user's permission read (role checks), the data version; then,
    # for an official, their role and their own part of the page (projects.phone.official_home: 3, never cached).
    assert len(second.captured_queries) <= 5 + 4 < len(first.captured_queries)
    InvestmentVisitFactory(date=timezone.localdate(), leaders=[LeaderFactory()])
    assert client.get("/", {"period": "month"}).context["summary"]["visits"] == 2


def test_editing_a_visit_can_move_it_to_a_new_enterprise(client, official):
    visit = InvestmentVisitFactory(
        leaders=[LeaderFactory()], enterprise=EnterpriseFactory(name="原企业"), recorded_by=official
    )
    body = {
        "date": visit.date.isoformat(),
        "leaders": [visit.leaders.get().pk],
        "enterprise_name": "更正后的企业",
        "create_enterprise": "on",
        "purpose": "洽谈",
        "host_unit": unit_named("经信局").pk,
        "version": version_of(visit),
    }
    assert client.post(f"/visits/{visit.pk}/edit/", body).status_code == 302
    visit.refresh_from_db()
    assert visit.enterprise.name == "更正后的企业"


def test_extreme_custom_periods_fall_back_instead_of_failing(client, seeded, official):
    response = client.get("/", {"period": "custom", "start": "9999-12-01", "end": "9999-12-31"})
    assert response.status_code == 200 and response.context["named"].key == "year"


def test_chain_page_links_stage_counts_only_for_current_periods(client, seeded, official):
    assert client.get("/chains/nev/", {"period": "year"}).context["pipeline_is_current"] is True
    assert client.get("/chains/nev/", {"period": "last_year"}).context["pipeline_is_current"] is False


def test_chain_map_marks_gaps_in_the_page_language(client, seeded, official):
    chinese = client.get("/chains/nev/").content.decode()
    assert "补链" in chinese
    english = client.get("/chains/nev/", headers={"accept-language": "en"}).content.decode()
    assert "gap to recruit for" in english and "（链主）" not in english


def test_the_2023_conference_shows_announced_and_recorded_totals_labelled(client, seeded, official):
    event = SigningEvent.objects.get(date=D(2023, 5, 9))
    page = client.get(f"/signing-events/{event.pk}/").content.decode()
    table = page[page.index('id="conference-totals"') :]
    announced = table[table.index("公布数") : table.index("系统内已登记")]
    recorded = table[table.index("系统内已登记") : table.index("</table>")]
    assert "28" in announced and "122.00" in announced
    assert ">0<" in recorded and "0.00" in recorded
    listing = client.get("/signing-events/").content.decode()
    assert "公布数" in listing and "系统内已登记" in listing and "122.00" in listing


def test_the_seeded_chain_map_claims_no_gap_and_leaves_the_rest_to_the_bureau(client, seeded, official):
    page = client.get("/chains/nev/").content.decode()
    assert 'badge text-bg-danger">补链' not in page  # the article gives no ground for a gap
    assert "本地已有配套" in page and "原文称传统汽车零部件门类齐全" in page
    assert "补链：待经信局评估" in page
    ChainNode.objects.filter(chain__code="nev", name="动力电池").update(
        gap=True, gap_basis="经信局评估：本地无电芯企业"
    )
    page = client.get("/chains/nev/").content.decode()
    assert page.count('badge text-bg-danger">补链') == 1 and "经信局评估：本地无电芯企业" in page


def test_an_enterprise_page_shows_unknown_facts_as_unknown(client, seeded, official):
    firm = Enterprise.objects.get(name="津上精密机床（浙江）有限公司")
    page = client.get(f"/enterprises/{firm.pk}/").content.decode()
    profile = page[page.index('id="profile"') :]
    profile = profile[: profile.index("</p>")]
    assert profile.count("未知") == 4  # country, Fortune 500, industry leader, SRDI; 规上 is derived and known
    assert "推定" in page  # the derivation is stated on the page
