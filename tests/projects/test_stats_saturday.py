"""Saturday figures as the article counts them: Saturday projects engaged and top-official (一把手) person-times."""

import datetime

import pytest

from projects import stats, stats_saturday
from projects.models import InvestmentVisit
from projects.periods import Period
from projects.services import visit_create
from tests.factories import ChainFactory, ClusterFactory, EnterpriseFactory, LeaderFactory, ProjectFactory, unit_named

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH = Period(D(2024, 3, 1), D(2024, 3, 31))


@pytest.fixture
def data():
    """By hand. Chains A, B (cluster X), C (cluster Y); top officials T1, T2; others O1.

    V1 Sat 03-02  T1 O1     chain A    P1 P2
    V2 Tue 03-05  T1 T2 O1  chains A+B P1 P3
    V3 Sat 03-09  T1 T2     chains A+B P1       (A and B of one cluster: counts once for X)
    V4 Sat 03-16  O1        chain C    P4
    V5 Sat 02-24  T1        chain A    P5       (outside March)
    March: projects engaged P1..P4 = 4; on Saturdays P1 P2 P4 = 3 (chain A: P1 P2 = 2).
    Top-official person-times: V1 1 + V2 2 + V3 2 = 5; on Saturdays V1 1 + V3 2 = 3.
      chain A: 5 / 3; chain B: V2 2 + V3 2 = 4 / 2; cluster X: 5 / 3; chain C: 0.
    All person-times 2 + 3 + 2 + 1 = 8.
    """
    x = ClusterFactory(code="x")
    a, b = ChainFactory(code="a", cluster=x), ChainFactory(code="b", cluster=x)
    c = ChainFactory(code="c", cluster=ClusterFactory(code="y"))
    t1, t2 = LeaderFactory(is_top_official=True), LeaderFactory(is_top_official=True)
    o1 = LeaderFactory()
    p1, p2, p3 = ProjectFactory(chain=a), ProjectFactory(chain=a), ProjectFactory(chain=b)
    p4, p5 = ProjectFactory(chain=c), ProjectFactory(chain=a)
    for date, leaders, chains, projects in [
        (D(2024, 3, 2), [t1, o1], [a], [p1, p2]),
        (D(2024, 3, 5), [t1, t2, o1], [a, b], [p1, p3]),
        (D(2024, 3, 9), [t1, t2], [a, b], [p1]),
        (D(2024, 3, 16), [o1], [c], [p4]),
        (D(2024, 2, 24), [t1], [a], [p5]),
    ]:
        visit_create(
            visit=InvestmentVisit(
                date=date, host_unit=unit_named("经信局"), enterprise=EnterpriseFactory(), purpose="走访"
            ),
            leaders=leaders,
            chains=chains,
            projects=projects,
            by=None,
        )
    return {"x": x, "a": a, "b": b, "c": c}


def test_saturday_figures(data, django_assert_num_queries):
    with django_assert_num_queries(2):
        result = stats_saturday.saturday_figures(MARCH)
    assert result == {
        "saturday_projects_engaged": 3,
        "top_official_person_times": 5,
        "saturday_top_official_person_times": 3,
    }


@pytest.mark.parametrize(
    ("key", "expected"),
    [("a", (2, 5, 3)), ("b", (0, 4, 2)), ("c", (1, 0, 0))],
)
def test_saturday_figures_by_chain(data, key, expected):
    result = stats_saturday.saturday_figures(MARCH, chain=data[key])
    assert tuple(result.values()) == expected


def test_saturday_figures_by_cluster_count_a_visit_once(data):
    result = stats_saturday.saturday_figures(MARCH, cluster=data["x"])
    assert tuple(result.values()) == (2, 5, 3)


def test_summary_holds_them_beside_all_projects_and_person_times(data):
    result = stats.summary(MARCH)
    assert (result["projects_engaged"], result["saturday_projects_engaged"]) == (4, 3)
    assert (result["person_times"], result["top_official_person_times"]) == (8, 5)


def test_the_flag_in_the_leaders_api(read_client):
    LeaderFactory(name="甲", is_top_official=True)
    LeaderFactory(name="乙")
    body = read_client.get("/api/v1/leaders/", {"is_top_official": "true"}).json()
    assert [(row["name"], row["is_top_official"]) for row in body["results"]] == [("甲", True)]


def test_on_saturday_is_the_week_day_lookup(data):
    """``OnSaturday`` (integer arithmetic on PostgreSQL) agrees with Django's ``week_day`` lookup on every day of
    three weeks around 1 January 2000 (its reference Saturday: dates before it count backwards) and now."""
    from django.db.models import DateField, Value

    from chains.models import Chain

    days = [start + datetime.timedelta(days=n) for start in (D(1999, 12, 20), D(2026, 11, 28)) for n in range(21)]
    for day in days:
        date = Value(day, output_field=DateField())
        on_saturday = Chain.objects.filter(pk=data["a"].pk).values_list(stats_saturday.OnSaturday(date), flat=True)
        assert on_saturday.get() is (day.isoweekday() == 6), day
