"""The scale bench: the same measures at 10,000, 100,000 and 1,000,000 projects (twice as many visits).

Each size lives in a database of its own (``$PINGHU_SCALE_PREFIX``, default ``pinghu_bench_scale``, plus
``_10k``, ``_100k``, ``_1m``) built once by ``generate_demo_data`` (seed 1, ending today: every related
table in proportion: stage changes, funds, parcels, per-mu figures, the apps' rows, the history) and
reused while it holds that many projects and visits. Each size is measured in a child process (Django
points at one database per process) by the ``measure()`` of the other bench scripts, so their
baselines come along: the dashboard's first view after a write (``dashboard.py``), the list page of
100 and cursor page 1,000 against page 1 and the CSV export (``api_list.py``), the statistics
(``bench_stats.py``), the search (``search.py``), closing a monthly report (``report_close.py``), and
here a project's detail page. The table gives each measure per size and its growth from 100k to 1M
(1.0 is flat; 10.0 is linear in the rows).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/scale.py \\
        [--sizes 10k,100k,1m] [--repeat 5] [--build-only]
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
PREFIX = os.environ.get("PINGHU_SCALE_PREFIX", "pinghu_bench_scale")


def _build(projects: int) -> float | None:
    """Generate the size's demo set unless it is there; the seconds it took, or None if reused."""
    from django.db import connection

    from projects.demo import delete_demo_data, generate_demo_data
    from projects.models import InvestmentVisit, Project

    built = None
    if Project.objects.count() != projects or InvestmentVisit.objects.count() != 2 * projects:
        delete_demo_data()
        started = time.perf_counter()
        generate_demo_data(projects=projects, visits=2 * projects, seed=1)
        built = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return built


def _detail_page(repeat: int) -> dict:
    """A signed project's page in the middle of the table, as bureau staff (a page of a fixed size)."""
    from _setup import median_seconds
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from pinghu.permissions import Role
    from projects.models import Project

    user, _created = get_user_model().objects.get_or_create(username="bench-scale")
    user.groups.set(Group.objects.filter(name=Role.BUREAU_STAFF))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    signed = Project.objects.filter(signed_date__isnull=False).order_by("pk")
    pk = signed.values_list("pk", flat=True)[signed.count() // 2]

    def page():
        response = client.get(f"/projects/{pk}/")
        assert response.status_code == 200
        return response

    page()
    seconds, _ = median_seconds(page, repeat)
    return {"detail_s": seconds}


def _script(name: str):
    """A bench script loaded from its file, under a name of its own."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def child(size: str, repeat: int, build_only: bool) -> None:
    """Build (if needed) and measure one size; the last line of output is its JSON."""
    from _setup import setup_django

    setup_django()
    import api_list
    import bench_stats
    import dashboard
    import report_close
    import stats_endpoints

    search = _script("search")  # by its path: the name is the search app's

    result = {"size": size, "build_s": _build(SIZES[size])}
    if not build_only:
        for name, measure in [
            ("dashboard", lambda: dashboard.measure(repeat=repeat)),
            ("api", lambda: api_list.measure(repeat=repeat)),
            ("detail", lambda: _detail_page(repeat)),
            ("stats", lambda: bench_stats.measure(repeat=repeat)),
            ("endpoints", lambda: stats_endpoints.measure(repeat=repeat)),
            ("search", lambda: search.measure(repeat=repeat)),
            ("report", lambda: report_close.measure(repeat=max(1, repeat // 2))),
        ]:
            started = time.perf_counter()
            result[name] = measure()
            print(f"  {size}: {name} measured in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print(json.dumps(result, default=str))


def rows(results: dict) -> list[tuple[str, dict]]:
    """(measure, {size: value}) for the table: milliseconds, ratios, rows per second."""
    table: dict[str, dict] = {}

    def put(label, size, value):
        table.setdefault(label, {})[size] = value

    for size, r in results.items():
        if "dashboard" not in r:
            continue
        for period, d in r["dashboard"].items():
            put(f"dashboard {period} first view ms", size, d["cold_s"] * 1000)
            put(f"dashboard {period} ratio to SQL", size, d["cold_ratio"])
        a = r["api"]
        put("list page of 100 ms", size, a["api_s"] * 1000)
        put("list page ratio to SQL+json", size, a["ratio"])
        put("cursor page 1,000 / page 1", size, a["cursor_ratio"])
        put("CSV export rows/s", size, a["csv_rows_per_s"])
        put("project detail page ms", size, r["detail"]["detail_s"] * 1000)
        for s in r["stats"]["statistics"]:
            put(f"stats {s['name']} ms", size, s["orm_s"] * 1000)
        for e in r["endpoints"]["endpoints"]:
            put(f"GET stats/{e['path']}/ ms", size, e["s"] * 1000)
        put("search slowest page ms", size, r["search"]["worst_s"] * 1000)
        put("report close ms", size, r["report"]["close_s"] * 1000)
        put("report close ratio to SQL", size, r["report"]["ratio"])
    return list(table.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat, args.build_only)
        return
    sizes = args.sizes.split(",")
    results = {}
    for size in sizes:
        environment = os.environ | {"PINGHU_BENCH_DB": f"{PREFIX}_{size}"}
        command = [sys.executable, __file__, "--child", size, "--repeat", str(args.repeat)]
        if args.build_only:
            command.append("--build-only")
        output = subprocess.run(command, env=environment, stdout=subprocess.PIPE, text=True, check=True).stdout
        results[size] = json.loads(output.strip().splitlines()[-1])
        built = results[size]["build_s"]
        print(f"{size}: built in {built:.0f} s" if built is not None else f"{size}: reused", flush=True)
    table = rows(results)
    if not table:
        return
    print()
    print(f"{'measure':<40}" + "".join(f"{size:>10}" for size in sizes) + f"{'1m/100k':>10}")
    for label, values in table:
        cells = "".join(f"{values[size]:>10.2f}" if size in values else f"{'—':>10}" for size in sizes)
        growth = values["1m"] / values["100k"] if "1m" in values and "100k" in values else None
        print(f"{label:<40}{cells}{growth:>10.2f}" if growth is not None else f"{label:<40}{cells}{'—':>10}")


if __name__ == "__main__":
    main()
