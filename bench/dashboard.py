"""Time the dashboard page against the same aggregates run by hand in SQL.

On the ``pinghu_bench`` PostgreSQL database with 100,000 projects and 200,000 visits (generated
if missing), a logged-in ``GET /?period=last_year`` through the whole stack, median of ``--repeat``
runs, against the sum of hand-written SQL for every figure the page shows. Targets: under 300 ms,
ratio ≤ 2×.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/dashboard.py [--repeat 15]
"""

import argparse
import datetime

from _setup import median_seconds, setup_django
from bench_stats import (
    MONTHLY_VISITS_SQL,
    PIPELINE_SQL,
    SIGNED_BY_CHAIN_SQL,
    SIGNED_SUMMARY_SQL,
    VISIT_SUMMARY_SQL,
    VISITS_BY_CHAIN_SQL,
)

EXTRA_SQL = [
    # conversion
    """SELECT COUNT(*), COUNT(*) FILTER (WHERE signed_date IS NOT NULL) FROM projects_project
       WHERE first_contact_date BETWEEN %(start)s AND %(end)s""",
    # average days between stages
    """SELECT AVG(signed_date - first_contact_date), AVG(registered_date - signed_date),
              AVG(construction_date - registered_date), AVG(production_date - construction_date)
       FROM projects_project WHERE signed_date BETWEEN %(start)s AND %(end)s""",
    # current stage counts per chain
    "SELECT chain_id, stage, COUNT(*) FROM projects_project GROUP BY chain_id, stage",
    # lead enterprises per chain
    """SELECT c.id, COUNT(r.id) FILTER (WHERE r.is_lead) FROM chains_chain c
       LEFT JOIN chains_enterprisechainrole r ON r.chain_id = c.id GROUP BY c.id""",
    # current chiefs
    """SELECT l.chain_id, l.role, d.name FROM chains_chainleadership l JOIN chains_leader d ON d.id = l.leader_id
       WHERE l.end_date IS NULL""",
    # clusters and chains
    "SELECT c.id, c.name, h.id, h.code, h.name FROM chains_cluster c JOIN chains_chain h ON h.cluster_id = c.id",
    # monthly signings
    """SELECT date_trunc('month', signed_date)::date, COUNT(*), SUM(total_investment) FROM projects_project
       WHERE signed_date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from projects.demo import delete_demo_data, generate_demo_data
    from projects.models import InvestmentVisit, Project

    if Project.objects.count() != args.projects or InvestmentVisit.objects.count() != args.visits:
        delete_demo_data()
        generate_demo_data(projects=args.projects, visits=args.visits, seed=1)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # demo data is rewritten between runs: drop dead rows
    user, _created = get_user_model().objects.get_or_create(username="bench-dashboard")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    year = datetime.date.today().year - 1
    params = {
        "start": datetime.date(year, 1, 1),
        "end": datetime.date(year, 12, 31),
        "threshold": settings.PINGHU_MAJOR_PROJECT_INVESTMENT,
    }
    queries = [
        VISIT_SUMMARY_SQL,
        SIGNED_SUMMARY_SQL,
        PIPELINE_SQL,
        SIGNED_BY_CHAIN_SQL,
        VISITS_BY_CHAIN_SQL,
        MONTHLY_VISITS_SQL,
        *EXTRA_SQL,
    ]

    def page():
        response = client.get("/", {"period": "last_year"})
        assert response.status_code == 200
        return response

    def baseline():
        with connection.cursor() as cursor:
            for query in queries:
                cursor.execute(query, params)
                cursor.fetchall()

    def cold_page():
        cache.clear()  # as after any write: the figures are computed again
        return page()

    page(), baseline()  # warm-up of connections and imports
    cold_time, _ = median_seconds(cold_page, args.repeat)
    warm_time, _ = median_seconds(page, args.repeat)
    sql_time, _ = median_seconds(baseline, args.repeat)
    print(f"{Project.objects.count():,} projects, {InvestmentVisit.objects.count():,} visits; period {year}")
    print(f"hand-written SQL for the dashboard's figures: median {sql_time * 1000:.0f} ms")
    print(
        f"dashboard, figures computed (first view after a write): median {cold_time * 1000:.0f} ms, "
        f"ratio to SQL {cold_time / sql_time:.2f}x (target ≤ 2)"
    )
    print(f"dashboard, figures from the versioned cache: median {warm_time * 1000:.0f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
