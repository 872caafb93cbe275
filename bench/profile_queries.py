"""Where the time of one cold dashboard view or statistics call goes: its queries, slowest first.

On the bench PostgreSQL database (``$PINGHU_BENCH_DB``), each target is called once to warm up, then
``--repeat`` times with the cache cleared before each (as after a write); the queries of the last
call are listed with the median of their times over the calls, and the wall time beside the sum of
the queries' (the rest is Python: views, serializers, templates). With ``--explain``, the slowest
queries' ``EXPLAIN (ANALYZE, BUFFERS)``.

    PINGHU_BENCH_DB=pinghu_bench_x .venv/bin/python bench/profile_queries.py [dashboard:year] [stats:summary] …
"""

import argparse
import datetime
import statistics
import time

from _setup import setup_django


def target_url(name: str, today: datetime.date) -> tuple[str, dict]:
    """The URL and parameters of ``dashboard:<period>`` or ``stats:<endpoint>`` (as the benches call them)."""
    kind, _, what = name.partition(":")
    if kind == "dashboard":
        return "/", {"period": what or "year"}
    from stats_endpoints import endpoints

    return f"/api/v1/stats/{what}/", dict(endpoints(today))[what]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", default=["dashboard:year", "dashboard:last_year"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE this many of the slowest")
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pinghu.permissions import Role
    from pinghu.services import api_token_issue

    user, _created = get_user_model().objects.get_or_create(username="bench-profile")
    user.groups.set(Group.objects.filter(name__in=[Role.OFFICIAL, Role.BUREAU_STAFF]))
    _token, key = api_token_issue(user=user, scope="read", expires_in_days=1, name="bench profile")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    client.force_login(user)
    for name in args.targets:
        url, params = target_url(name, datetime.date.today())
        client.get(url, params)  # warm-up
        walls, per_query = [], {}
        for _ in range(args.repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, params)
                walls.append(time.perf_counter() - started)
            assert response.status_code == 200, (name, response.status_code)
            for index, query in enumerate(queries.captured_queries):
                per_query.setdefault(index, (query["sql"], []))[1].append(float(query["time"]))
        rows = sorted(((statistics.median(t), sql) for sql, t in per_query.values()), reverse=True)
        total = sum(seconds for seconds, _ in rows)
        wall = statistics.median(walls)
        print(
            f"{name}: {wall * 1000:.0f} ms wall, {len(rows)} queries {total * 1000:.0f} ms, "
            f"rest {(wall - total) * 1000:.0f} ms"
        )
        for seconds, sql in rows[: args.top]:
            print(f"  {seconds * 1000:6.1f} ms  {sql[:230]}")
        for _seconds, sql in rows[: args.explain]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                print("\n".join("      " + row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
