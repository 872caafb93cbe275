"""The dashboard's period selector, its conversion and stage-duration figures, and the chain page's map (issue 20)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from chains.models import ChainNode, EnterpriseChainRole
from pinghu.permissions import Role
from projects.chain_map import chain_map, chain_map_chart
from projects.choices import ProjectStage
from projects.models import Project
from projects.periods import resolve_period
from projects.services import project_create, project_transition
from tests.factories import ChainFactory, EnterpriseFactory, UserFactory

D = datetime.date
TODAY = D(2026, 11, 29)
SHOWN = {"shown_start": "2026-01-01", "shown_end": "2026-11-29"}  # what the form showed: this year to date


# ---------------------------------------------------------------- resolve_period (no database)
def test_typed_dates_choose_a_custom_period_whatever_the_choice_says():
    named = resolve_period("year", "2024-01-05", "2024-02-01", TODAY, **SHOWN)
    assert (named.key, named.period.start, named.period.end, named.error) == (
        "custom",
        D(2024, 1, 5),
        D(2024, 2, 1),
        "",
    )
    # Only one of the two dates typed: the other is the one shown.
    assert resolve_period("year", "2026-03-01", "2026-11-29", TODAY, **SHOWN).period.start == D(2026, 3, 1)


def test_a_named_choice_wins_when_the_dates_are_the_ones_shown():
    named = resolve_period("month", "2026-01-01", "2026-11-29", TODAY, **SHOWN)
    assert (named.key, named.period.start) == ("month", D(2026, 11, 1))


def test_a_link_with_dates_only_asks_for_them_and_a_named_link_for_its_period():
    assert resolve_period(None, "2024-01-05", "2024-02-01", TODAY).key == "custom"
    assert resolve_period("last_year", None, None, TODAY).period.end == D(2025, 12, 31)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-03-01", "2024-01-01", "止：2024-01-01 早于起始日期 2024-03-01。"),
        ("2024-13-01", "2024-12-31", "起：“2024-13-01”不是有效日期，请按 YYYY-MM-DD 填写。"),
        ("", "2024-12-31", "起：请填写日期。"),
        ("2024-01-01", "9999-12-31", "止：日期必须在 1990-01-01 至 2100-12-31 之间。"),
    ],
)
def test_a_refused_range_falls_back_to_this_year_and_says_why_naming_the_field(start, end, expected):
    with translation.override("zh-hans"):
        named = resolve_period("custom", start, end, TODAY, **SHOWN)
        assert named.error == expected
    assert (named.key, named.period.start, named.period.end) == ("year", D(2026, 1, 1), TODAY)


def test_an_unknown_period_choice_is_refused():
    with translation.override("en"):
        named = resolve_period("decade", None, None, TODAY)
    assert named.key == "year" and named.error == "Period: “decade” is not one of the choices."


# ---------------------------------------------------------------- pages
@pytest.fixture
def seeded(db):
    call_command("seed_pinghu", stdout=StringIO())


@pytest.fixture
def official(client, db):
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    client.force_login(user)
    return user


def this_year() -> dict:
    today = timezone.localdate()
    return {"shown_start": D(today.year, 1, 1).isoformat(), "shown_end": today.isoformat()}


@pytest.mark.django_db
def test_dates_typed_on_the_dashboard_select_a_custom_period(client, seeded, official):
    response = client.get("/", {"period": "year", "start": "2024-01-05", "end": "2024-02-01", **this_year()})
    named = response.context["named"]
    assert (named.key, named.period.start, named.period.end) == ("custom", D(2024, 1, 5), D(2024, 2, 1))
    page = response.content.decode()
    assert '<option value="custom" selected>' in page and 'value="2024-01-05"' in page
    assert 'id="period-error"' not in page


@pytest.mark.django_db
def test_a_reversed_range_is_refused_with_a_message_and_the_fallback_shown(client, seeded, official):
    response = client.get("/", {"period": "custom", "start": "2024-03-01", "end": "2024-01-01", **this_year()})
    assert response.status_code == 200
    page = response.content.decode()
    alert = page[page.index('id="period-error"') : page.index("</div>", page.index('id="period-error"'))]
    today = timezone.localdate()
    assert "止：2024-01-01 早于起始日期 2024-03-01。" in alert
    assert f"现改为显示本年：{today.year}-01-01 至 {today.isoformat()}。" in alert
    assert response.context["named"].key == "year"


@pytest.mark.django_db
def test_the_period_survives_drill_down_to_a_chain_and_back(client, seeded, official):
    query = "period=custom&start=2024-01-05&end=2024-02-01"
    html = query.replace("&", "&amp;")
    dashboard = client.get("/?" + query).content.decode()
    assert f'href="/chains/nev/?{html}"' in dashboard  # the chain name
    assert f'href="/chains/nev/?{html}#leads"' in dashboard  # the lead firms' count
    assert "signed_from=2024-01-05&amp;signed_to=2024-02-01" in dashboard  # the lists: the same dates
    chain = client.get("/chains/nev/?" + query)
    assert chain.context["named"].period == resolve_period("custom", "2024-01-05", "2024-02-01").period
    page = chain.content.decode()
    assert f'id="back-to-dashboard" href="/?{html}"' in page
    assert "signed_from=2024-01-05&amp;signed_to=2024-02-01&amp;chain=nev" in page
    named = client.get("/chains/nev/", {"period": "last_year"}).content.decode()
    assert 'id="back-to-dashboard" href="/?period=last_year"' in named


# ---------------------------------------------------------------- conversion and stage durations
@pytest.fixture
def small_set(db):
    """Four projects of one chain; the period is March–April 2024.

    P1 contact 03-01, signed 03-11 (10 days), registered 03-31 (20 days)
    P2 contact 03-05, signed 04-04 (30 days)
    P3 contact 03-20, not signed
    P4 contact 2023-12-01 (before the period), signed 03-20 (110 days)
    Conversion: of P1, P2, P3 (contacted in the period) two signed: 2 / 3 = 66.67%. P4 is not counted.
    Durations over P1, P2, P4 (signed in the period): contact → signed (10 + 30 + 110) / 3 = 50.0;
    signed → registered 20.0 (P1 only); the rest none (—).
    """
    chain = ChainFactory(code="small")

    def project(name, contact):
        return project_create(
            project=Project(
                name=name,
                chain=chain,
                investor=EnterpriseFactory(),
                total_investment=Decimal("100"),
                first_contact_date=contact,
            ),
            by=None,
        )

    p1 = project("P1", D(2024, 3, 1))
    project_transition(p1, ProjectStage.SIGNED, by=None, on_date=D(2024, 3, 11))
    project_transition(p1, ProjectStage.REGISTERED, by=None, on_date=D(2024, 3, 31))
    p2 = project("P2", D(2024, 3, 5))
    project_transition(p2, ProjectStage.SIGNED, by=None, on_date=D(2024, 4, 4))
    project("P3", D(2024, 3, 20))
    p4 = project("P4", D(2023, 12, 1))
    project_transition(p4, ProjectStage.SIGNED, by=None, on_date=D(2024, 3, 20))
    return chain


@pytest.mark.django_db
def test_the_dashboard_shows_conversion_and_stage_durations_for_the_period(client, small_set, official):
    response = client.get("/", {"period": "custom", "start": "2024-03-01", "end": "2024-04-30"})
    summary = response.context["summary"]
    assert (summary["contacted_projects"], summary["converted_projects"]) == (3, 2)
    assert summary["conversion_rate"] == Decimal("0.6667")
    assert summary["contact_to_signed_days"] == Decimal("50.0")
    assert summary["signed_to_registered_days"] == Decimal("20.0")
    page = response.content.decode()
    panel = page[page.index('id="conversion-panel"') :]
    assert 'data-kpi="conversion-rate" aria-describedby="conversion-help">66.67%<' in panel
    assert "3 个项目中 2 个已签约" in panel
    assert "本期内首次接触的项目中" in panel  # the definition, as help text
    assert (
        '<tr data-duration="contact_to_signed"><th scope="row">首次接触 → 签约</th><td class="text-end">50.0<' in panel
    )
    assert (
        '<tr data-duration="signed_to_registered"><th scope="row">签约 → 注册落地</th><td class="text-end">20.0<'
        in panel
    )
    assert (
        '<tr data-duration="registered_to_construction"><th scope="row">注册落地 → 开工</th><td class="text-end">—<'
        in panel
    )
    # A period with none: no rate (—), not 0%.
    empty = client.get("/", {"period": "custom", "start": "2020-01-01", "end": "2020-12-31"}).content.decode()
    assert 'aria-describedby="conversion-help">—<' in empty
    # The chain page shows the chain's.
    chain = client.get("/chains/small/", {"period": "custom", "start": "2024-03-01", "end": "2024-04-30"})
    assert chain.context["summary"]["conversion_rate"] == Decimal("0.6667")


# ---------------------------------------------------------------- the chain map
@pytest.fixture
def mapped(seeded):
    """The seeded NEV map with a gap marked, a lead firm and an ordinary firm on 动力电池, a firm outside Pinghu."""
    battery = ChainNode.objects.get(chain__code="nev", name="动力电池")
    battery.gap = True
    battery.save()
    lead = EnterpriseFactory(name="甲电池有限公司")
    other = EnterpriseFactory(name="乙电池有限公司")
    away = EnterpriseFactory(name="丙电池有限公司", in_pinghu=False)
    for firm, is_lead in ((lead, True), (other, False), (away, False)):
        EnterpriseChainRole.objects.create(enterprise=firm, chain=battery.chain, node=battery, is_lead=is_lead)
    return battery, lead, other


def _find(item, name):
    if item["name"] == name:
        return item
    for child in item.get("children", []):
        if (found := _find(child, name)) is not None:
            return found
    return None


@pytest.mark.django_db
def test_the_chain_map_chart_has_segments_firms_links_leads_and_gaps(mapped, django_assert_num_queries):
    battery, lead, other = mapped
    chain = battery.chain
    with django_assert_num_queries(2):
        tree = chain_map(chain)
    with translation.override("zh-hans"), django_assert_num_queries(0):
        chart = chain_map_chart(chain, tree)
    root = chart["tree"]
    assert root["name"] == chain.name
    assert [segment["name"] for segment in root["children"]] == ["上游", "中游", "下游"][: len(root["children"])]
    node = _find(root, "动力电池【补链】")
    assert node is not None and node["gap"] is True
    firms = [child for child in node["children"] if child.get("firm")]
    assert firms == [
        {"name": "甲电池有限公司（链主）", "url": f"/enterprises/{lead.pk}/", "lead": True, "firm": True},
        {"name": "乙电池有限公司", "url": f"/enterprises/{other.pk}/", "lead": False, "firm": True},
    ]  # the lead first; the firm outside Pinghu is not on the local map
    assert chart["leaves"] >= 2


@pytest.mark.django_db
def test_the_chain_page_embeds_the_map_beside_the_list_in_a_bounded_number_of_queries(
    client, mapped, official, django_assert_max_num_queries
):
    battery, lead, _other = mapped
    client.get("/chains/nev/")  # the cached figures are filled; what is measured is the page itself
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as fewer:
        response = client.get("/chains/nev/")
    page = response.content.decode()
    assert '<script id="chain-map-data" type="application/json">' in page
    assert 'id="chain-map-chart"' in page and "pinghu/chain_map.js" in page
    # The text list stays, each firm a link to its page.
    assert f'<a href="/enterprises/{lead.pk}/">甲电池有限公司</a>' in page
    # More firms on the map: the same number of queries.
    for number in range(5):
        firm = EnterpriseFactory(name=f"丁{number}电池有限公司")
        EnterpriseChainRole.objects.create(enterprise=firm, chain=battery.chain, node=battery)
    client.get("/chains/nev/")
    with CaptureQueriesContext(connection) as more:
        page = client.get("/chains/nev/").content.decode()
    assert len(more.captured_queries) == len(fewer.captured_queries)
    assert "丁4电池有限公司" in page
