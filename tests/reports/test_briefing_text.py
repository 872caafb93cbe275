"""The briefing names at most five far-behind targets, the farthest first, and says how many there are."""

from reports.briefing import generate

SUMMARY = {
    "visits": 10,
    "saturday_visits": 4,
    "person_times": 25,
    "saturday_person_times": 12,
    "projects_engaged": 6,
    "signed_projects": 3,
    "signed_investment": "150000.00",
    "cny_100m__projects": 2,
    "cny_1bn__projects": 1,
    "usd_100m__projects": 1,
    "funds_in_place": "5200.00",
    "foreign_paid_in": "310.00",
    "started_in_period": 2,
    "in_production_in_period": 1,
    "started_rate": "0.3333",
    "in_production_rate": None,
}


def target(scope: str, completion: str, status: str = "far_behind") -> dict:
    return {
        "scope": scope,
        "metric_label": "签约项目",
        "completion": completion,
        "time_progress": "0.5000",
        "status": status,
    }


def test_far_behind_targets_farthest_first_five_at_most():
    rows = [target(f"镇{n}", f"0.{n}000") for n in range(1, 8)] + [target("全市", "0.9000", "ahead")]
    text = generate({"period": {"start": "2025-06-01", "end": "2025-06-30"}, "summary": SUMMARY, "targets": rows})
    line = next(line for line in text.splitlines() if line.startswith("明显滞后"))
    assert line == (
        "明显滞后于时序进度的目标：镇1签约项目（完成10.0%，时序进度50.0%）、镇2签约项目（完成20.0%，时序进度50.0%）、"
        "镇3签约项目（完成30.0%，时序进度50.0%）、镇4签约项目（完成40.0%，时序进度50.0%）、"
        "镇5签约项目（完成50.0%，时序进度50.0%）等7项。"
    )
    assert "签约项目3个，计划总投资15.00亿元" in text and "投产率—" in text
