"""Time progress, completion, gap, status and ranks, computed by hand."""

import datetime
from decimal import Decimal

import pytest

from targets import progress
from targets.choices import ProgressStatus
from targets.models import AssessmentWeight
from targets.selectors import monthly_trend, rankings, target_progress
from tests.targets.conftest import target

D = datetime.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 1, 1), "0.0000"),  # January not done yet
        (D(2025, 1, 24), "0.0000"),
        (D(2025, 1, 25), "0.0833"),  # from the 25th the month counts: 1/12
        (D(2025, 1, 31), "0.0833"),
        (D(2025, 2, 1), "0.0833"),
        (D(2025, 6, 24), "0.4167"),  # 5/12
        (D(2025, 6, 25), "0.5000"),  # 6/12
        (D(2025, 6, 30), "0.5000"),
        (D(2025, 12, 24), "0.9167"),
        (D(2025, 12, 25), "1.0000"),
        (D(2024, 12, 31), "0.0000"),  # before the year
        (D(2026, 3, 1), "1.0000"),  # after it
    ],
)
def test_time_progress_counts_the_month_from_its_25th(day, expected):
    assert progress.time_progress(2025, 2025, day) == Decimal(expected)


def test_time_progress_of_a_multi_year_target():
    # 2023–2025: 36 months. 2024-06-30: 12 + 6 = 18 months → 0.5; 2024-06-24: 17/36 = 0.4722.
    assert progress.time_progress(2023, 2025, D(2024, 6, 30)) == Decimal("0.5000")
    assert progress.time_progress(2023, 2025, D(2024, 6, 24)) == Decimal("0.4722")
    assert progress.time_progress(2023, 2025, D(2023, 1, 25)) == Decimal("0.0278")


def test_done_day_is_a_setting_and_short_months_count_from_their_last_day(settings):
    settings.PINGHU_TARGET_MONTH_DONE_DAY = 31
    assert progress.time_progress(2025, 2025, D(2025, 2, 28)) == Decimal("0.1667")  # February done on its 28th
    assert progress.time_progress(2025, 2025, D(2025, 1, 30)) == Decimal("0.0000")
    settings.PINGHU_TARGET_MONTH_DONE_DAY = 1
    assert progress.time_progress(2025, 2025, D(2025, 1, 1)) == Decimal("0.0833")


@pytest.mark.parametrize(
    ("rate", "elapsed", "gap", "status"),
    [
        ("0.5000", "0.5000", "0.00", ProgressStatus.AHEAD),  # equal is ahead
        ("0.6000", "0.5000", "10.00", ProgressStatus.AHEAD),
        ("0.4999", "0.5000", "-0.01", ProgressStatus.BEHIND),
        ("0.4000", "0.5000", "-10.00", ProgressStatus.BEHIND),  # exactly 10 points below: behind
        ("0.3999", "0.5000", "-10.01", ProgressStatus.FAR_BEHIND),
        ("0.4600", "0.5833", "-12.33", ProgressStatus.FAR_BEHIND),  # 完成46%，低于时序进度12个百分点
    ],
)
def test_gap_and_status_at_their_boundaries(rate, elapsed, gap, status):
    assert progress.gap_points(Decimal(rate), Decimal(elapsed)) == Decimal(gap)
    assert progress.status(Decimal(rate), Decimal(elapsed)) == status


def test_behind_points_is_a_setting(settings):
    settings.PINGHU_TARGET_BEHIND_POINTS = Decimal("5")
    assert progress.status(Decimal("0.4400"), Decimal("0.5000")) == ProgressStatus.FAR_BEHIND


def test_competition_ranks_share_and_skip():
    items = ["a", "b", "c", "d", "e"]
    values = {"a": Decimal("0.8"), "b": Decimal("0.9"), "c": Decimal("0.8"), "d": Decimal("0.1"), "e": None}
    ranks = progress.competition_ranks(items, key=values.get)
    assert [ranks[id(item)] for item in items] == [2, 1, 2, 4, None]


def test_hand_computed_completion_on_a_day(world):
    # 3 signed projects of 2025 against 6: 0.5; as of 2025-08-20: 7 months done → 0.5833; gap −8.33: behind.
    made = target("signed_projects", "6")
    (row,) = target_progress(2025, D(2025, 8, 20))
    assert row.target == made
    assert (row.actual, row.completion, row.time_progress) == (Decimal("3"), Decimal("0.5000"), Decimal("0.5833"))
    assert (row.gap_points, row.status, row.remaining) == (Decimal("-8.33"), ProgressStatus.BEHIND, Decimal("3"))
    assert row.unit == "projects"
    assert (row.period_start, row.period_end) == (D(2025, 1, 1), D(2025, 8, 20))


def test_a_target_with_no_actual_yet_is_zero_and_far_behind(world):
    target("projects_in_production", "4", scope_kind="town", town="乍浦镇")
    (row,) = target_progress(2025, D(2025, 9, 30))
    assert (row.actual, row.completion, row.gap_points) == (Decimal("0"), Decimal("0.0000"), Decimal("-75.00"))
    assert row.status == ProgressStatus.FAR_BEHIND


def test_the_end_of_june_gives_the_figures_as_they_stood(world):
    made = target("signed_investment", "100000")  # 165,000 by the year's end, 15,000 on 2025-06-30
    (june,) = target_progress(2025, D(2025, 6, 30))
    (year_end,) = target_progress(2025, D(2025, 12, 31))
    assert (june.actual, june.completion, june.time_progress) == (Decimal("15000"), Decimal("0.1500"), Decimal("0.5"))
    assert june.status == ProgressStatus.FAR_BEHIND
    assert (year_end.actual, year_end.completion, year_end.status) == (
        Decimal("165000"),
        Decimal("1.6500"),
        ProgressStatus.AHEAD,
    )
    assert year_end.target == made


def test_multi_year_target_progress(world):
    # 2023–2025 chain output 250亿元 = 2,500,000 万元 (the machine-tool goal's shape); 2025 output 25,000.
    target("chain_output", "2500000", scope_kind="chain", chain=world["a"], year_from=2023, year_to=2025)
    (row,) = target_progress(2024, D(2024, 6, 30))
    assert row.actual == Decimal("20000")  # 2024 is the latest year up to the as-of day's
    assert (row.completion, row.time_progress, row.gap_points) == (Decimal("0.0080"), Decimal("0.5"), Decimal("-49.20"))


def test_town_ranking_with_ties_and_weighted_score(world):
    # 当湖街道: signed 1 of 2 (0.5), started 2 of 1 (2.0, capped at 1.2); 钟埭街道: signed 1 of 2 (0.5);
    # 新埭镇: signed 0 of 1 (0). Weights: signed 3, started 1.
    for town in ("当湖街道", "钟埭街道"):
        target("signed_projects", "2", scope_kind="town", town=town)
    target("signed_projects", "1", scope_kind="town", town="新埭镇")
    target("projects_started", "1", scope_kind="town", town="当湖街道")
    target("signed_projects", "9", scope_kind="town", town="乍浦镇", year_from=2024, year_to=2025)  # not ranked
    AssessmentWeight.objects.create(year=2025, metric="signed_projects", weight=Decimal("3"))
    AssessmentWeight.objects.create(year=2025, metric="projects_started", weight=Decimal("1"))
    rows = rankings(2025, D(2025, 12, 31), scope_kind="town")
    by_town = {row.scope: row for row in rows}
    assert set(by_town) == {"当湖街道", "钟埭街道", "新埭镇"}
    assert [by_town[town].ranks["signed_projects"] for town in ("当湖街道", "钟埭街道", "新埭镇")] == [1, 1, 3]
    # Scores: 当湖 (3 × 0.5 + 1 × 1.2) / 4 = 0.675; 钟埭 3 × 0.5 / 3 = 0.5; 新埭 0.
    assert [(row.scope, row.score, row.rank) for row in rows] == [
        ("当湖街道", Decimal("0.6750"), 1),
        ("钟埭街道", Decimal("0.5000"), 2),
        ("新埭镇", Decimal("0.0000"), 3),
    ]


def test_unit_ranking_matches_units_written_differently(world):
    target("signed_projects", "4", scope_kind="unit", unit="平湖市商务局")
    target("signed_projects", "1", scope_kind="unit", unit="平湖市经信局")
    rows = rankings(2025, D(2025, 12, 31), scope_kind="unit")
    assert [(row.scope, row.progress["signed_projects"].actual, row.rank) for row in rows] == [
        ("平湖市商务局", Decimal("2"), 1),  # P1 and P2 (written "平湖市 商务局"): 0.5
        ("平湖市经信局", Decimal("0"), 2),  # P3 signed in 2024: 0
    ]


def test_weight_zero_leaves_a_metric_out_and_all_zero_is_unranked(world):
    target("signed_projects", "2", scope_kind="town", town="当湖街道")
    AssessmentWeight.objects.create(year=2025, metric="signed_projects", weight=Decimal("0"))
    (row,) = rankings(2025, D(2025, 12, 31))
    assert (row.score, row.rank, row.ranks["signed_projects"]) == (None, None, 1)


def test_monthly_trend(world):
    made = target("funds_in_place", "1200", scope_kind="chain", chain=world["a"])
    points = monthly_trend(made, 2025, as_of=D(2025, 7, 10))
    # Chain A (P1): Jan 100, Jun 200, Jul 300; the last point is as of 2025-07-10 (July not yet done).
    assert [(p.month.month, p.actual, p.completion, p.time_progress) for p in points] == [
        (1, Decimal("100"), Decimal("0.0833"), Decimal("0.0833")),
        (2, Decimal("100"), Decimal("0.0833"), Decimal("0.1667")),
        (3, Decimal("100"), Decimal("0.0833"), Decimal("0.2500")),
        (4, Decimal("100"), Decimal("0.0833"), Decimal("0.3333")),
        (5, Decimal("100"), Decimal("0.0833"), Decimal("0.4167")),
        (6, Decimal("300"), Decimal("0.2500"), Decimal("0.5000")),
        (7, Decimal("600"), Decimal("0.5000"), Decimal("0.5000")),
    ]
    assert points[-1].day == D(2025, 7, 10)
