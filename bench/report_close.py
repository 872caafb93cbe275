"""Time closing a monthly report over the 100,000-project demo data, against the same aggregates in SQL.

On the bench PostgreSQL database (``$PINGHU_BENCH_DB``, 100,000 projects and 200,000 visits,
generated if missing), ``report_close`` of the city's monthly report for the last full month: every
figure of every section and the rows behind the counts, computed and stored in one transaction,
rolled back after each run (a closed version can never be deleted). Median of ``--repeat`` runs.
The report is made from a copy of the template (inside the rolled-back transaction), since the demo
data already holds the city's report of that month. The baseline runs hand-written SQL for the
summary's, the chains' and the towns' aggregates and the ids behind the counts, in the same run.
Target: under 5 s.

It also times the drift of the closed version: recomputed (the first view of a closed report's
page after a write) and read from the cache (every later view until the next write).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/report_close.py [--repeat 5]
"""

import argparse
import datetime
import json
import statistics
import time

from _setup import ensure_demo_data, median_seconds, setup_django

BASELINE_SQL = [
    """SELECT SUM(visit_count), SUM(visit_count) FILTER (WHERE is_saturday), SUM(leader_count),
              SUM(leader_count) FILTER (WHERE is_saturday)
       FROM projects_visitday WHERE date BETWEEN %(start)s AND %(end)s""",
    """SELECT COUNT(DISTINCT project_id), COUNT(DISTINCT project_id) FILTER (WHERE EXTRACT(DOW FROM visit_date) = 6)
       FROM projects_visitproject WHERE visit_date BETWEEN %(start)s AND %(end)s""",
    """SELECT COUNT(*), SUM(total_investment), COUNT(*) FILTER (WHERE total_investment >= 10000),
              COUNT(*) FILTER (WHERE total_investment >= 100000),
              COUNT(*) FILTER (WHERE registered_date <= %(end)s), COUNT(*) FILTER (WHERE construction_date <= %(end)s),
              COUNT(*) FILTER (WHERE production_date <= %(end)s)
       FROM projects_project WHERE signed_date BETWEEN %(start)s AND %(end)s""",
    """SELECT COUNT(*) FILTER (WHERE construction_date BETWEEN %(start)s AND %(end)s),
              COUNT(*) FILTER (WHERE production_date BETWEEN %(start)s AND %(end)s)
       FROM projects_project WHERE construction_date BETWEEN %(start)s AND %(end)s
          OR production_date BETWEEN %(start)s AND %(end)s""",
    """SELECT SUM(domestic_funds), SUM(actual_foreign_investment), COUNT(DISTINCT project_id)
       FROM projects_projectfunds WHERE month BETWEEN %(start)s AND %(end)s""",
    """SELECT c.id, SUM(d.visit_count), SUM(d.leader_count) FROM chains_chain c
       LEFT JOIN projects_visitdaychain d ON d.chain_id = c.id AND d.date BETWEEN %(start)s AND %(end)s
       GROUP BY c.id""",
    """SELECT p.chain_id, COUNT(*), SUM(p.total_investment), COUNT(*) FILTER (WHERE p.total_investment >= 10000)
       FROM projects_project p WHERE p.signed_date BETWEEN %(start)s AND %(end)s GROUP BY p.chain_id""",
    """SELECT p.town, COUNT(*), SUM(p.total_investment) FROM projects_project p
       WHERE p.signed_date BETWEEN %(start)s AND %(end)s GROUP BY p.town""",
    """SELECT COUNT(*), COUNT(*) FILTER (WHERE status IN ('resolved', 'closed') AND resolved_on <= %(end)s)
       FROM aftercare_enterpriseissue WHERE received_on BETWEEN %(start)s AND %(end)s""",
    """SELECT COUNT(*), SUM(land_area) FROM projects_landparcel
       WHERE status = 'supplied' AND supplied_date BETWEEN %(start)s AND %(end)s""",
    # the ids behind the counts
    """SELECT id, name, chain_id, town FROM projects_project WHERE signed_date BETWEEN %(start)s AND %(end)s""",
    """SELECT id, is_saturday FROM projects_investmentvisit WHERE date BETWEEN %(start)s AND %(end)s""",
    """SELECT id, project_id FROM projects_projectfunds WHERE month BETWEEN %(start)s AND %(end)s""",
]


def measure(*, repeat: int = 5) -> dict:
    """Closing last complete month's city report (rolled back), its drift check, and the baseline."""
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.db.models import Max

    from projects.models import Project
    from reports.drift import drift
    from reports.models import ReportTemplate
    from reports.services import report_close, report_create

    latest = Project.objects.aggregate(day=Max("signed_date"))["day"] or datetime.date.today()
    end = latest.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    template = ReportTemplate.objects.get(code="city-monthly")
    kept = {}

    def close():
        copy = ReportTemplate.objects.create(code="bench-copy", name=template.name, sections=template.sections)
        report = report_create(template=copy, period_kind="month", period_start=start, by=None)
        return report_close(report=report, by=None)

    def close_once():
        with transaction.atomic():
            version = close()
            kept["signed"] = version.figures["summary"]["signed_projects"]
            kept["rows"] = len(json.dumps(version.rows))
            transaction.set_rollback(True)  # a closed version is never deleted: nothing is kept

    recomputed, cached = [], []

    def drift_once():
        with transaction.atomic():
            version = close()
            cache.clear()
            started = time.perf_counter()
            assert drift(version) == []
            recomputed.append(time.perf_counter() - started)
            started = time.perf_counter()
            drift(version)
            cached.append(time.perf_counter() - started)
            transaction.set_rollback(True)

    def baseline():
        with connection.cursor() as cursor:
            for sql in BASELINE_SQL:
                cursor.execute(sql, {"start": start, "end": end})
                cursor.fetchall()

    close_seconds, _ = median_seconds(close_once, repeat)
    median_seconds(drift_once, repeat)
    base_seconds, _ = median_seconds(baseline, repeat)
    return {
        "month": start,
        "signed": kept["signed"],
        "json_mb": kept["rows"] / 1e6,
        "close_s": close_seconds,
        "drift_recomputed_s": statistics.median(recomputed),
        "drift_cached_s": statistics.median(cached),
        "sql_s": base_seconds,
        "ratio": close_seconds / base_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    # The size the database holds: another size is generated anew (the demo set of that size replaces it).
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=200_000)
    args = parser.parse_args()
    setup_django()
    ensure_demo_data(projects=args.projects, visits=args.visits)
    m = measure(repeat=args.repeat)
    start, close_seconds, base_seconds = m["month"], m["close_s"], m["sql_s"]
    print(f"month {start:%Y-%m}: {m['signed']} projects signed")
    print(f"report_close: median {close_seconds * 1000:.0f} ms over {args.repeat} runs (target < 5000 ms)")
    print(f"rows behind the counts: {m['json_mb']:.1f} MB of JSON")
    print(
        f"drift of the closed version: recomputed median {m['drift_recomputed_s'] * 1000:.0f} ms, "
        f"from the cache {m['drift_cached_s'] * 1000:.1f} ms"
    )
    print(f"hand-written SQL baseline: median {base_seconds * 1000:.0f} ms; ratio {close_seconds / base_seconds:.1f}x")


if __name__ == "__main__":
    main()
