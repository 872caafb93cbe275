"""Every statistic against a small data set computed by hand (see the comments for the sums)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from projects import stats, stats_monthly
from projects.choices import ProjectStage
from projects.models import InvestmentVisit, Project, ProjectStageChange
from projects.services import project_create, project_transition, signing_event_sign_project, visit_create
from tests.factories import (
    ChainFactory,
    ClusterFactory,
    EnterpriseFactory,
    LeaderFactory,
    SigningEventFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH = stats.Period(D(2024, 3, 1), D(2024, 3, 31))


@pytest.fixture
def data():
    """The hand-computed data set.

    Clusters X (chains A, B) and Y (chain C); leaders L1, L2, L3.
    Visits: V1 Sat 2024-03-02, L1+L2, chain A, projects P1+P2
            V2 Tue 2024-03-05, L1,    chains A+B, project P1 (P1 is linked twice: engaged once)
            V3 Sat 2024-03-09, L1+L2+L3, chain C, no project
            V4 Sat 2024-02-24 (outside March), L1, chain A, project P3
    Projects: P1 A contact 01-10, signed 03-15, registered 03-20, construction 03-25, 1000 万元, 50 万美元
              P2 A contact 03-02, signed 03-20, 500.50 万元, Fortune 500 investor (major)
              P3 B contact 2023-12-01, signed 02-20 (outside March), 9999 万元
              P4 C contact 03-10, negotiating since 03-12, 200000 万元 (major, but not signed)
              P5 C contact 03-03, signed 03-31 at conference E1 (re-signing at E2 refused),
                 120000 万元 and 10000 万美元 (major)
              P6 B contact 03-01, dropped 03-05, 300 万元
    """
    x, y = ClusterFactory(code="x", sort_order=1), ClusterFactory(code="y", sort_order=2)
    a = ChainFactory(cluster=x, code="a", sort_order=1)
    b = ChainFactory(cluster=x, code="b", sort_order=2)
    c = ChainFactory(cluster=y, code="c", sort_order=3)
    l1, l2, l3 = LeaderFactory(), LeaderFactory(), LeaderFactory()

    def project(name, chain, contact, total, foreign=None, fortune500=False):
        investor = EnterpriseFactory(fortune500=fortune500)
        return project_create(
            project=Project(
                name=name,
                chain=chain,
                investor=investor,
                total_investment=Decimal(total),
                foreign_investment=Decimal(foreign) if foreign else None,
                first_contact_date=contact,
            ),
            by=None,
        )

    p1 = project("P1", a, D(2024, 1, 10), "1000", foreign="50")
    project_transition(p1, ProjectStage.SIGNED, by=None, on_date=D(2024, 3, 15))
    project_transition(p1, ProjectStage.REGISTERED, by=None, on_date=D(2024, 3, 20))
    project_transition(p1, ProjectStage.CONSTRUCTION, by=None, on_date=D(2024, 3, 25))
    p2 = project("P2", a, D(2024, 3, 2), "500.50", fortune500=True)
    project_transition(p2, ProjectStage.SIGNED, by=None, on_date=D(2024, 3, 20))
    p3 = project("P3", b, D(2023, 12, 1), "9999")
    project_transition(p3, ProjectStage.SIGNED, by=None, on_date=D(2024, 2, 20))
    p4 = project("P4", c, D(2024, 3, 10), "200000")
    project_transition(p4, ProjectStage.NEGOTIATING, by=None, on_date=D(2024, 3, 12))
    p5 = project("P5", c, D(2024, 3, 3), "120000", foreign="10000")
    e1 = SigningEventFactory(date=D(2024, 3, 31))
    e2 = SigningEventFactory(date=D(2024, 4, 10))
    signing_event_sign_project(event=e1, project=p5, by=None)
    with pytest.raises(ValidationError):  # re-signing later does not count again
        signing_event_sign_project(event=e2, project=Project.objects.get(pk=p5.pk), by=None)
    p6 = project("P6", b, D(2024, 3, 1), "300")
    project_transition(p6, ProjectStage.DROPPED, by=None, on_date=D(2024, 3, 5))

    def visit(date, leaders, chains, projects):
        enterprise = EnterpriseFactory()
        visit_create(
            visit=InvestmentVisit(date=date, host_unit=unit_named("经信局"), enterprise=enterprise, purpose="走访"),
            leaders=leaders,
            chains=chains,
            projects=projects,
            by=None,
        )

    visit(D(2024, 3, 2), [l1, l2], [a], [p1, p2])
    visit(D(2024, 3, 5), [l1], [a, b], [p1])
    visit(D(2024, 3, 9), [l1, l2, l3], [c], [])
    visit(D(2024, 2, 24), [l1], [a], [p3])
    return {"x": x, "y": y, "a": a, "b": b, "c": c, "e1": e1, "e2": e2}


def test_visit_summary(data, django_assert_num_queries):
    with django_assert_num_queries(2):
        result = stats.visit_summary(MARCH)
    assert result == {
        "visits": 3,
        "saturday_visits": 2,
        "person_times": 6,  # 2 + 1 + 3
        "saturday_person_times": 5,  # V1 2 + V3 3
        "projects_engaged": 2,  # P1 (twice) and P2
        "saturday_projects_engaged": 2,  # V1 (Saturday): P1 and P2; V3 (Saturday) has none
    }


def test_visit_summary_by_chain_and_cluster(data):
    assert stats.visit_summary(MARCH, chain=data["a"]) == {
        "visits": 2,
        "saturday_visits": 1,
        "person_times": 3,
        "saturday_person_times": 2,
        "projects_engaged": 2,
        "saturday_projects_engaged": 2,
    }
    assert stats.visit_summary(MARCH, chain=data["b"])["person_times"] == 1
    # V2 concerns both A and B: it counts once in cluster X.
    assert stats.visit_summary(MARCH, cluster=data["x"]) == {
        "visits": 2,
        "saturday_visits": 1,
        "person_times": 3,
        "saturday_person_times": 2,
        "projects_engaged": 2,
        "saturday_projects_engaged": 2,
    }
    assert stats.visit_summary(MARCH, cluster=data["y"])["saturday_person_times"] == 3


def test_signed_summary(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = stats.signed_summary(MARCH)
    assert result == {
        "signed_projects": 3,  # P1, P2, P5 (P3 signed in February)
        "signed_investment": Decimal("121500.50"),  # 1000 + 500.50 + 120000
        "signed_foreign_investment": Decimal("10050.00"),  # 50 + 10000
        "major_projects": 2,  # P2 (Fortune 500), P5 (amounts); P4 is major but not signed
        "started_projects": 1,  # P1
        "start_rate": Decimal("0.3333"),
        # The size bands, in the same query (projects.signed_groups): only P5 (120000 万元, 10000 万美元
        # contracted) is in the amount bands; at 2024's rate US$100 million is about 71,000 万元.
        "cny_100m__projects": 1,
        "cny_100m__investment": Decimal("120000.00"),
        "cny_1bn__projects": 1,
        "cny_1bn__investment": Decimal("120000.00"),
        "usd_100m__projects": 1,
        "usd_100m__investment": Decimal("120000.00"),
        "foreign_usd_30m__projects": 1,
        "foreign_usd_30m__investment": Decimal("120000.00"),
        "major__projects": 2,  # P2 and P5, as major_projects
        "major__investment": Decimal("120500.50"),
    }


def test_signed_by_chain_and_cluster_include_zero_rows(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = stats.signed_by_chain(MARCH)
    by_code = {row["code"]: row for row in rows}
    assert [row["code"] for row in rows] == ["a", "b", "c"]
    assert (by_code["a"]["signed_projects"], by_code["a"]["signed_investment"]) == (2, Decimal("1500.50"))
    assert (by_code["b"]["signed_projects"], by_code["b"]["signed_investment"], by_code["b"]["start_rate"]) == (
        0,
        Decimal("0"),
        None,
    )
    assert (by_code["c"]["signed_projects"], by_code["c"]["major_projects"]) == (1, 1)
    assert by_code["a"]["start_rate"] == Decimal("0.5000")
    with django_assert_num_queries(1):
        clusters = stats.signed_by_cluster(MARCH)
    assert [(row["code"], row["signed_projects"], row["signed_investment"]) for row in clusters] == [
        ("x", 2, Decimal("1500.50")),
        ("y", 1, Decimal("120000.00")),
    ]
    assert [row["code"] for row in stats.signed_by_chain(MARCH, cluster=data["y"])] == ["c"]


@pytest.mark.parametrize(
    "period", [MARCH, stats.Period(D(2024, 1, 1), D(2024, 12, 31)), stats.Period(D(2023, 6, 1), D(2025, 5, 31))]
)
def test_signed_summary_and_by_chain_in_one_query_equal_both(data, period, django_assert_num_queries):
    """The dashboard's one scan: the city's figures are signed_summary's, each chain's signed_by_chain's."""
    with django_assert_num_queries(1):
        city, by_chain = stats.signed_summary_and_by_chain(period)
    assert city == stats.signed_summary(period)
    for row in stats.signed_by_chain(period):
        figures = by_chain.get(row["pk"]) or stats.empty_signed_figures()
        assert figures == {key: row[key] for key in figures}
        assert set(row) - set(figures) == {"pk", "code", "name", "cluster__code", "cluster__name"}


def test_visits_by_chain(data, django_assert_num_queries):
    with django_assert_num_queries(3):
        rows = {row["code"]: row for row in stats.visits_by_chain(MARCH)}
    assert (rows["a"]["visits"], rows["a"]["person_times"], rows["a"]["projects_engaged"]) == (2, 3, 2)
    assert (rows["b"]["visits"], rows["b"]["person_times"], rows["b"]["saturday_person_times"]) == (1, 1, 0)
    assert (rows["c"]["visits"], rows["c"]["saturday_person_times"], rows["c"]["projects_engaged"]) == (1, 3, 0)


def test_projects_engaged_count_for_the_projects_own_chain(data):
    """A project counts for its chain whatever chains the visit is tagged with: the chains add up to the total."""
    p6 = Project.objects.get(name="P6")  # chain B
    visit_create(
        visit=InvestmentVisit(
            date=D(2024, 3, 12), host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访"
        ),
        leaders=[LeaderFactory()],
        chains=[data["c"]],
        projects=[p6],
        by=None,
    )
    rows = {row["code"]: row["projects_engaged"] for row in stats.visits_by_chain(MARCH)}
    assert rows == {"a": 2, "b": 1, "c": 0}
    assert sum(rows.values()) == stats.visit_summary(MARCH)["projects_engaged"] == 3
    assert stats.visit_summary(MARCH, chain=data["b"])["projects_engaged"] == 1
    assert stats.visit_summary(MARCH, chain=data["c"])["projects_engaged"] == 0
    assert stats.visit_summary(MARCH, cluster=data["x"])["projects_engaged"] == 3


def test_pipeline_as_of_the_period_end(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = {row["stage"]: row for row in stats.pipeline(MARCH)}
    assert {stage: row["projects"] for stage, row in rows.items() if row["projects"]} == {
        "construction": 1,  # P1
        "signed": 3,  # P2, P3, P5
        "negotiating": 1,  # P4
        "dropped": 1,  # P6
    }
    assert rows["signed"]["investment"] == Decimal("130499.50")  # 500.50 + 9999 + 120000
    assert rows["lead"]["projects"] == 0 and rows["production"]["investment"] == Decimal("0")
    mid_march = stats.Period(D(2024, 3, 1), D(2024, 3, 16))
    rows = {row["stage"]: row["projects"] for row in stats.pipeline(mid_march) if row["projects"]}
    assert rows == {"lead": 2, "negotiating": 1, "signed": 2, "dropped": 1}  # P2+P5; P4; P1+P3; P6


def test_pipeline_by_chain(data):
    rows = {row["stage"]: row["projects"] for row in stats.pipeline(MARCH, chain=data["c"]) if row["projects"]}
    assert rows == {"negotiating": 1, "signed": 1}


def test_pipeline_and_by_chain_in_one_query(data, django_assert_num_queries):
    """The dashboard's pipeline and its chains' stage counts from one scan of the deltas: the city's rows are
    ``pipeline``'s (investment included), a chain's stages with no project left out (chain A's leads came and left)."""
    a, b, c = data["a"].pk, data["b"].pk, data["c"].pk
    mid_march = stats.Period(D(2024, 3, 1), D(2024, 3, 16))
    for period, by_chain in [
        # P1 construction, P2 signed (A); P3 signed, P6 dropped (B); P4 negotiating, P5 signed (C).
        (
            MARCH,
            {a: {"construction": 1, "signed": 1}, b: {"signed": 1, "dropped": 1}, c: {"negotiating": 1, "signed": 1}},
        ),
        # On 16 March P2 and P5 were still leads, P1 signed on the 15th.
        (mid_march, {a: {"signed": 1, "lead": 1}, b: {"signed": 1, "dropped": 1}, c: {"negotiating": 1, "lead": 1}}),
    ]:
        with django_assert_num_queries(1):
            pipeline, stage_counts = stats.pipeline_and_by_chain(period)
        assert pipeline == stats.pipeline(period)
        assert stage_counts == by_chain


def test_conversion(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = stats.conversion(MARCH)
    # First contact in March: P2, P4, P5, P6; of these P2 and P5 signed.
    assert result == {"contacted_projects": 4, "converted_projects": 2, "conversion_rate": Decimal("0.5000")}
    assert stats.conversion(stats.Period(D(2020, 1, 1), D(2020, 12, 31)))["conversion_rate"] is None


def test_stage_durations(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = stats.stage_durations(MARCH)
    assert result == {
        "contact_to_signed_days": Decimal("37.0"),  # (65 + 18 + 28) / 3
        "signed_to_registered_days": Decimal("5.0"),
        "registered_to_construction_days": Decimal("5.0"),
        "construction_to_production_days": None,
    }


def test_monthly(data, django_assert_num_queries):
    period = stats.Period(D(2024, 2, 1), D(2024, 4, 30))
    with django_assert_num_queries(2):
        series = stats_monthly.monthly(period)
    assert series == [
        {
            "month": D(2024, 2, 1),
            "visits": 1,
            "person_times": 1,
            "saturday_person_times": 1,
            "signed_projects": 1,
            "signed_investment": Decimal("9999.00"),
        },
        {
            "month": D(2024, 3, 1),
            "visits": 3,
            "person_times": 6,
            "saturday_person_times": 5,
            "signed_projects": 3,
            "signed_investment": Decimal("121500.50"),
        },
        {
            "month": D(2024, 4, 1),
            "visits": 0,
            "person_times": 0,
            "saturday_person_times": 0,
            "signed_projects": 0,
            "signed_investment": Decimal("0"),
        },
    ]


def test_visit_months_add_up_to_the_visit_summary_and_serve_both(data, django_assert_num_queries):
    """The dashboard reads the visit rollup once: its monthly rows give the chart and, added up, the summary."""
    period = stats.Period(D(2024, 2, 1), D(2024, 4, 30))
    months = stats_monthly.visit_months(period)
    totals = stats_monthly.visit_totals(months)
    with django_assert_num_queries(1):  # the projects engaged only
        summary = stats.visit_summary(period, visits=totals)
    assert summary == stats.visit_summary(period)
    assert totals == {"visits": 4, "saturday_visits": 3, "person_times": 7, "saturday_person_times": 6}
    expected = stats_monthly.monthly(period)
    with django_assert_num_queries(1):  # the signings only
        assert stats_monthly.monthly(period, visit_rows=months) == expected
    nothing = stats.Period(D(2020, 1, 1), D(2020, 1, 31))
    assert stats.visit_summary(nothing, visits=stats_monthly.visit_totals(stats_monthly.visit_months(nothing))) == (
        stats.visit_summary(nothing)
    )
    with pytest.raises(ValueError):
        stats.summary(period, chain=data["a"], visits=totals)


def test_summary_combines_the_parts(data):
    result = stats.summary(MARCH, chain=data["a"])
    assert (result["visits"], result["signed_projects"], result["contacted_projects"]) == (2, 2, 1)


def test_conference_totals_count_each_project_once(data):
    assert data["e1"].projects.count() == 1
    assert data["e2"].projects.count() == 0


def test_period_rejects_reversed_dates():
    with pytest.raises(ValueError):
        stats.Period(D(2024, 3, 2), D(2024, 3, 1))


def test_sums_are_exact_to_the_cent():
    """Large amounts with cents: SQLite adds them as floats, the statistics must still be exact."""
    chain, investor = ChainFactory(), EnterpriseFactory()
    amounts = [Decimal("87409139.99") + Decimal(n) / 100 for n in range(300)]
    Project.objects.bulk_create(
        [
            Project(
                name=f"p{n}",
                chain=chain,
                investor=investor,
                total_investment=amount,
                foreign_investment=amount / 10,
                stage=ProjectStage.SIGNED,
                first_contact_date=D(2024, 3, 1),
                signed_date=D(2024, 3, 2),
            )
            for n, amount in enumerate(amounts)
        ]
    )
    ProjectStageChange.objects.bulk_create(
        [
            ProjectStageChange(project=p, from_stage="", to_stage="signed", at=D(2024, 3, 2))
            for p in Project.objects.all()
        ]
    )
    expected = sum(amounts)
    assert stats.signed_summary(MARCH)["signed_investment"] == expected
    assert str(stats.signed_summary(MARCH)["signed_investment"]).endswith(str(expected)[-3:])
    assert next(r for r in stats.signed_by_chain(MARCH) if r["pk"] == chain.pk)["signed_investment"] == expected
    assert {r["stage"]: r["investment"] for r in stats.pipeline(MARCH)}["signed"] == expected
    assert stats_monthly.monthly(MARCH)[0]["signed_investment"] == expected


def test_pipeline_for_a_period_ending_today_reads_current_stages(data):
    from django.utils import timezone

    today = stats.Period(D(2024, 1, 1), timezone.localdate())
    rows = {row["stage"]: row["projects"] for row in stats.pipeline(today) if row["projects"]}
    current = dict(Project.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    assert rows == current == {"construction": 1, "signed": 3, "negotiating": 1, "dropped": 1}


def test_average_days_round_a_half_to_even_as_the_durations_did(django_assert_num_queries):
    """Four projects signed in May 2024, 10, 10, 10 and 11 days after first contact (41 / 4 = 10.25 days) and
    registered 1, 1, 1 and 2 days after signing (5 / 4 = 1.25): 10.2 and 1.2, a half rounded to even, as the
    average of durations rounded it (``figures.days``); the registered-to-construction interval has no project."""
    from django.db.models import Avg, DurationField, ExpressionWrapper, F

    from pinghu.figures import days
    from projects import milestone_stats
    from tests.factories import ProjectFactory

    for gap, registered_after in [(10, 1), (10, 1), (10, 1), (11, 2)]:
        signed = D(2024, 5, 20)
        ProjectFactory(
            stage=ProjectStage.REGISTERED,
            first_contact_date=signed - datetime.timedelta(days=gap),
            signed_date=signed,
            registered_date=signed + datetime.timedelta(days=registered_after),
        )
    may = stats.Period(D(2024, 5, 1), D(2024, 5, 31))
    with django_assert_num_queries(1):
        durations = stats.stage_durations(may)
    assert durations == {
        "contact_to_signed_days": Decimal("10.2"),
        "signed_to_registered_days": Decimal("1.2"),
        "registered_to_construction_days": None,
        "construction_to_production_days": None,
    }
    with django_assert_num_queries(1):
        both, milestones = milestone_stats.stage_durations_and_milestone_rates(may, as_of=D(2024, 6, 30))
    assert both == durations
    assert milestones["registered_projects"] == 4 and milestones["signed_to_registered_days"] == Decimal("1.2")
    assert milestones["signed_to_started_days"] is None
    # The average of the durations, as it was computed before.
    before = Project.objects.filter(signed_date__range=(may.start, may.end)).aggregate(
        average=Avg(ExpressionWrapper(F("signed_date") - F("first_contact_date"), output_field=DurationField()))
    )
    assert days(before["average"]) == Decimal("10.2")
