"""The targets' pages: access, the as-of figures (matching the selectors), tied ranks, the empty state, the drill-down,
a town's page, the menu, and the panels on the dashboard and chain pages with a query count that does not grow."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pinghu import panels
from pinghu.permissions import Role
from targets.selectors import target_progress
from tests.factories import ProjectFactory, UserFactory
from tests.targets.conftest import target

pytestmark = pytest.mark.django_db
D = datetime.date
JUNE = "year=2025&as_of=2025-06-30"


@pytest.fixture
def official(client):
    user = UserFactory(username="official", roles=[Role.OFFICIAL])
    client.force_login(user)
    return user


@pytest.fixture
def staff(client):
    user = UserFactory(username="staff", roles=[Role.BUREAU_STAFF])
    client.force_login(user)
    return user


@pytest.fixture
def targets(world):
    """City: 4 signed projects (by 30 June: P1, P4 = 2, 50%; time progress 6/12 = 50%: ahead, gap 0).
    Towns, signed projects: 当湖 2 (P1: 50%), 钟埭 2 (P2 in July: 50% at year end, 0% in June), 新埭 1 (none: 0%).
    At the year's end 当湖 and 钟埭 tie at rank 1, 新埭 is 3rd.
    Chain A's funds in place: 1,200 万元 (600 by year end)."""
    return {
        "city": target("signed_projects", "4"),
        "danghu": target("signed_projects", "2", scope_kind="town", town="当湖街道"),
        "zhongdai": target("signed_projects", "2", scope_kind="town", town="钟埭街道"),
        "xindai": target("signed_projects", "1", scope_kind="town", town="新埭镇"),
        "chain_a": target("funds_in_place", "1200", scope_kind="chain", chain=world["a"]),
    }


def pages(targets):
    return [
        "/targets/",
        "/targets/rankings/",
        f"/targets/{targets['city'].pk}/",
        "/targets/towns/当湖街道/",
    ]


def test_anonymous_is_sent_to_login(client, targets):
    for url in pages(targets):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_user_without_a_role_is_refused(client, targets):
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/targets/").status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.BUREAU_STAFF, Role.CHAIN_LEADER])
def test_every_role_reads_the_pages(client, targets, role):
    client.force_login(UserFactory(username=f"u-{role}", roles=[role]))
    for url in pages(targets):
        response = client.get(url, {"year": 2025, "as_of": "2025-12-31"})
        assert response.status_code == 200, url
        assert 'lang="zh-hans"' in response.content.decode()


def test_english_on_request(client, official, targets):
    content = client.get("/targets/?year=2025", headers={"accept-language": "en"}).content.decode()
    assert "Targets 2025" in content and "Signed projects" in content


def test_the_figures_as_of_a_past_day_are_the_selectors(client, official, targets):
    response = client.get(f"/targets/?{JUNE}")
    rows = {item.target.pk: item.row for item in response.context["rows"]}
    expected = {row.target.pk: row for row in target_progress(2025, D(2025, 6, 30))}
    assert rows.keys() == expected.keys()
    for pk, row in expected.items():
        shown = rows[pk]
        assert (shown.actual, shown.completion, shown.time_progress, shown.gap_points, shown.status, shown.rank) == (
            row.actual,
            row.completion,
            row.time_progress,
            row.gap_points,
            row.status,
            row.rank,
        )
    city = rows[targets["city"].pk]
    assert (city.actual, city.completion, city.time_progress, city.gap_points) == (2, Decimal("0.5"), Decimal("0.5"), 0)
    assert city.status == "ahead"
    content = response.content.decode()
    assert f'data-target="{targets["city"].pk}"' in content and "50.00%" in content
    # The city first, then chains, then towns (the page's order).
    kinds = [item.target.scope_kind for item in response.context["rows"]]
    assert kinds == ["city", "chain", "town", "town", "town"]


def test_the_scope_filter(client, official, targets):
    response = client.get(f"/targets/?{JUNE}&kind=town")
    assert {item.target.scope_kind for item in response.context["rows"]} == {"town"}
    assert len(response.context["rows"]) == 3


def test_status_colours(client, official, targets):
    response = client.get("/targets/?year=2025&as_of=2025-12-31")
    by_pk = {item.target.pk: item for item in response.context["rows"]}
    # Year end: time progress 100%. City 3/4 = 75% (25 points behind: red); 新埭 0% red; 当湖 50% red.
    assert by_pk[targets["city"].pk].colour == "danger"
    # Chain A's funds by 31 July (P1: January 100, June 200, July 300 = 600 of 1,200): 50% against 7/12 = 58.33%.
    july = client.get("/targets/?year=2025&as_of=2025-07-31").context["rows"]
    chain_row = next(item for item in july if item.target.pk == targets["chain_a"].pk)
    assert (chain_row.row.completion, chain_row.row.time_progress, chain_row.colour) == (
        Decimal("0.5"),
        Decimal("0.5833"),
        "warning",
    )


def test_ranking_shows_tied_ranks_and_the_weights(client, official, targets):
    response = client.get("/targets/rankings/?year=2025&as_of=2025-12-31&kind=town")
    assert response.status_code == 200
    rows = [(line["row"].label, line["row"].rank) for line in response.context["rows"]]
    assert rows == [("当湖街道", 1), ("钟埭街道", 1), ("新埭镇", 3)]
    assert response.context["tied"] == {1}
    content = response.content.decode()
    assert content.count("data-tied") == 2 and content.count("data-metric-tied") == 2
    assert 'data-weight="signed_projects"' in content
    assert "/targets/towns/%E5%BD%93%E6%B9%96%E8%A1%97%E9%81%93/" in content or "/targets/towns/当湖街道/" in content
    june = client.get(f"/targets/rankings/?{JUNE}").context["rows"]
    assert [(line["row"].label, line["row"].rank) for line in june] == [("当湖街道", 1), ("新埭镇", 2), ("钟埭街道", 2)]


def test_empty_state_invites_bureau_staff_to_set_targets(client, staff, targets):
    content = client.get("/targets/?year=2030").content.decode()
    assert 'id="targets-empty"' in content and "/targets/new/?year=2030" in content
    assert "/admin/targets/target/import/" in content  # the sheet the city hands down


def test_empty_state_for_an_official_has_no_setting_link(client, official, targets):
    content = client.get("/targets/?year=2030").content.decode()
    assert 'id="targets-empty"' in content and "/targets/new/" not in content and "/admin/targets/" not in content


def test_nonsense_parameters_fall_back(client, official, targets):
    response = client.get("/targets/?year=abc&as_of=2025-13-45&kind=planet")
    assert response.status_code == 200
    assert response.context["day"].year == timezone.localdate().year and response.context["kind"] is None


def test_detail_trend_and_rows_behind(client, official, world, targets):
    response = client.get(f"/targets/{targets['city'].pk}/?{JUNE}")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart["months"] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert chart["completion"] == [0.0, 0.0, 25.0, 25.0, 25.0, 50.0]
    assert chart["time_progress"][-1] == 50.0 and chart["time_progress"][0] == pytest.approx(8.33)
    assert response.context["count"] == 2
    assert [entry["name"] for entry in response.context["entries"]] == ["P1", "P4"]  # by signed date
    assert response.context["entries"][1]["figure"] == "3,000.00"
    content = response.content.decode()
    assert f'href="/projects/{world["p1"].pk}/"' in content and f'href="/projects/{world["p4"].pk}/"' in content
    assert 'id="targets-trend-data"' in content


def test_detail_funds_rows_link_to_their_projects(client, official, world, targets):
    response = client.get(f"/targets/{targets['chain_a'].pk}/?year=2025&as_of=2025-12-31")
    entries = response.context["entries"]
    assert len(entries) == 3  # P1's January, June and July
    assert {entry["link"] for entry in entries} == {f"/projects/{world['p1'].pk}/"}


def test_detail_of_an_unknown_target_is_404(client, official, targets):
    assert client.get("/targets/999999/").status_code == 404


def test_town_page_shows_its_targets_and_rank(client, official, targets):
    response = client.get("/targets/towns/钟埭街道/?year=2025&as_of=2025-12-31")
    assert response.status_code == 200
    assert [item.target.pk for item in response.context["rows"]] == [targets["zhongdai"].pk]
    assert response.context["standing"].rank == 1
    assert client.get("/targets/towns/火星镇/").status_code == 404


def test_menu_lists_targets_and_ranking(client, official, targets):
    content = client.get("/targets/").content.decode()
    assert 'href="/targets/"' in content and 'href="/targets/rankings/"' in content


# ---------------------------------------------------------------- the panels


def _this_year_city_targets(metrics):
    year = timezone.localdate().year
    return [target(metric, "10", year_from=year) for metric in metrics]


EVERY_CITY_METRIC = [
    "signed_projects",
    "signed_investment",
    "signed_cny_100m",
    "signed_cny_1bn",
    "signed_usd_100m",
    "funds_in_place",
    "foreign_paid_in",
    "projects_started",
    "projects_in_production",
    "saturday_person_times",
    "visits",
    "chain_output",
]


def test_dashboard_panel_shows_the_city_targets(client, official, world):
    made = _this_year_city_targets(["signed_projects", "visits"])
    content = client.get("/").content.decode()
    assert 'id="targets-panel"' in content
    for item in made:
        assert f'data-target="{item.pk}"' in content
    assert "time-marker" in content


def test_dashboard_has_no_panel_without_targets_for_an_official(client, official, world):
    assert 'id="targets-panel"' not in client.get("/").content.decode()


def test_dashboard_panel_invites_staff_when_no_target(client, staff, world):
    content = client.get("/").content.decode()
    assert 'id="targets-panel"' in content and "/admin/targets/target/add/" in content


def test_chain_page_shows_the_chains_targets(client, official, world):
    year = timezone.localdate().year
    own = target("signed_projects", "3", scope_kind="chain", chain=world["a"], year_from=year)
    other = target("signed_projects", "3", scope_kind="chain", chain=world["b"], year_from=year)
    content = client.get("/chains/a/").content.decode()
    assert 'id="chain-targets-panel"' in content
    assert f'data-target="{own.pk}"' in content and f'data-target="{other.pk}"' not in content
    assert 'id="chain-targets-panel"' not in client.get("/chains/c/").content.decode()


def _cold_dashboard_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


def test_panel_queries_do_not_grow_with_targets_or_rows(client, official, world, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setitem(panels._PANELS, "dashboard", {})  # the dashboard without its panels
        without = _cold_dashboard_queries(client)
    none = _cold_dashboard_queries(client)
    _this_year_city_targets(EVERY_CITY_METRIC[:1])
    one = _cold_dashboard_queries(client)
    _this_year_city_targets(EVERY_CITY_METRIC[1:])
    every = _cold_dashboard_queries(client)
    year = timezone.localdate().year
    for n in range(30):
        ProjectFactory(chain=world["a"], stage="signed", signed_date=D(year, 1, 1 + n % 28), town="当湖街道")
    for chain in ("a", "b", "c"):
        target("signed_projects", "5", scope_kind="chain", chain=world[chain], year_from=year)
    more = _cold_dashboard_queries(client)
    # The panel: the data version, the targets, each source once (milestones 2, output); the bands, the funds
    # and the visits of the city are the dashboard's reads of this year (its signed projects, funds summary and
    # visit months), kept under the same data version (pinghu.figure_cache.shared_read): no query of their own.
    assert (none - without, one - without, every - without) == (2, 2, 5)
    assert more == every
    # Warm (cached on the data version): the version alone.
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    assert len(warm.captured_queries) < every


def test_detail_of_visits_and_output_targets_link_to_the_firms(client, official, world):
    visits = target("visits", "6")
    output = target("chain_output", "50000", scope_kind="chain", chain=world["a"])
    response = client.get(f"/targets/{visits.pk}/?year=2025&as_of=2025-12-31")
    entries = response.context["entries"]
    assert [entry["day"] for entry in entries] == [D(2025, 3, 1), D(2025, 3, 3), D(2025, 7, 5)]
    assert [entry["figure"] for entry in entries] == [3, 1, 2]  # the leaders on each visit
    assert all(entry["link"].startswith("/enterprises/") for entry in entries)
    response = client.get(f"/targets/{output.pk}/?year=2025&as_of=2025-12-31")
    (entry,) = response.context["entries"]  # E1's 2025 figures: 25,000 万元 of 50,000
    assert (entry["detail"], entry["figure"]) == ("2025", "25,000.00")
    assert entry["link"].startswith("/enterprises/")
    assert response.context["item"].row.completion == Decimal("0.5")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_page_queries_do_not_grow_with_targets_or_rows(client, official, world, targets):
    urls = [
        "/targets/?year=2025&as_of=2025-12-31",
        "/targets/rankings/?year=2025&as_of=2025-12-31",
        f"/targets/{targets['city'].pk}/?year=2025&as_of=2025-12-31",
        "/targets/towns/当湖街道/?year=2025&as_of=2025-12-31",
    ]
    before = [_queries(client, url) for url in urls]
    for n in range(12):
        ProjectFactory(chain=world["b"], stage="signed", signed_date=D(2025, 1 + n, 1), town="曹桥街道")
    for town in ("曹桥街道", "新仓镇", "广陈镇"):
        target("signed_projects", "3", scope_kind="town", town=town)
        target("signed_investment", "3000", scope_kind="town", town=town)
    for chain in ("b", "c"):
        target("funds_in_place", "500", scope_kind="chain", chain=world[chain])
    assert [_queries(client, url) for url in urls] == before
