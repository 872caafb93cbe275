"""Time every statistics endpoint of the API over one year, as a BI tool calls them (issue 22: each under 100 ms).

On the bench PostgreSQL database (``$PINGHU_BENCH_DB``, 100,000 projects and 200,000 visits, generated
if missing), ``GET /api/v1/stats/…`` through Django's test client and the whole middleware stack with a
bureau staff member's read token, the cache cleared before each call (as after any write), median of
``--repeat`` runs, with the number of queries of one call. The hand-written SQL baselines of the
figures themselves are ``bench_stats.py``'s; this script gives the endpoints' own times and the slowest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/stats_endpoints.py [--repeat 7]
"""

import argparse
import datetime

from _setup import ensure_demo_data, median_seconds, setup_django

TARGET_S = 0.100


def endpoints(today: datetime.date) -> list[tuple[str, dict]]:
    """(path, parameters) of each statistics endpoint for the last twelve full months or this year's targets."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = datetime.date(end.year, 1, 1) if end.month == 12 else datetime.date(end.year - 1, end.month + 1, 1)
    year = {"start": start.isoformat(), "end": end.isoformat()}
    return [
        ("summary", year),
        ("by-chain", year),
        ("pipeline", year),
        ("monthly", year),
        ("funds/by-town", year),
        ("milestones", year),
        ("land", year),
        ("bands", year),
        ("issues", year),
        ("targets", {"year": today.year}),
        ("per-mu/by-town", {"year": today.year - 1}),
        ("per-mu/by-chain", {"year": today.year - 1}),
    ]


def measure(*, repeat: int = 7) -> dict:
    """Each endpoint's median seconds and queries, and the slowest."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pinghu.permissions import Role
    from pinghu.services import api_token_issue

    user, _created = get_user_model().objects.get_or_create(username="bench-stats-endpoints")
    user.groups.set(Group.objects.filter(name=Role.BUREAU_STAFF))
    _token, key = api_token_issue(user=user, scope="read", expires_in_days=1, name="bench stats endpoints")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    rows = []
    for path, params in endpoints(datetime.date.today()):

        def call(path=path, params=params):
            cache.clear()  # every figure computed, as after a write
            response = client.get(f"/api/v1/stats/{path}/", params)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])

        call()  # warm-up
        reset_queries()  # the log holds at most 9,000 queries: a full one would capture none
        with CaptureQueriesContext(connection) as queries:
            call()
        seconds, _ = median_seconds(call, repeat)
        rows.append({"path": path, "s": seconds, "queries": len(queries.captured_queries)})
    return {"endpoints": rows, "worst_s": max(row["s"] for row in rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    ensure_demo_data(args.projects, args.visits)
    result = measure(repeat=args.repeat)
    print(f"statistics endpoints, cache cleared before each call; medians of {args.repeat} runs")
    print(f"{'endpoint':<34}{'ms':>9}{'queries':>9}")
    for row in result["endpoints"]:
        flag = "" if row["s"] < TARGET_S else "  over 100 ms"
        print(f"/api/v1/stats/{row['path'] + '/':<20}{row['s'] * 1000:>9.1f}{row['queries']:>9}{flag}")
    verdict = "OK" if result["worst_s"] < TARGET_S else "OVER"
    print(f"slowest: {result['worst_s'] * 1000:.1f} ms (target < 100 ms): {verdict}")


if __name__ == "__main__":
    main()
