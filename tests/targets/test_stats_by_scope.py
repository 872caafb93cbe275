"""The grouped statistics the targets read agree with the statistics they group (one definition, not two)."""

import datetime
from decimal import Decimal

import pytest

from chains.stats import chain_output_by
from projects import band_stats, funds_stats, stats, stats_by_scope
from projects.periods import Period

D = datetime.date
YEAR = Period(D(2025, 1, 1), D(2025, 12, 31))


def test_signed_figures_by_chain_and_cluster_agree_with_signed_by_chain(world):
    by_chain = stats_by_scope.bands_by(YEAR, "chain")
    for row in stats.signed_by_chain(YEAR):
        found = by_chain.get(row["pk"], {"signed_projects": 0, "signed_investment": Decimal("0")})
        assert (found["signed_projects"], found["signed_investment"]) == (
            row["signed_projects"],
            row["signed_investment"],
        )
    by_cluster = stats_by_scope.bands_by(YEAR, "cluster")[world["x"].pk]
    assert (by_cluster["signed_projects"], by_cluster["signed_investment"]) == (2, Decimal("162000.00"))
    city = stats.signed_summary(YEAR)
    grouped = stats_by_scope.bands_by(YEAR, "city")[None]
    assert (grouped["signed_projects"], grouped["signed_investment"]) == (
        city["signed_projects"],
        city["signed_investment"],
    )


def test_bands_by_town_agree_with_bands_by_town(world):
    grouped = stats_by_scope.bands_by(YEAR, "town")
    for row in band_stats.bands_by_town(YEAR):
        for band in row["bands"]:
            assert grouped.get(row["code"], {}).get(f"{band['band']}__projects", 0) == band["signed_projects"]
    counted = stats_by_scope.counted_bands_by(YEAR, "town")  # the bands a target counts only
    for code, figures in grouped.items():
        assert counted[code] == {
            name: value
            for name, value in figures.items()
            if name in ("signed_projects", "signed_investment")
            or name.removesuffix("__projects") in stats_by_scope.COUNTED_BANDS
        }


def test_funds_by_chain_and_town_agree(world):
    sums = ("funds_in_place", "foreign_paid_in")  # funds_by reads only these (the targets' figures)
    by_chain = funds_stats.funds_by_chain(YEAR)
    assert stats_by_scope.funds_by(YEAR, "chain") == {
        chain: {key: row[key] for key in sums} for chain, row in by_chain.items()
    }
    towns = {row.pop("town"): row for row in funds_stats.funds_by_town(YEAR)}
    for town, row in stats_by_scope.funds_by(YEAR, "town").items():
        row.pop("label", None)
        assert {key: row[key] for key in ("funds_in_place", "foreign_paid_in")} == {
            key: towns[town][key] for key in ("funds_in_place", "foreign_paid_in")
        }


def test_visits_agree_with_visit_summary(world):
    for by, scope in (("chain", "a"), ("cluster", "x")):
        found = stats_by_scope.visits_by(YEAR, by)[world[scope].pk]
        summary = stats.visit_summary(YEAR, **{by: world[scope]})
        assert found == {key: summary[key] for key in ("visits", "saturday_person_times")}
    assert stats_by_scope.visits_by(YEAR, "city")[None] == {"visits": 3, "saturday_person_times": 5}
    with pytest.raises(ValueError):
        stats_by_scope.visits_by(YEAR, "town")


def test_milestones_by_month(world):
    assert stats_by_scope.milestones_by(YEAR, "city", monthly=True) == {
        D(2025, 2, 1): {"started_projects": 1, "in_production_projects": 0},
        D(2025, 5, 1): {"started_projects": 1, "in_production_projects": 0},
        D(2025, 8, 1): {"started_projects": 0, "in_production_projects": 1},
    }


def test_chain_output_counts_a_firm_once_per_cluster(world):
    assert chain_output_by([2024, 2025], "cluster", only=[world["x"].pk]) == {
        (world["x"].pk, 2024): Decimal("20000"),
        (world["x"].pk, 2025): Decimal("25000"),
    }
    by_chain = chain_output_by([2025], "chain")
    assert (by_chain[(world["a"].pk, 2025)], by_chain[(world["b"].pk, 2025)]) == (Decimal("25000"), Decimal("25000"))


def test_every_kind_from_one_read_of_each_source(world, django_assert_num_queries):
    """``<source>_by_kinds``: each kind's groups, hand-computed, from one read of the finest grain (milestones two)."""
    kinds = stats_by_scope.SCOPE_KINDS
    with django_assert_num_queries(1):
        bands = stats_by_scope.bands_by_kinds(YEAR, kinds)
    figures = ("signed_projects", "signed_investment", "cny_100m__projects", "cny_1bn__projects", "usd_100m__projects")

    def signed(groups):
        return {key: tuple(row[name] for name in figures) for key, row in groups.items()}

    a, b, c, x, y = (world[name].pk for name in "abcxy")
    p1, p2 = world["p1"], world["p2"]
    assert p1.responsible_unit_id == p2.responsible_unit_id  # one unit record, written two ways
    unit = p1.responsible_unit_id
    assert signed(bands["city"]) == {None: (3, Decimal("165000.00"), 2, 1, 1)}
    assert signed(bands["cluster"]) == {x: (2, Decimal("162000.00"), 2, 1, 1), y: (1, Decimal("3000.00"), 0, 0, 0)}
    assert signed(bands["chain"]) == {a: (2, Decimal("162000.00"), 2, 1, 1), c: (1, Decimal("3000.00"), 0, 0, 0)}
    assert signed(bands["town"]) == {
        "当湖街道": (1, Decimal("12000.00"), 1, 0, 0),
        "钟埭街道": (1, Decimal("150000.00"), 1, 1, 1),
        "": (1, Decimal("3000.00"), 0, 0, 0),
    }
    assert signed(bands["unit"]) == {unit: (2, Decimal("162000.00"), 2, 1, 1), None: (1, Decimal("3000.00"), 0, 0, 0)}
    for kind in kinds:
        assert bands[kind] == stats_by_scope.counted_bands_by(YEAR, kind)

    with django_assert_num_queries(1):
        funds = stats_by_scope.funds_by_kinds(YEAR, ["city", "cluster", "chain", "town"])
    money = {
        key: {group: (row["funds_in_place"], row["foreign_paid_in"]) for group, row in groups.items()}
        for key, groups in funds.items()
    }
    assert money == {
        "city": {None: (Decimal("1000.00"), Decimal("50.00"))},
        "cluster": {x: (Decimal("1000.00"), Decimal("50.00"))},
        "chain": {a: (Decimal("600.00"), Decimal("50.00")), b: (Decimal("400.00"), Decimal("0.00"))},
        "town": {"当湖街道": (Decimal("1000.00"), Decimal("50.00"))},
    }
    assert stats_by_scope.funds_by_kinds(YEAR, ["unit"])["unit"] == stats_by_scope.funds_by(YEAR, "unit")

    with django_assert_num_queries(2):
        milestones = stats_by_scope.milestones_by_kinds(YEAR, ["city", "chain", "town"])
    assert milestones == {
        "city": {None: {"started_projects": 2, "in_production_projects": 1}},
        "chain": {
            a: {"started_projects": 1, "in_production_projects": 1},
            b: {"started_projects": 1, "in_production_projects": 0},
        },
        "town": {"当湖街道": {"started_projects": 2, "in_production_projects": 1}},
    }
