"""Time the dashboard page against the same aggregates run by hand in SQL.

On the ``pinghu_bench`` PostgreSQL database with 100,000 projects and 200,000 visits (generated
if missing), a logged-in ``GET /?period=…`` through the whole stack, for last year and for this
year (the default view), median of ``--repeat`` runs. Each is compared with the sum of hand-written
SQL for every figure the page shows, reading the same tables (the trigger-kept rollups included).
"First view after a write" clears the cache before each request, so every figure is computed;
"cached" is a repeated view with no write in between. Targets: under 300 ms, ratio ≤ 2×.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/dashboard.py [--repeat 15]
"""

import argparse
import datetime

from _setup import ensure_demo_data, median_seconds, setup_django

# The yuan per US dollar of the period's year (its own rate, else the latest earlier one, else the
# earliest), and the size bands and major-project rule of projects.bands written out.
RATE = """SELECT COALESCE(
    (SELECT cny_per_usd FROM projects_exchangerate WHERE year <= %(year)s ORDER BY year DESC LIMIT 1),
    (SELECT cny_per_usd FROM projects_exchangerate ORDER BY year LIMIT 1)) AS rate"""
USD = "p.total_investment >= r.rate * 10000"
MAJOR = f"""(p.investor_id IN (SELECT id FROM chains_enterprise WHERE fortune500 OR industry_leader) OR {USD})"""

# The 目标完成 panel's signed projects and investment with the bands, this year as of today. When the page's period
# is that same period ("year") the signed summary below already counts them: the baseline skips this query then,
# as the page does (projects.signed_groups.signed_groups_by_chain).
TARGET_BANDS_SQL = f"""WITH r AS ({RATE.replace("%(year)s", "%(this_year)s")})
       SELECT COUNT(*), SUM(p.total_investment), COUNT(*) FILTER (WHERE p.total_investment >= 10000),
              COUNT(*) FILTER (WHERE p.total_investment >= 100000), COUNT(*) FILTER (WHERE {USD})
       FROM projects_project p, r WHERE p.signed_date BETWEEN %(year_start)s AND %(today)s"""

# The panel's funds and visits of this year as of today. When the page's period is that same period, the page's own
# funds cards and visit months already hold them: the baseline skips these then, as the page does
# (projects.funds_stats.city_funds_found, projects.stats_monthly.city_visit_totals_found).
TARGET_FUNDS_SQL = """SELECT SUM(domestic_funds), SUM(actual_foreign_investment) FROM projects_projectfundsmonth
       WHERE month BETWEEN %(year_start)s AND %(today)s AND records > 0"""
TARGET_VISITS_SQL = """SELECT SUM(visit_count), SUM(leader_count) FILTER (WHERE is_saturday) FROM projects_visitday
       WHERE date BETWEEN %(year_start)s AND %(today)s"""
VISIT_MONTHS_SQL = """SELECT date_trunc('month', date), SUM(visit_count), SUM(visit_count) FILTER (WHERE is_saturday),
              SUM(leader_count), SUM(leader_count) FILTER (WHERE is_saturday)
       FROM projects_visitday WHERE date BETWEEN %(start)s AND %(end)s GROUP BY 1"""
SKIPPED_IN_THE_SAME_PERIOD = (TARGET_BANDS_SQL, TARGET_FUNDS_SQL, TARGET_VISITS_SQL)

# The pipeline's rollup rows up to a day: the month rows of the months before its month, the daily rows of its month.
PIPELINE_UP_TO = """SELECT chain_id, stage, projects, investment FROM projects_pipelinemonth
       WHERE month < date_trunc('month', %(as_of)s::date)
       UNION ALL SELECT chain_id, stage, projects, investment FROM projects_pipelinedelta
       WHERE date BETWEEN date_trunc('month', %(as_of)s::date)::date AND %(as_of)s"""

# Every figure of the dashboard, hand-written, from the tables the page reads.
BASELINE_SQL = [
    # projects engaged, all and on Saturdays
    """SELECT COUNT(DISTINCT project_id), COUNT(DISTINCT project_id) FILTER (WHERE EXTRACT(DOW FROM visit_date) = 6)
       FROM projects_visitproject WHERE visit_date BETWEEN %(start)s AND %(end)s""",
    # top-official person-times, all and on Saturdays, from the leader-day rollup
    """SELECT SUM(d.visit_count), SUM(d.visit_count) FILTER (WHERE d.is_saturday)
       FROM projects_visitdayleader d JOIN chains_leader l ON l.id = d.leader_id
       WHERE l.is_top_official AND d.date BETWEEN %(start)s AND %(end)s""",
    # signed summary with the size bands (the period lies in one year: one exchange rate)
    f"""WITH r AS ({RATE})
       SELECT COUNT(*), SUM(p.total_investment), SUM(p.foreign_investment), COUNT(*) FILTER (WHERE {MAJOR}),
              COUNT(*) FILTER (WHERE p.construction_date IS NOT NULL),
              COUNT(*) FILTER (WHERE p.total_investment >= 10000),
              SUM(p.total_investment) FILTER (WHERE p.total_investment >= 10000),
              COUNT(*) FILTER (WHERE p.total_investment >= 100000),
              SUM(p.total_investment) FILTER (WHERE p.total_investment >= 100000),
              COUNT(*) FILTER (WHERE {USD}), SUM(p.total_investment) FILTER (WHERE {USD}),
              COUNT(*) FILTER (WHERE p.foreign_investment >= 3000),
              SUM(p.total_investment) FILTER (WHERE p.foreign_investment >= 3000),
              SUM(p.total_investment) FILTER (WHERE {MAJOR})
       FROM projects_project p, r WHERE p.signed_date BETWEEN %(start)s AND %(end)s""",
    # conversion, from the daily rollup of first contacts
    """SELECT SUM(contacted_projects), SUM(converted_projects) FROM projects_projectcontactday
       WHERE date BETWEEN %(start)s AND %(end)s""",
    # average days between stages, and the milestone rates as of the period's end
    """SELECT AVG(signed_date - first_contact_date), AVG(registered_date - signed_date),
              AVG(construction_date - registered_date), AVG(production_date - construction_date),
              COUNT(*), COUNT(*) FILTER (WHERE registered_date <= %(as_of)s), AVG(registered_date - signed_date)
                  FILTER (WHERE registered_date <= %(as_of)s),
              COUNT(*) FILTER (WHERE construction_date <= %(as_of)s), AVG(construction_date - signed_date)
                  FILTER (WHERE construction_date <= %(as_of)s),
              COUNT(*) FILTER (WHERE production_date <= %(as_of)s), AVG(production_date - signed_date)
                  FILTER (WHERE production_date <= %(as_of)s),
              COUNT(*) FILTER (WHERE capacity_date <= %(as_of)s), AVG(capacity_date - signed_date)
                  FILTER (WHERE capacity_date <= %(as_of)s)
       FROM projects_project WHERE signed_date BETWEEN %(start)s AND %(end)s""",
    # signed figures per chain
    f"""WITH r AS ({RATE})
       SELECT c.id, COUNT(p.id), COALESCE(SUM(p.total_investment), 0), COALESCE(SUM(p.foreign_investment), 0),
              COUNT(p.id) FILTER (WHERE {MAJOR}), COUNT(p.id) FILTER (WHERE p.construction_date IS NOT NULL)
       FROM r, chains_chain c
       LEFT JOIN projects_project p ON p.chain_id = c.id AND p.signed_date BETWEEN %(start)s AND %(end)s
       GROUP BY c.id""",
    # visits per chain, from the daily rollup
    """SELECT chain_id, SUM(visit_count), SUM(leader_count), SUM(leader_count) FILTER (WHERE is_saturday)
       FROM projects_visitdaychain WHERE date BETWEEN %(start)s AND %(end)s GROUP BY chain_id""",
    # projects engaged per chain
    """SELECT p.chain_id, COUNT(*) FROM projects_project p WHERE p.id IN
           (SELECT project_id FROM projects_visitproject WHERE visit_date BETWEEN %(start)s AND %(end)s)
       GROUP BY p.chain_id""",
    # current stage counts per chain, from the pipeline's months before this one and this month's days
    f"""SELECT chain_id, stage, SUM(projects) FROM ({PIPELINE_UP_TO.replace("%(as_of)s", "%(today)s")}) d
       GROUP BY chain_id, stage HAVING SUM(projects) > 0""",
    # lead enterprises per chain
    """SELECT c.id, COUNT(r.id) FILTER (WHERE r.is_lead) FROM chains_chain c
       LEFT JOIN chains_enterprisechainrole r ON r.chain_id = c.id GROUP BY c.id""",
    # current chiefs
    """SELECT l.chain_id, l.role, d.name FROM chains_chainleadership l JOIN chains_leader d ON d.id = l.leader_id
       WHERE l.end_date IS NULL""",
    # clusters and chains
    "SELECT c.id, c.name, h.id, h.code, h.name FROM chains_cluster c JOIN chains_chain h ON h.cluster_id = c.id",
    # pipeline as of the period's end, from the months before its month and its month's days
    f"""SELECT stage, SUM(projects), SUM(investment) FROM ({PIPELINE_UP_TO.replace("%(as_of)s", "%(end)s")}) d
       GROUP BY stage""",
    # monthly visits, from the daily rollup; added up, they are the visit summary (visits, person-times, each also
    # on Saturdays only), as the page adds them up (stats_monthly.visit_totals)
    VISIT_MONTHS_SQL,
    # monthly signings
    """SELECT date_trunc('month', signed_date)::date, COUNT(*), SUM(total_investment) FROM projects_project
       WHERE signed_date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    # the 目标完成 panel (targets.panels): this year's city targets, as of today: the data version and the targets,
    # signed projects and investment with the bands, funds, started, in production, visits, chain output
    "SELECT slot, version FROM pinghu_dataversion",
    """SELECT id, metric, value, year_from, year_to FROM targets_target
       WHERE scope_kind = 'city' AND year_from <= %(this_year)s AND year_to >= %(this_year)s""",
    TARGET_BANDS_SQL,
    TARGET_FUNDS_SQL,
    "SELECT COUNT(*) FROM projects_project WHERE construction_date BETWEEN %(year_start)s AND %(today)s",
    "SELECT COUNT(*) FROM projects_project WHERE production_date BETWEEN %(year_start)s AND %(today)s",
    TARGET_VISITS_SQL,
    """SELECT m.year, SUM(m.industrial_output) FROM chains_enterpriseannualmetric m
       WHERE m.year = %(this_year)s
         AND EXISTS (SELECT 1 FROM chains_enterprisechainrole r WHERE r.enterprise_id = m.enterprise_id)
       GROUP BY m.year""",
    # funds in place cards: the months of the period, from the monthly rollup (a project with money in
    # counts at its first record with money in of the period: its previous one is before the period)
    """SELECT SUM(domestic_funds), SUM(actual_foreign_investment),
              SUM(funded_records) FILTER (WHERE previous_funded_month < date_trunc('month', %(start)s::date))
       FROM projects_projectfundsmonth
       WHERE month BETWEEN date_trunc('month', %(start)s::date)::date AND %(end)s AND records > 0""",
]


def measure(*, repeat: int = 15) -> dict:
    """The medians and ratios of both periods, on the database already set up: {period: {…}}."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from pinghu.permissions import Role

    user, _created = get_user_model().objects.get_or_create(username="bench-dashboard")
    user.groups.set(Group.objects.filter(name=Role.OFFICIAL))  # pages check the role's permissions
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    today = datetime.date.today()
    periods = {
        "last_year": (datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)),
        "year": (datetime.date(today.year, 1, 1), today),
    }
    results = {}
    for key, (start, end) in periods.items():
        params = {"start": start, "end": end, "today": today, "year": start.year, "as_of": min(end, today)}
        params |= {"this_year": today.year, "year_start": datetime.date(today.year, 1, 1)}

        def page(key=key):
            response = client.get("/", {"period": key})
            assert response.status_code == 200
            return response

        def cold_page(page=page):
            cache.clear()  # as after any write: the figures are computed again
            return page()

        same_period = (start, end) == (params["year_start"], today)

        def baseline(params=params, same_period=same_period):
            with connection.cursor() as cursor:
                for query in BASELINE_SQL:
                    if same_period and any(query is skipped for skipped in SKIPPED_IN_THE_SAME_PERIOD):
                        continue  # the page's own figures (TARGET_BANDS_SQL, TARGET_FUNDS_SQL say why)
                    cursor.execute(query, params)
                    cursor.fetchall()

        page(), baseline()  # warm-up of connections, imports and buffers
        sql_time, _ = median_seconds(baseline, repeat)
        cold_time, _ = median_seconds(cold_page, repeat)
        warm_time, _ = median_seconds(page, repeat)
        results[key] = {"start": start, "end": end, "sql_s": sql_time, "cold_s": cold_time, "warm_s": warm_time}
        results[key]["cold_ratio"] = cold_time / sql_time
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup_django()

    from projects.models import InvestmentVisit, Project

    ensure_demo_data(args.projects, args.visits)
    print(f"{Project.objects.count():,} projects, {InvestmentVisit.objects.count():,} visits")
    for key, figures in measure(repeat=args.repeat).items():
        start, end = figures["start"], figures["end"]
        sql_time, cold_time, warm_time = figures["sql_s"], figures["cold_s"], figures["warm_s"]
        print(f"period {key} ({start} … {end}):")
        print(f"  hand-written SQL for the page's figures: median {sql_time * 1000:.0f} ms")
        print(
            f"  dashboard, first view after a write: median {cold_time * 1000:.0f} ms (target < 300 ms), "
            f"ratio to SQL {cold_time / sql_time:.2f}x (target ≤ 2)"
        )
        print(f"  dashboard, cached: median {warm_time * 1000:.0f} ms")


if __name__ == "__main__":
    main()
