"""Size bands, the major-project rule, exchange rates and project levels (issue 16), on hand-computed data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chains.choices import Town
from pinghu.permissions import Role
from projects import band_stats
from projects.bands import BAND_KEYS, is_major, signed_years, usd_threshold, usd_thresholds
from projects.choices import ProjectLevel, ProjectStage
from projects.models import ExchangeRate, Project
from projects.periods import Period
from tests.factories import ChainFactory, ClusterFactory, EnterpriseFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR_2023 = Period(D(2023, 1, 1), D(2023, 12, 31))
CURRENT = timezone.localdate().year


@pytest.fixture
def rates():
    """2023: 7.0000 (threshold 70,000 万元); the year before this one: 7.2000 (72,000 万元); none between."""
    assert CURRENT - 1 > 2024
    ExchangeRate.objects.all().delete()
    ExchangeRate.objects.create(year=2023, cny_per_usd=Decimal("7.0000"))
    ExchangeRate.objects.create(year=CURRENT - 1, cny_per_usd=Decimal("7.2000"))


def signed(on: datetime.date, **values) -> Project:
    return ProjectFactory(stage=ProjectStage.SIGNED, signed_date=on, **values)


def bands_of(project: Project) -> set[str]:
    """The bands a project meets, read through the project list's band filter (the one condition)."""
    from projects.filters import ProjectFilterSet

    found = set()
    for key in BAND_KEYS:
        queryset = Project.objects.with_major().filter(pk=project.pk)
        if ProjectFilterSet({"band": key}, queryset=queryset).qs.exists():
            found.add(key)
    return found


class TestBandBoundaries:
    @pytest.mark.parametrize(
        ("total", "expected"),
        [
            (Decimal("9999.99"), set()),
            (Decimal("10000"), {"cny_100m"}),
            (Decimal("99999.99"), {"cny_100m", "usd_100m", "major"}),
            (Decimal("100000"), {"cny_100m", "cny_1bn", "usd_100m", "major"}),
        ],
    )
    def test_yuan_bands(self, rates, total, expected):
        assert bands_of(signed(D(2023, 3, 1), total_investment=total)) == expected

    @pytest.mark.parametrize(
        ("foreign", "expected"),
        [(None, set()), (Decimal("2999.99"), set()), (Decimal("3000"), {"foreign_usd_30m"})],
    )
    def test_foreign_band(self, rates, foreign, expected):
        assert bands_of(signed(D(2023, 3, 1), total_investment=Decimal("1"), foreign_investment=foreign)) == expected

    @pytest.mark.parametrize(
        ("signed_on", "total", "in_band"),
        [
            # The signed year's own rate: 7.0 → 70,000 万元.
            (D(2023, 6, 1), Decimal("69999.99"), False),
            (D(2023, 6, 1), Decimal("70000"), True),
            # 2024 has no rate: the latest earlier year's (2023) applies.
            (D(2024, 6, 1), Decimal("70000"), True),
            # Before every rate: the earliest one (2023).
            (D(2022, 6, 1), Decimal("70000"), True),
            # Not signed: this year, which has no rate: last year's 7.2 → 72,000 万元.
            (None, Decimal("71999.99"), False),
            (None, Decimal("72000"), True),
        ],
    )
    def test_usd_band_uses_the_rate_of_the_year(self, rates, signed_on, total, in_band):
        project = signed(signed_on, total_investment=total) if signed_on else ProjectFactory(total_investment=total)
        assert ("usd_100m" in bands_of(project)) is in_band

    def test_no_rate_at_all_is_never_in_the_usd_band(self):
        ExchangeRate.objects.all().delete()
        project = signed(D(2023, 1, 1), total_investment=Decimal("9000000"))
        assert bands_of(project) == {"cny_100m", "cny_1bn"}
        assert Project.objects.with_major().get(pk=project.pk).major is False

    def test_editing_a_rate_moves_the_band(self, rates):
        project = signed(D(2023, 6, 1), total_investment=Decimal("70000"))
        assert "usd_100m" in bands_of(project)
        ExchangeRate.objects.filter(year=2023).update(cny_per_usd=Decimal("7.5000"))
        assert "usd_100m" not in bands_of(project)


@pytest.mark.parametrize("with_rates", [True, False])
def test_thresholds_read_once_equal_the_query_form(rates, with_rates):
    """``usd_thresholds`` (the fast API list) gives each signed date the threshold ``usd_threshold`` gives in SQL."""
    if not with_rates:
        ExchangeRate.objects.all().delete()
    dates = [None, D(2000, 1, 1), D(2000, 12, 31), D(2001, 1, 1), D(2022, 12, 31), D(2023, 1, 1), D(2024, 7, 1)]
    dates += [D(CURRENT - 1, 1, 1), D(CURRENT, 1, 1), D(CURRENT + 2, 1, 1)]
    projects = [signed(on) if on else ProjectFactory() for on in dates]
    in_sql = dict(Project.objects.annotate(t=usd_threshold()).values_list("pk", "t"))
    threshold = usd_thresholds()
    assert [threshold(project.signed_date) for project in projects] == [in_sql[project.pk] for project in projects]
    assert ({threshold(on) for on in dates} == {None}) is not with_rates


@pytest.mark.parametrize("with_rates", [True, False])
def test_the_rate_of_a_period_s_years_equals_the_rate_of_every_year(rates, with_rates):
    """``usd_threshold(signed_in=…)`` lists the period's years only, and gives their rows the same threshold.

    Periods within one year, across two and across many, before the first rate, between rates, this
    year and later (signed dates after today take this year's rate).
    """
    if not with_rates:
        ExchangeRate.objects.all().delete()
    dates = [D(2000, 1, 1), D(2000, 12, 31), D(2001, 1, 1), D(2022, 12, 31), D(2023, 1, 1), D(2024, 7, 1)]
    dates += [D(CURRENT - 1, 1, 1), D(CURRENT - 1, 12, 31), D(CURRENT, 1, 1), D(CURRENT + 2, 1, 1)]
    for on in dates:
        signed(on)
    every_year = dict(Project.objects.annotate(t=usd_threshold()).values_list("pk", "t"))
    periods = [
        (D(2000, 1, 1), D(2000, 12, 31)),
        (D(2022, 1, 1), D(2023, 12, 31)),
        (D(2000, 1, 1), D(CURRENT + 2, 12, 31)),
    ]
    periods += [(D(CURRENT - 1, 12, 1), D(CURRENT, 11, 30)), (D(CURRENT, 1, 1), D(CURRENT + 3, 1, 1))]
    for start, end in periods:
        rows = Project.objects.filter(signed_date__range=(start, end))
        with CaptureQueriesContext(connection) as query:
            in_period = dict(rows.annotate(t=usd_threshold(signed_in=signed_years(start, end))).values_list("pk", "t"))
        assert in_period == {pk: every_year[pk] for pk in rows.values_list("pk", flat=True)}, (start, end)
        listed = min(end.year, CURRENT) - max(start.year, 2000) + 1
        assert query.captured_queries[0]["sql"].count("ORDER BY year DESC") == listed


class TestMajorRule:
    @pytest.mark.parametrize(
        ("fortune500", "leader", "total", "major"),
        [
            (None, None, Decimal("1"), False),
            (False, False, Decimal("1"), False),
            (True, None, Decimal("1"), True),
            (False, True, Decimal("1"), True),
            (None, False, Decimal("69999.99"), False),
            (None, None, Decimal("70000"), True),
        ],
    )
    def test_definition(self, rates, fortune500, leader, total, major):
        investor = EnterpriseFactory(fortune500=fortune500, industry_leader=leader)
        project = signed(D(2023, 3, 1), investor=investor, total_investment=total)
        assert Project.objects.with_major().get(pk=project.pk).major is major
        assert Project.objects.get(pk=project.pk).is_major is major
        # The row-wise form the fast API list uses agrees with the query form.
        threshold = Project.objects.annotate(t=usd_threshold()).values_list("t", flat=True).get(pk=project.pk)
        assert threshold == Decimal("70000")
        assert (
            is_major(
                total_investment=total, usd_threshold=threshold, investor_fortune500=fortune500, investor_leader=leader
            )
            is major
        )

    def test_foreign_investment_alone_no_longer_makes_a_project_major(self, rates):
        project = signed(D(2023, 3, 1), total_investment=Decimal("1"), foreign_investment=Decimal("20000"))
        assert Project.objects.with_major().get(pk=project.pk).major is False

    def test_api_list_and_filter_agree(self, rates, read_client):
        leader = EnterpriseFactory(industry_leader=True)
        majors = {
            signed(D(2023, 3, 1), investor=leader).pk,
            signed(D(2023, 3, 1), total_investment=Decimal("70000")).pk,
        }
        signed(D(2023, 3, 1), total_investment=Decimal("69999.99"))
        listed = read_client.get("/api/v1/projects/").json()["results"]
        assert {row["id"] for row in listed if row["major"]} == majors
        filtered = read_client.get("/api/v1/projects/", {"major": "true"}).json()["results"]
        assert {row["id"] for row in filtered} == majors


class TestLevel:
    def test_level_needs_year_and_year_needs_level(self):
        for values in ({"level": ProjectLevel.PINGHU_KEY}, {"level_year": 2024}):
            with pytest.raises(IntegrityError), transaction.atomic():
                ProjectFactory(**values)
        project = ProjectFactory(level=ProjectLevel.PROVINCIAL_MAJOR, level_year=2024)
        assert project.get_level_display()

    def test_full_clean_names_the_rule(self):
        project = ProjectFactory.build(chain=ChainFactory(), investor=EnterpriseFactory(), level="jiaxing_key")
        with pytest.raises(ValidationError, match="列入年份"):
            project.full_clean()

    def test_filter_by_level(self, read_client):
        listed = ProjectFactory(level=ProjectLevel.JIAXING_KEY, level_year=2025)
        ProjectFactory(level=ProjectLevel.PINGHU_KEY, level_year=2025)
        ProjectFactory()
        rows = read_client.get("/api/v1/projects/", {"level": "jiaxing_key"}).json()["results"]
        assert [(row["id"], row["level"], row["level_year"]) for row in rows] == [(listed.pk, "jiaxing_key", 2025)]


@pytest.fixture
def small(rates):
    """Six projects; the figures below are counted by hand from them.

    P1 A 2023-03 10,000 万元, no town              → 亿元以上
    P2 A 2023-04 100,000 万元, 3,000 万美元, town 1 → 亿元以上, 10亿元以上, 超亿美元, 外资, major
    P3 B 2023-05 9,999.99 万元, Fortune 500, town 1 → major
    P4 B 2023-06 70,000 万元, town 2                → 亿元以上, 超亿美元 (7.0 × 10,000), major
    P5 A 2024-01 200,000 万元 (outside the period); P6 B not signed, 500,000 万元.
    """
    cluster = ClusterFactory()
    a, b = ChainFactory(cluster=cluster, sort_order=1), ChainFactory(cluster=cluster, sort_order=2)
    town1, town2 = Town.values[0], Town.values[1]
    signed(D(2023, 3, 1), chain=a, total_investment=Decimal("10000"))
    signed(D(2023, 4, 1), chain=a, total_investment=Decimal("100000"), foreign_investment=Decimal("3000"), town=town1)
    signed(
        D(2023, 5, 1),
        chain=b,
        total_investment=Decimal("9999.99"),
        foreign_investment=Decimal("2999.99"),
        investor=EnterpriseFactory(fortune500=True),
        town=town1,
    )
    signed(D(2023, 6, 1), chain=b, total_investment=Decimal("70000"), town=town2)
    signed(D(2024, 1, 1), chain=a, total_investment=Decimal("200000"))
    ProjectFactory(chain=b, total_investment=Decimal("500000"))
    return {"cluster": cluster, "a": a, "b": b, "town1": town1, "town2": town2}


def figures(rows: list[dict]) -> dict:
    return {row["band"]: (row["signed_projects"], row["signed_investment"]) for row in rows}


CITY = {
    "cny_100m": (3, Decimal("180000.00")),
    "cny_1bn": (1, Decimal("100000.00")),
    "usd_100m": (2, Decimal("170000.00")),
    "foreign_usd_30m": (1, Decimal("100000.00")),
    "major": (3, Decimal("179999.99")),
}


class TestBandStats:
    def test_city(self, small):
        with CaptureQueriesContext(connection) as queries:
            rows = band_stats.band_summary(YEAR_2023)
        assert figures(rows) == CITY
        assert len(queries) == 1

    def test_by_chain(self, small):
        with CaptureQueriesContext(connection) as queries:
            rows = band_stats.bands_by_chain(YEAR_2023, cluster=small["cluster"])
        assert len(queries) == 2
        by_code = {row["code"]: figures(row["bands"]) for row in rows}
        assert by_code[small["a"].code] == {
            "cny_100m": (2, Decimal("110000.00")),
            "cny_1bn": (1, Decimal("100000.00")),
            "usd_100m": (1, Decimal("100000.00")),
            "foreign_usd_30m": (1, Decimal("100000.00")),
            "major": (1, Decimal("100000.00")),
        }
        assert by_code[small["b"].code] == {
            "cny_100m": (1, Decimal("70000.00")),
            "cny_1bn": (0, Decimal("0.00")),
            "usd_100m": (1, Decimal("70000.00")),
            "foreign_usd_30m": (0, Decimal("0.00")),
            "major": (2, Decimal("79999.99")),
        }
        assert figures(band_stats.band_summary(YEAR_2023, chain=small["b"])) == by_code[small["b"].code]

    def test_by_town(self, small):
        with CaptureQueriesContext(connection) as queries:
            rows = band_stats.bands_by_town(YEAR_2023)
        assert len(queries) == 1
        by_town = {row["code"]: figures(row["bands"]) for row in rows}
        assert len(rows) == len(Town.values) + 1
        assert by_town[small["town1"]]["major"] == (2, Decimal("109999.99"))
        assert by_town[small["town1"]]["cny_1bn"] == (1, Decimal("100000.00"))
        assert by_town[small["town2"]]["usd_100m"] == (1, Decimal("70000.00"))
        assert by_town[""]["cny_100m"] == (1, Decimal("10000.00"))
        assert by_town[Town.values[2]]["cny_100m"] == (0, Decimal("0.00"))

    def test_query_count_does_not_grow_with_rows(self, small):
        for _ in range(5):
            signed(D(2023, 7, 1), chain=small["a"], total_investment=Decimal("80000"))
        for compute, expected in (
            (lambda: band_stats.band_summary(YEAR_2023), 1),
            (lambda: band_stats.bands_by_chain(YEAR_2023), 2),
            (lambda: band_stats.bands_by_town(YEAR_2023), 1),
        ):
            with CaptureQueriesContext(connection) as queries:
                compute()
            assert len(queries) == expected
        assert figures(band_stats.band_summary(YEAR_2023))["usd_100m"] == (7, Decimal("570000.00"))


class TestApi:
    URL = "/api/v1/stats/bands/"
    PERIOD = {"start": "2023-01-01", "end": "2023-12-31"}

    def test_city_and_groups(self, small, read_client):
        data = read_client.get(self.URL, self.PERIOD).json()
        assert {row["band"]: (row["signed_projects"], row["signed_investment"]) for row in data["bands"]} == {
            key: (count, f"{amount:.2f}") for key, (count, amount) in CITY.items()
        }
        assert data["groups"] == []
        towns = read_client.get(self.URL, {**self.PERIOD, "by": "town"}).json()["groups"]
        assert [group["code"] for group in towns] == [*Town.values, ""]
        chains = read_client.get(self.URL, {**self.PERIOD, "by": "chain", "cluster": small["cluster"].code}).json()
        assert [group["code"] for group in chains["groups"]] == [small["a"].code, small["b"].code]
        one = read_client.get(self.URL, {**self.PERIOD, "chain": small["b"].code}).json()["bands"]
        assert {row["band"]: row["signed_projects"] for row in one}["major"] == 2

    @pytest.mark.parametrize("params", [{"by": "cluster"}, {"band": "x"}, {"start": "2023-02-01", "end": "2023-01-01"}])
    def test_bad_query(self, read_client, params):
        assert read_client.get(self.URL, params).status_code == 400

    def test_exchange_rates_are_read(self, rates, read_client):
        rows = read_client.get("/api/v1/exchange-rates/").json()["results"]
        assert [(row["year"], row["cny_per_usd"]) for row in rows] == [(CURRENT - 1, "7.2000"), (2023, "7.0000")]
        assert read_client.get("/api/v1/exchange-rates/2023/").json()["cny_per_usd"] == "7.0000"


def test_seeded_rates_are_labelled_as_outside_knowledge():
    """The migration's default rates say where they come from (a design default to be checked)."""
    seeded = ExchangeRate.objects.filter(year__range=(2015, 2024))
    assert seeded.count() == 10
    assert all("外部知识" in rate.source for rate in seeded)
    assert seeded.get(year=2024).cny_per_usd == Decimal("7.1217")


def test_rate_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(year=2030, cny_per_usd=Decimal("0"))


def test_dashboard_panel(small, client):
    client.force_login(UserFactory(username="official", roles=[Role.OFFICIAL]))
    content = client.get("/", {"period": "custom", "start": "2023-01-01", "end": "2023-12-31"}).content.decode()
    assert 'id="bands-panel"' in content and "规模分档" in content
    panel = content[content.index('id="bands-table"') :]
    # 亿元以上: 3 projects, 180,000 万元 = 18.00 亿元; 重大项目 (major): 3, 17.9999.99 万元 → 18.00 亿元.
    row = panel[panel.index('data-band="cny_100m"') :]
    assert ">3</a>" in row[:400] and "18.00" in row[:400]
    row = panel[panel.index('data-band="cny_1bn"') :]
    assert ">1</a>" in row[:400] and "10.00" in row[:400]
    assert "band=usd_100m" in panel


def test_project_page_shows_bands_and_level(rates, client):
    client.force_login(UserFactory(username="official", roles=[Role.OFFICIAL]))
    project = signed(
        D(2023, 3, 1),
        total_investment=Decimal("100000"),
        level=ProjectLevel.JIAXING_KEY,
        level_year=2023,
    )
    content = client.get(f"/projects/{project.pk}/").content.decode()
    bands = content[content.index('id="project-bands"') : content.index('id="project-level"')]
    assert "10亿元以上" in bands and "总投资超亿美元" in bands and "外资3000万美元以上" not in bands
    level = content[content.index('id="project-level"') :][:200]
    assert "嘉兴市重点项目" in level and "2023" in level


def test_demo_data_covers_every_band_leaders_and_levels():
    from io import StringIO

    from django.core.management import call_command

    from chains.models import Enterprise
    from projects.demo import generate_demo_data

    call_command("seed_pinghu", stdout=StringIO())

    generate_demo_data(projects=300, visits=20, seed=7, end_date=D(2025, 6, 30))
    everything = Period(D(2000, 1, 1), D(2025, 12, 31))
    assert all(row["signed_projects"] > 0 for row in band_stats.band_summary(everything))
    leaders = Enterprise.objects.filter(name__startswith="演示").values_list("industry_leader", flat=True)
    assert {True, False, None} <= set(leaders)
    levels = set(Project.objects.filter(name__startswith="演示").values_list("level", flat=True))
    assert levels == {"", *ProjectLevel.values}


@pytest.mark.parametrize("with_rates", [True, False])
def test_the_band_flags_give_each_band_s_condition(rates, with_rates):
    """``band_flags`` read back by ``bands_met`` (the grouped statistics) give the bands of each condition,
    the major-project rule put together from its investor half and the US-dollar band; NULLs (no foreign
    investment, no rate, an unknown flag) are not met."""
    from django.db.models import BooleanField, ExpressionWrapper

    from projects.bands import BANDS, band_flags, bands_met

    if not with_rates:
        ExchangeRate.objects.all().delete()
    flagged, plain = EnterpriseFactory(fortune500=True), EnterpriseFactory(fortune500=None, industry_leader=False)
    projects = [
        signed(D(2023, 6, 1), total_investment=Decimal("70000"), foreign_investment=None, investor=plain),
        signed(
            D(2023, 6, 1), total_investment=Decimal("69999.99"), foreign_investment=Decimal("3000"), investor=flagged
        ),
        signed(D(CURRENT, 1, 2), total_investment=Decimal("100000"), foreign_investment=Decimal("2999.99")),
        signed(D(CURRENT, 1, 2), total_investment=Decimal("5000"), foreign_investment=None),
    ]
    for signed_in in (None, (2023, CURRENT)):
        flags = band_flags(signed_in=signed_in)
        annotations = {key: ExpressionWrapper(q, output_field=BooleanField()) for key, q in flags.items()}
        conditions = {band.key: band.condition(signed_in=signed_in) for band in BANDS}
        rows = Project.objects.filter(pk__in=[p.pk for p in projects]).annotate(**annotations).values("pk", *flags)
        for row in rows:
            expected = [
                key for key in BAND_KEYS if Project.objects.filter(pk=row["pk"]).filter(conditions[key]).exists()
            ]
            assert bands_met(row) == expected
    assert "major" in bands_of(projects[1]) and ("major" in bands_of(projects[0])) is with_rates
