"""The monthly briefing (招商简报): a text generated from a report's figures, editable before closing.

``generate(figures)`` reads only the figures ``reports.figures.compute`` returns (so the briefing
says what the report's tables say): the headline figures, the largest signed projects (亿元以上,
at most five) and the targets far behind their time progress (the five farthest, with how many there
are). Amounts in 亿元 (``pinghu.figures.yi``).
"""

from decimal import Decimal

from pinghu.figures import yi

LARGEST = 5
FAR_BEHIND = "far_behind"
FARTHEST = 5  # far-behind targets named


def _percent(value) -> str:
    if value in (None, ""):
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"


def _period(figures: dict) -> str:
    start, end = figures["period"]["start"], figures["period"]["end"]
    return f"{start}至{end}"


def generate(figures: dict) -> str:
    """The briefing's text for ``figures`` (a report's stored or computed figures)."""
    s = figures["summary"]
    lines = [
        f"{_period(figures)}，全市开展招商走访{s['visits']}次（其中周六招商日{s['saturday_visits']}次），"
        f"参与{s['person_times']}人次（周六{s['saturday_person_times']}人次），对接项目{s['projects_engaged']}个。",
        f"签约项目{s['signed_projects']}个，计划总投资{yi(Decimal(s['signed_investment']))}亿元，"
        f"其中亿元以上项目{s['cny_100m__projects']}个、10亿元以上项目{s['cny_1bn__projects']}个、"
        f"总投资超亿美元项目{s['usd_100m__projects']}个。",
        f"内资到位{yi(Decimal(s['funds_in_place']))}亿元，实际利用外资{s['foreign_paid_in']}万美元；"
        f"新开工项目{s['started_in_period']}个，新投产项目{s['in_production_in_period']}个；"
        f"本期签约项目开工率{_percent(s['started_rate'])}、投产率{_percent(s['in_production_rate'])}。",
    ]
    largest = figures.get("major_signed") or []
    if largest:
        names = "、".join(f"{row['name']}（{yi(Decimal(row['total_investment']))}亿元）" for row in largest[:LARGEST])
        lines.append(f"签约的重点项目有：{names}。")
    behind = [row for row in figures.get("targets") or [] if row["status"] == FAR_BEHIND]
    if behind:
        # The farthest behind first (the largest gap), at most FARTHEST of them: a briefing, not the table.
        behind.sort(key=lambda row: Decimal(row["completion"]) - Decimal(row["time_progress"]))
        items = "、".join(
            f"{row['scope'] or '全市'}{row['metric_label']}（完成{_percent(row['completion'])}，"
            f"时序进度{_percent(row['time_progress'])}）"
            for row in behind[:FARTHEST]
        )
        more = f"等{len(behind)}项" if len(behind) > FARTHEST else ""
        lines.append(f"明显滞后于时序进度的目标：{items}{more}。")
    if "issues_collected" in s:
        lines.append(
            f"收集企业诉求{s['issues_collected']}件，办结{s['issues_resolved']}件，办结率{_percent(s['issues_resolution_rate'])}；"
            f"供地{s['land_supplied']}亩。"
        )
    return "\n".join(lines)
