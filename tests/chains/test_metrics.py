"""The per-mu evaluation (亩均论英雄): constraints, derived figures, grades, rankings, 腾笼换鸟 candidates.

Expected figures are worked out by hand below (PostgreSQL and SQLite must both give them).

The data set, year 2024, default scheme (A ≥ 30, B ≥ 15, C ≥ 5 万元/亩):

| firm | town | chains   | land | tax  | output | energy | tax/mu  | output/mu | energy/output | grade | rank |
|------|------|----------|------|------|--------|--------|---------|-----------|---------------|-------|------|
| 甲   | 乍浦 | nev      | 100  | 3500 | 50000  | 2500   | 35.0000 | 500.0000  | 0.0500        | A     | 1    |
| 戊   | —    | nev      | 50   | 1750 | 10000  | —      | 35.0000 | 200.0000  | —             | A     | 1    |
| 乙   | 乍浦 | nev, cnc | 80   | 1600 | 24000  | —      | 20.0000 | 300.0000  | —             | B     | 3    |
| 丙   | 新埭 | cnc      | 60   | 500  | 9000   | 900    | 8.3333  | 150.0000  | 0.1000        | C     | 4    |
| 丁   | 新埭 | —        | 40   | 100  | 0      | 50     | 2.5000  | 0.0000    | — (output 0)  | D     | 5    |
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from chains import stats
from chains.choices import RENEWAL_GRADES, Grade
from chains.models import DEFAULT_GRADE_THRESHOLDS, EnterpriseAnnualMetric, PerMuGradeScheme
from tests.factories import (
    ChainFactory,
    EnterpriseAnnualMetricFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    PerMuGradeSchemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are compared with their English source; the Chinese ones are checked by the translation tests.
    with translation.override("en"):
        yield


D = Decimal


def assert_refused(write) -> None:
    """``write`` fails with IntegrityError and leaves the surrounding transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def constraint_message(model, name: str, instance) -> list[str]:
    """The messages the named constraint gives for ``instance`` (empty if it passes)."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    try:
        constraint.validate(model, instance)
    except ValidationError as error:
        return error.messages
    return []


@pytest.fixture
def firms():
    """The hand-computed data set of the module docstring."""
    nev, cnc = ChainFactory(code="nev", name="新能源汽车"), ChainFactory(code="cnc", name="高档数控机床")
    rows = {
        "甲": ("乍浦镇", [nev], "100", "3500", "50000", "2500"),
        "戊": ("", [nev], "50", "1750", "10000", None),
        "乙": ("乍浦镇", [nev, cnc], "80", "1600", "24000", None),
        "丙": ("新埭镇", [cnc], "60", "500", "9000", "900"),
        "丁": ("新埭镇", [], "40", "100", "0", "50"),
    }
    made = {}
    for name, (town, chains, land, tax, output, energy) in rows.items():
        enterprise = EnterpriseFactory(name=name, town=town)
        for chain in chains:
            EnterpriseChainRoleFactory(enterprise=enterprise, chain=chain)
        made[name] = EnterpriseAnnualMetricFactory(
            enterprise=enterprise,
            year=2024,
            land_area=D(land),
            tax_paid=D(tax),
            industrial_output=D(output),
            energy_use=None if energy is None else D(energy),
        )
    return made


# ---------------------------------------------------------------- constraints


class TestMetricConstraints:
    MODEL = EnterpriseAnnualMetric

    def test_one_row_per_enterprise_and_year(self):
        metric = EnterpriseAnnualMetricFactory()
        assert_refused(lambda: EnterpriseAnnualMetricFactory(enterprise=metric.enterprise, year=metric.year))
        EnterpriseAnnualMetricFactory(enterprise=metric.enterprise, year=metric.year - 1)
        duplicate = EnterpriseAnnualMetric(
            enterprise=metric.enterprise, year=metric.year, land_area=D(1), tax_paid=0, industrial_output=0
        )
        with pytest.raises(ValidationError) as error:
            duplicate.validate_constraints()
        assert error.value.messages == ["This enterprise already has figures for this year."]

    @pytest.mark.parametrize(
        ("values", "name", "message"),
        [
            ({"year": 1999}, "chains_enterpriseannualmetric_year_range", "The year must lie between 2000 and 2100."),
            ({"year": 2101}, "chains_enterpriseannualmetric_year_range", "The year must lie between 2000 and 2100."),
            ({"land_area": D("0")}, "chains_enterpriseannualmetric_land_positive", "Land must be more than zero mu."),
            ({"land_area": D("-1")}, "chains_enterpriseannualmetric_land_positive", "Land must be more than zero mu."),
            (
                {"tax_paid": D("-0.01")},
                "chains_enterpriseannualmetric_amounts_not_negative",
                "Tax, output and revenue cannot be negative.",
            ),
            (
                {"industrial_output": D("-1")},
                "chains_enterpriseannualmetric_amounts_not_negative",
                "Tax, output and revenue cannot be negative.",
            ),
            (
                {"revenue": D("-1")},
                "chains_enterpriseannualmetric_amounts_not_negative",
                "Tax, output and revenue cannot be negative.",
            ),
            (
                {"energy_use": D("-1")},
                "chains_enterpriseannualmetric_optional_amounts_not_negative",
                "Energy use and R&D spending cannot be negative.",
            ),
            (
                {"rd_spending": D("-1")},
                "chains_enterpriseannualmetric_optional_amounts_not_negative",
                "Energy use and R&D spending cannot be negative.",
            ),
            (
                {"employees": -1},
                "chains_enterpriseannualmetric_employees_not_negative",
                "Employees cannot be negative.",
            ),
        ],
    )
    def test_check_constraint_refuses_with_its_message(self, values, name, message):
        assert_refused(lambda: EnterpriseAnnualMetricFactory(**values))
        instance = EnterpriseAnnualMetricFactory.build(**values)
        assert constraint_message(EnterpriseAnnualMetric, name, instance) == [message]

    def test_valid_row_passes_every_constraint_and_optional_amounts_may_be_empty(self):
        metric = EnterpriseAnnualMetricFactory(energy_use=None, rd_spending=None, employees=0, tax_paid=D(0))
        metric.full_clean()

    def test_year_cannot_be_in_the_future(self):
        metric = EnterpriseAnnualMetricFactory.build(
            enterprise=EnterpriseFactory(), year=datetime.date.today().year + 2
        )
        with pytest.raises(ValidationError) as error:
            metric.full_clean()
        assert "year" in error.value.message_dict


class TestSchemeConstraints:
    def test_one_scheme_per_year(self):
        PerMuGradeSchemeFactory(year=2024)
        assert_refused(lambda: PerMuGradeSchemeFactory(year=2024))
        with pytest.raises(ValidationError) as error:
            PerMuGradeScheme(year=2024, tax_per_mu_a=3, tax_per_mu_b=2, tax_per_mu_c=1).validate_constraints()
        assert error.value.messages == ["This year already has a grade scheme."]

    @pytest.mark.parametrize(
        "thresholds",
        [(D(10), D(20), D(5)), (D(30), D(5), D(15)), (D(30), D(15), D(-1)), (D(5), D(10), D(15))],
    )
    def test_thresholds_must_be_ordered(self, thresholds):
        a, b, c = thresholds
        assert_refused(lambda: PerMuGradeSchemeFactory(tax_per_mu_a=a, tax_per_mu_b=b, tax_per_mu_c=c))
        instance = PerMuGradeScheme(year=2024, tax_per_mu_a=a, tax_per_mu_b=b, tax_per_mu_c=c)
        assert constraint_message(PerMuGradeScheme, "chains_permugradescheme_thresholds_ordered", instance) == [
            "Thresholds must satisfy A ≥ B ≥ C ≥ 0."
        ]

    def test_equal_thresholds_are_allowed(self):
        PerMuGradeSchemeFactory(tax_per_mu_a=D(10), tax_per_mu_b=D(10), tax_per_mu_c=D(0)).full_clean()

    def test_year_range(self):
        assert_refused(lambda: PerMuGradeSchemeFactory(year=1999))
        instance = PerMuGradeScheme(year=2101, tax_per_mu_a=3, tax_per_mu_b=2, tax_per_mu_c=1)
        assert constraint_message(PerMuGradeScheme, "chains_permugradescheme_year_range", instance) == [
            "The year must lie between 2000 and 2100."
        ]


def test_both_models_keep_history():
    metric = EnterpriseAnnualMetricFactory()
    metric.tax_paid = D("1234.00")
    metric.save()
    assert list(metric.history.order_by("history_date").values_list("history_type", flat=True)) == ["+", "~"]
    scheme = PerMuGradeSchemeFactory()
    scheme.delete()
    assert PerMuGradeScheme.history.filter(year=2024).count() == 2


# ---------------------------------------------------------------- derived figures, grades, ranks


def test_derived_figures_grades_and_ranks(firms):
    got = {m.enterprise.name: m for m in stats.ranking(2024)}
    expected = {
        # name: (tax/mu, output/mu, energy/output, grade, rank)
        "甲": (D("35.0000"), D("500.0000"), D("0.0500"), "A", 1),
        "戊": (D("35.0000"), D("200.0000"), None, "A", 1),
        "乙": (D("20.0000"), D("300.0000"), None, "B", 3),
        "丙": (D("8.3333"), D("150.0000"), D("0.1000"), "C", 4),
        "丁": (D("2.5000"), D("0.0000"), None, "D", 5),
    }
    for name, (tax, output, energy, grade, rank) in expected.items():
        metric = got[name]
        assert (metric.tax_per_mu, metric.output_per_mu, metric.energy_per_output) == (tax, output, energy), name
        assert (metric.grade, metric.rank) == (grade, rank), name


def test_ranking_is_ordered_by_tax_per_mu_and_rank_ignores_filters(firms):
    assert [m.enterprise.name for m in stats.ranking(2024)] == ["戊", "甲", "乙", "丙", "丁"]  # ties by name
    # The rank is the place in the whole year, also when only some firms are listed.
    assert [(m.enterprise.name, m.rank) for m in stats.ranking(2024).filter(enterprise__town="新埭镇")] == [
        ("丙", 4),
        ("丁", 5),
    ]


def test_ranks_are_per_year(firms):
    EnterpriseAnnualMetricFactory(enterprise=firms["丁"].enterprise, year=2023, land_area=D(10), tax_paid=D(1))
    assert [(m.year, m.rank) for m in stats.enterprise_metrics_over_years(firms["丁"].enterprise)] == [
        (2023, 1),
        (2024, 5),
    ]


def test_grade_boundaries_are_inclusive():
    values = {"29.99": "B", "30.00": "A", "15.00": "B", "14.99": "C", "5.00": "C", "4.99": "D", "0.00": "D"}
    for tax in values:
        EnterpriseAnnualMetricFactory(land_area=D(1), tax_paid=D(tax))
    got = {str(m.tax_paid): m.grade for m in stats.annual_metrics()}
    assert got == values


def test_year_scheme_overrides_the_default_only_for_its_year():
    firm = EnterpriseFactory()
    EnterpriseAnnualMetricFactory(enterprise=firm, year=2023, land_area=D(100), tax_paid=D(3500))  # 35
    EnterpriseAnnualMetricFactory(enterprise=firm, year=2024, land_area=D(100), tax_paid=D(3500))  # 35
    assert [m.grade for m in stats.enterprise_metrics_over_years(firm)] == ["A", "A"]
    PerMuGradeSchemeFactory(year=2024, tax_per_mu_a=D(40), tax_per_mu_b=D(20), tax_per_mu_c=D(10))
    assert [m.grade for m in stats.enterprise_metrics_over_years(firm)] == ["A", "B"]  # 2023 keeps the default
    assert [m.grade for m in stats.ranking(2024)] == ["B"]  # the same, by the one-year expression


def test_thresholds_for_reports_the_source():
    assert stats.thresholds_for(2024) == (DEFAULT_GRADE_THRESHOLDS, False)
    PerMuGradeSchemeFactory(year=2024, tax_per_mu_a=D(40), tax_per_mu_b=D(20), tax_per_mu_c=D(10))
    thresholds, own = stats.thresholds_for(2024)
    assert (thresholds.a, thresholds.b, thresholds.c, own) == (D(40), D(20), D(10), True)


def test_default_scheme_is_documented_in_code():
    assert DEFAULT_GRADE_THRESHOLDS == (D("30.00"), D("15.00"), D("5.00"))
    assert DEFAULT_GRADE_THRESHOLDS.a >= DEFAULT_GRADE_THRESHOLDS.b >= DEFAULT_GRADE_THRESHOLDS.c >= 0


def test_default_year_is_latest_complete_year_with_figures(monkeypatch):
    monkeypatch.setattr(stats, "last_complete_year", lambda: 2025)
    assert stats.default_year() == 2025  # nothing entered
    EnterpriseAnnualMetricFactory(year=2023)
    assert stats.default_year() == 2023
    EnterpriseAnnualMetricFactory(year=2026)  # the current year is not complete
    assert stats.default_year() == 2023
    assert stats.metric_years() == [2026, 2023]


# ---------------------------------------------------------------- group tables, candidates


def test_by_town(firms):
    rows = stats.per_mu_by_town(2024)
    assert [row["town"] for row in rows] == ["", "乍浦镇", "新埭镇"]
    by_town = {row["town"]: row for row in rows}
    assert by_town["乍浦镇"] == {
        "town": "乍浦镇",
        "town_label": "Zhapu Town",
        "firms": 2,
        "total_land_area": D("180.00"),
        "total_tax_paid": D("5100.00"),
        "total_industrial_output": D("74000.00"),
        "tax_per_mu": D("28.3333"),  # 5100 ÷ 180, not the mean of 35 and 20
        "output_per_mu": D("411.1111"),
        "grade_a": 1,
        "grade_b": 1,
        "grade_c": 0,
        "grade_d": 0,
    }
    assert (by_town["新埭镇"]["tax_per_mu"], by_town["新埭镇"]["grade_c"], by_town["新埭镇"]["grade_d"]) == (
        D("6.0000"),
        1,
        1,
    )
    assert str(by_town[""]["town_label"]) == "no town"
    assert (by_town[""]["firms"], by_town[""]["tax_per_mu"], by_town[""]["grade_a"]) == (1, D("35.0000"), 1)


def test_by_chain(firms):
    rows = stats.per_mu_by_chain(2024)
    assert [row["code"] for row in rows] == ["nev", "cnc"]
    nev, cnc = rows
    assert (nev["firms"], nev["total_land_area"], nev["total_tax_paid"]) == (3, D("230.00"), D("6850.00"))
    assert (nev["tax_per_mu"], nev["output_per_mu"]) == (D("29.7826"), D("365.2174"))  # 6850 ÷ 230, 84000 ÷ 230
    assert (nev["grade_a"], nev["grade_b"], nev["grade_c"], nev["grade_d"]) == (2, 1, 0, 0)
    assert (cnc["firms"], cnc["tax_per_mu"], cnc["output_per_mu"]) == (2, D("15.0000"), D("235.7143"))
    assert (cnc["grade_a"], cnc["grade_b"], cnc["grade_c"], cnc["grade_d"]) == (0, 1, 1, 0)
    assert [row["code"] for row in stats.per_mu_by_chain(2024, chain=cnc_chain(firms))] == ["cnc"]


def cnc_chain(firms):
    return firms["丙"].enterprise.chain_roles.get().chain


def test_city_total(firms):
    total = stats.per_mu_total(2024)
    assert (total["firms"], total["total_land_area"], total["total_tax_paid"]) == (5, D("330.00"), D("7450.00"))
    assert total["tax_per_mu"] == D("22.5758")  # 7450 ÷ 330
    assert (total["grade_a"], total["grade_b"], total["grade_c"], total["grade_d"]) == (2, 1, 1, 1)


def test_group_tables_of_a_year_without_figures_are_empty(firms):
    assert stats.per_mu_by_town(2023) == [] and stats.per_mu_by_chain(2023) == []
    assert stats.per_mu_total(2023)["firms"] == 0


def test_group_grades_follow_the_year_scheme(firms):
    PerMuGradeSchemeFactory(year=2024, tax_per_mu_a=D(40), tax_per_mu_b=D(20), tax_per_mu_c=D(10))
    total = stats.per_mu_total(2024)
    assert (total["grade_a"], total["grade_b"], total["grade_c"], total["grade_d"]) == (0, 3, 0, 2)


def test_renewal_candidates_are_c_and_d_least_tax_per_mu_first(firms):
    candidates = stats.renewal_candidates(2024)
    assert [(m.enterprise.name, m.grade) for m in candidates] == [("丁", "D"), ("丙", "C")]
    assert set(RENEWAL_GRADES) == {Grade.C, Grade.D}
    assert list(stats.renewal_candidates(2023)) == []


def test_enterprise_metrics_partial_lists_the_years():
    firm = EnterpriseFactory()
    EnterpriseAnnualMetricFactory(enterprise=firm, year=2022, land_area=D(10), tax_paid=D(400))  # 40: A
    EnterpriseAnnualMetricFactory(enterprise=firm, year=2023, land_area=D(10), tax_paid=D(20))  # 2: D
    html = render_to_string(
        "chains/includes/enterprise_metrics.html", {"metrics": stats.enterprise_metrics_over_years(firm)}
    )
    assert html.index("2022") < html.index("2023")
    assert "grade-a" in html and "text-bg-success" in html and "grade-d" in html and "text-bg-danger" in html
    empty = render_to_string(
        "chains/includes/enterprise_metrics.html",
        {"metrics": stats.enterprise_metrics_over_years(EnterpriseFactory())},
    )
    assert "No per-mu figures recorded for this enterprise." in empty
