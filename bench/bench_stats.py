"""Time the statistics in ``projects/stats.py`` against hand-written SQL for the same figures, and check they agree.

Runs on a demo data set in the ``pinghu_bench`` database (generated once at the requested size,
reused afterwards). For each statistic it prints the median time of the ORM function and of a
hand-written SQL query, their ratio, and whether both gave the same numbers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/bench_stats.py \
        [--projects 100000] [--visits 200000] [--repeat 7]
"""

import argparse
import datetime
from decimal import Decimal

from _setup import ensure_demo_data, median_seconds, setup_django

YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))

VISIT_SUMMARY_SQL = """
SELECT COUNT(*), COUNT(*) FILTER (WHERE v.is_saturday),
       (SELECT COUNT(*) FROM projects_visitleader l JOIN projects_investmentvisit w ON w.id = l.visit_id
         WHERE w.date BETWEEN %(start)s AND %(end)s),
       (SELECT COUNT(*) FROM projects_visitleader l JOIN projects_investmentvisit w ON w.id = l.visit_id
         WHERE w.date BETWEEN %(start)s AND %(end)s AND w.is_saturday),
       (SELECT COUNT(DISTINCT p.project_id) FROM projects_visitproject p JOIN projects_investmentvisit w
            ON w.id = p.visit_id WHERE w.date BETWEEN %(start)s AND %(end)s),
       (SELECT COUNT(DISTINCT p.project_id) FROM projects_visitproject p JOIN projects_investmentvisit w
            ON w.id = p.visit_id WHERE w.date BETWEEN %(start)s AND %(end)s AND w.is_saturday)
FROM projects_investmentvisit v WHERE v.date BETWEEN %(start)s AND %(end)s
"""
# The major-project rule of projects.bands: a Fortune 500 or industry-leader investor, or total
# investment ≥ US$100 million at the year's rate (its own, else the latest earlier, else the earliest).
SIGNED_SUMMARY_SQL = """
WITH r AS (SELECT COALESCE(
    (SELECT cny_per_usd FROM projects_exchangerate WHERE year <= %(year)s ORDER BY year DESC LIMIT 1),
    (SELECT cny_per_usd FROM projects_exchangerate ORDER BY year LIMIT 1)) AS rate)
SELECT COUNT(*), COALESCE(SUM(p.total_investment), 0), COALESCE(SUM(p.foreign_investment), 0),
       COUNT(*) FILTER (WHERE e.fortune500 OR e.industry_leader OR p.total_investment >= r.rate * 10000),
       COUNT(*) FILTER (WHERE p.construction_date IS NOT NULL)
FROM r, projects_project p JOIN chains_enterprise e ON e.id = p.investor_id
WHERE p.signed_date BETWEEN %(start)s AND %(end)s
"""
PIPELINE_SQL = """
SELECT s.to_stage, COUNT(*), COALESCE(SUM(p.total_investment), 0)
FROM projects_project p
JOIN LATERAL (SELECT c.to_stage FROM projects_projectstagechange c WHERE c.project_id = p.id AND c.at <= %(end)s
              ORDER BY c.at DESC, c.id DESC LIMIT 1) s ON true
GROUP BY s.to_stage
"""
SIGNED_BY_CHAIN_SQL = """
SELECT c.code, COUNT(p.id), COALESCE(SUM(p.total_investment), 0)
FROM chains_chain c
LEFT JOIN projects_project p ON p.chain_id = c.id AND p.signed_date BETWEEN %(start)s AND %(end)s
GROUP BY c.code
"""
VISITS_BY_CHAIN_SQL = """
SELECT c.code,
       (SELECT COUNT(*) FROM projects_investmentvisit_chains vc
          JOIN projects_investmentvisit v ON v.id = vc.investmentvisit_id
         WHERE vc.chain_id = c.id AND v.date BETWEEN %(start)s AND %(end)s),
       (SELECT COUNT(*) FROM projects_investmentvisit_chains vc
          JOIN projects_investmentvisit v ON v.id = vc.investmentvisit_id
          JOIN projects_visitleader l ON l.visit_id = v.id
         WHERE vc.chain_id = c.id AND v.date BETWEEN %(start)s AND %(end)s)
FROM chains_chain c
"""
MONTHLY_VISITS_SQL = """
SELECT date_trunc('month', v.date)::date, COUNT(DISTINCT v.id), COUNT(l.id)
FROM projects_investmentvisit v LEFT JOIN projects_visitleader l ON l.visit_id = v.id
WHERE v.date BETWEEN %(start)s AND %(end)s GROUP BY 1
"""


def measure(*, repeat: int = 7) -> dict:
    """Each statistic of the period YEAR through the ORM and by hand: medians, ratio, same result."""
    from django.db import connection

    from projects import stats, stats_monthly

    params = {"start": YEAR[0], "end": YEAR[1], "year": YEAR[0].year}
    period = stats.Period(*YEAR)

    def sql(query):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()

        return run

    def same_visit_summary(orm, raw):
        row = raw[0]
        return list(orm.values()) == list(row)

    def same_signed(orm, raw):
        row = raw[0]
        return [
            orm[k]
            for k in (
                "signed_projects",
                "signed_investment",
                "signed_foreign_investment",
                "major_projects",
                "started_projects",
            )
        ] == [Decimal(v) if isinstance(v, Decimal) else v for v in row]

    def same_pipeline(orm, raw):
        found = {stage: (count, amount) for stage, count, amount in raw}
        return all(found.get(row["stage"], (0, Decimal(0))) == (row["projects"], row["investment"]) for row in orm)

    def same_by_chain(orm, raw):
        found = {code: (count, amount) for code, count, amount in raw}
        return all(found[row["code"]] == (row["signed_projects"], row["signed_investment"]) for row in orm)

    def same_visits_by_chain(orm, raw):
        found = {code: (visits, person_times) for code, visits, person_times in raw}
        return all(found[row["code"]] == (row["visits"], row["person_times"]) for row in orm)

    def same_monthly(orm, raw):
        found = {month: (visits, person_times) for month, visits, person_times in raw}
        return all(found.get(row["month"], (0, 0)) == (row["visits"], row["person_times"]) for row in orm)

    cases = [
        ("visit_summary", lambda: stats.visit_summary(period), sql(VISIT_SUMMARY_SQL), same_visit_summary),
        ("signed_summary", lambda: stats.signed_summary(period), sql(SIGNED_SUMMARY_SQL), same_signed),
        ("pipeline", lambda: stats.pipeline(period), sql(PIPELINE_SQL), same_pipeline),
        ("signed_by_chain", lambda: stats.signed_by_chain(period), sql(SIGNED_BY_CHAIN_SQL), same_by_chain),
        ("visits_by_chain", lambda: stats.visits_by_chain(period), sql(VISITS_BY_CHAIN_SQL), same_visits_by_chain),
        ("monthly (visits part)", lambda: stats_monthly.monthly(period), sql(MONTHLY_VISITS_SQL), same_monthly),
    ]
    rows = []
    for name, orm_call, sql_call, same in cases:
        orm_time, orm_result = median_seconds(orm_call, repeat)
        sql_time, sql_result = median_seconds(sql_call, repeat)
        rows.append({"name": name, "orm_s": orm_time, "sql_s": sql_time, "ratio": orm_time / sql_time})
        rows[-1]["same"] = same(orm_result, sql_result)
    return {"statistics": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()

    from projects.models import InvestmentVisit, Project

    ensure_demo_data(args.projects, args.visits, end_date=datetime.date(2026, 6, 30))
    result = measure(repeat=args.repeat)
    print(
        f"{Project.objects.count():,} projects, {InvestmentVisit.objects.count():,} visits; period {YEAR[0]}…{YEAR[1]}"
    )
    print(f"{'statistic':<24}{'ORM median':>12}{'SQL median':>12}{'ratio':>8}  same result")
    for row in result["statistics"]:
        name, orm_time, sql_time = row["name"], row["orm_s"], row["sql_s"]
        print(
            f"{name:<24}{orm_time * 1000:>10.0f}ms{sql_time * 1000:>10.0f}ms{orm_time / sql_time:>7.2f}x  "
            f"{'yes' if row['same'] else 'NO'}"
        )


if __name__ == "__main__":
    main()
