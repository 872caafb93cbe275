"""Time the project list API against a hand-written baseline, cursor pages, and the CSV export of every project.

On the ``pinghu_bench`` PostgreSQL database with ``generate_demo_data --projects 100000 --visits 200000``
(generated if the database does not hold that many), through Django's test client and the whole
middleware stack, with a bearer token:

1. ``GET /api/v1/projects/?page_size=100``, median of ``--repeat`` runs, against a baseline that runs
   the same SQL by hand (the page with every field the API shows, and the count) and dumps the same body
   with ``json`` (checked equal); the two alternately; target ≤ 1.3×.
2. Cursor mode: page 1 against the page 1,000 pages in (``page_size=100``); target within 1.1×.
3. ``?format=csv`` of all projects in a fresh process: rows per second and peak RSS growth;
   target under 100 MB; then, in the same process, the export's SQL by hand (a server-side cursor,
   ``csv.writer`` on the tuples as read, no formatting) as the baseline of its ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/api_list.py [--repeat 30]
"""

import argparse
import base64
import csv
import datetime
import io
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from _setup import PROJECT, ensure_demo_data, median_seconds, setup_django

# The page's SQL as the API sends it (every column of ProjectSerializer's, the funds figures as the same three
# correlated subqueries), written by hand; "major" computed in SQL from the rates (the API reads the rates once
# and computes it per row), the unit's label as units.expressions.unit_label. Funds sums default to 0.00 (the
# API's 0 is shown as "0.00" by its serializer field).
_FUNDS_SUM = (
    "COALESCE((SELECT SUM(f.{column}) FROM projects_projectfunds f WHERE f.project_id = p.id GROUP BY f.project_id),"
    " 0.00)"
)
PAGE_SQL = f"""
SELECT p.id, p.name, c.code, p.investor_id, e.name, p.source, p.stage, p.total_investment, p.foreign_investment,
       p.registered_capital, p.land_area, p.expected_output, p.expected_tax, p.is_capital_increase,
       COALESCE(e.fortune500, false) OR COALESCE(e.industry_leader, false) OR COALESCE(p.total_investment >= 10000 *
           COALESCE((SELECT r.cny_per_usd FROM projects_exchangerate r
                     WHERE r.year <= LEAST(GREATEST(COALESCE(EXTRACT(YEAR FROM p.signed_date)::integer, %(year)s),
                                                    2000), %(year)s)
                     ORDER BY r.year DESC LIMIT 1),
                    (SELECT r.cny_per_usd FROM projects_exchangerate r ORDER BY r.year LIMIT 1)), false),
       p.town, p.level, p.level_year, NULLIF(COALESCE(u.name, NULLIF(p.responsible_unit_text, ''), ''), ''),
       p.responsible_unit_id, p.responsible_official_id,
       p.first_contact_date, p.signed_date, p.registered_date, p.construction_date, p.production_date,
       p.project_code, p.code_date, p.approval_kind, p.approval_date, p.land_supplied_date,
       p.construction_permit_date, p.capacity_date, p.signing_event_id, p.created_at, p.updated_at,
       {_FUNDS_SUM.format(column="domestic_funds")}, {_FUNDS_SUM.format(column="actual_foreign_investment")},
       CASE WHEN p.total_investment > 0
            THEN ({_FUNDS_SUM.format(column="domestic_funds")}::double precision / p.total_investment)::numeric(12, 4)
       END
FROM projects_project p JOIN chains_chain c ON c.id = p.chain_id JOIN chains_enterprise e ON e.id = p.investor_id
     LEFT JOIN units_unit u ON u.id = p.responsible_unit_id
ORDER BY p.updated_at DESC, p.id DESC LIMIT 100
"""
KEYS = [
    "id", "name", "chain", "investor", "investor_name", "source", "stage", "total_investment", "foreign_investment",
    "registered_capital", "land_area", "expected_output", "expected_tax", "is_capital_increase", "major", "town",
    "level", "level_year", "responsible_unit", "responsible_unit_id", "responsible_official", "first_contact_date",
    "signed_date", "registered_date", "construction_date", "production_date", "project_code", "code_date",
    "approval_kind", "approval_date", "land_supplied_date", "construction_permit_date", "capacity_date",
    "signing_event", "created_at", "updated_at", "funds_in_place", "foreign_paid_in", "funds_rate",
]  # fmt: skip


def _json_value(value, zone):
    """A value as the API shows it: date-times in the site's time zone (UTC as "Z"), dates ISO, decimals as text."""
    if isinstance(value, datetime.datetime):
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value) if value is not None and not isinstance(value, int | str | bool) else value


def baseline_body(host: str = "localhost") -> bytes:
    """The list page by hand: the count and PAGE_SQL on Django's connection, the body made with ``json``."""
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM projects_project")
        count = cursor.fetchone()[0]
        cursor.execute(PAGE_SQL, {"year": datetime.date.today().year})
        zone = timezone.get_current_timezone()
        rows = [dict(zip(KEYS, [_json_value(value, zone) for value in row], strict=True)) for row in cursor.fetchall()]
    following = f"http://{host}/api/v1/projects/?page=2&page_size=100" if count > 100 else None
    return json.dumps({"count": count, "next": following, "previous": None, "results": rows}).encode()


def _export_sql() -> tuple[str, list]:
    """The SQL the CSV export of every project runs (the view's queryset, its columns), with its parameters.

    As the export builds it: its queryset for a file (the funds figures joined), numbers and dates as text.
    """
    from django.test import RequestFactory
    from rest_framework.request import Request

    from pinghu.api.export import CSVRenderer
    from pinghu.api.export_reading import read_as_text
    from projects.api.views import ProjectViewSet

    view = ProjectViewSet(action="list", format_kwarg=None)
    view.request = Request(RequestFactory().get("/api/v1/projects/", {"format": "csv"}))
    view.request.accepted_renderer = CSVRenderer()
    plain = [column for column in view.export_columns if not column.many]
    rows = view.get_queryset().prefetch_related(None).values_list(*[column.path for column in plain])
    rows, _as_text = read_as_text(rows, plain)
    return rows.query.sql_with_params()


def csv_baseline() -> tuple[int, float]:
    """The export's SQL by hand: a server-side cursor in a transaction, fetchmany, csv.writer on the tuples as read."""
    from django.db import connection, transaction

    sql, params = _export_sql()
    started = time.perf_counter()
    rows = 0
    with transaction.atomic(), connection.cursor() as plain:
        plain.execute("SET LOCAL jit = off")
        plain.execute("SET LOCAL DateStyle = 'ISO'")
        named = connection.connection.cursor(name="baseline")
        named.execute(sql, params)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        while chunk := named.fetchmany(2000):
            writer.writerows(chunk)
            buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            rows += len(chunk)
        named.close()
    return rows, time.perf_counter() - started


def _backend_cpu(pid: int) -> float:
    """CPU seconds of a PostgreSQL backend (/proc) or NaN: on a busy machine CPU says more than wall."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def csv_export_in_this_process(key: str) -> None:
    """Child mode: stream the CSV of every project and print rows, seconds and RSS growth as JSON, then the baseline."""
    setup_django()
    from django.test import Client

    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/api/v1/chains/")  # warm up imports and the connection before the baseline reading
    from django.db import connection

    backend = connection.connection.get_backend_pid()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started, backend_started = time.perf_counter(), time.process_time(), _backend_cpu(backend)
    response = client.get("/api/v1/projects/", {"format": "csv"})
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    cpu, backend_cpu = time.process_time() - cpu_started, _backend_cpu(backend) - backend_started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    base_rows, base_seconds = csv_baseline()
    print(
        json.dumps(
            {
                "rows": lines - 1,
                "seconds": seconds,
                "rss_growth_mb": (after - before) / 1024,
                "cpu_s": cpu,
                "backend_cpu_s": backend_cpu,
                "base_rows": base_rows,
                "base_seconds": base_seconds,
            }
        )
    )


def consumer_token() -> str:
    """A read token of a real API consumer (its role's read permission is checked on every call), not a superuser."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from pinghu.permissions import Role
    from pinghu.services import api_token_issue

    user, _created = get_user_model().objects.get_or_create(username="bench")
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    user.groups.set(Group.objects.filter(name=Role.API_CONSUMER))
    _token, key = api_token_issue(user=user, scope="read", expires_in_days=1, name="bench")
    return key


WRK_LATENCY = re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)


def _wrk(url: str, *, key: str, seconds: int, connections: int) -> tuple[float, float]:
    """One wrk run (1 thread): requests a second and the median latency in seconds; no answer but 200 accepted."""
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Authorization: Bearer {key}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if "Non-2xx" in output or "Socket errors" in output:
        sys.exit(f"wrk saw failed requests:\n{output}")
    value, unit = WRK_LATENCY.search(output).groups()
    return float(WRK_RATE.search(output).group(1)), float(value) / {"us": 1e6, "ms": 1e3, "s": 1}[unit]


def under_gunicorn(*, rounds: int, seconds: int, connections: int, port: int = 8765) -> dict:
    """The list page and its baseline (``/bench-baseline/``, bench/api_list_wsgi.py) served by one gunicorn.

    gunicorn as ``make serve`` runs it (gthread, 2 workers × 4 threads, keep-alive 75, production
    settings), wrk (Debian's package) on the same machine; API and baseline alternately, ``rounds`` times.
    """
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    key = consumer_token()
    env = os.environ | {
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": "api-list-bench-not-for-production-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Room for every request of the runs within the read token's budget (the throttle still counts them).
        "PINGHU_API_READ_RATE": "1000000/hour",
    }
    bin_dir = Path(sys.executable).parent
    command = [bin_dir / "gunicorn", "bench.api_list_wsgi", "--pythonpath", str(PROJECT),
               "--worker-class", "gthread", "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}",
               "--keep-alive", "75", "--graceful-timeout", "20", "--timeout", "180",
               "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen([str(part) for part in command], cwd=PROJECT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=10)
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("gunicorn did not answer")
                time.sleep(0.3)
        urls = {"api": f"{base}/api/v1/projects/?page_size=100", "base": f"{base}/bench-baseline/"}
        api = json.loads(urllib.request.urlopen(urllib.request.Request(urls["api"], headers={
            "Authorization": f"Bearer {key}"})).read())  # fmt: skip
        same_body = api == json.loads(urllib.request.urlopen(urls["base"]).read())
        runs = {"api": [], "base": []}
        for name in ("api", "base"):  # warm-up: every worker thread's connection and imports
            _wrk(urls[name], key=key, seconds=2, connections=connections)
        for _round in range(rounds):
            for name in ("api", "base"):
                runs[name].append(_wrk(urls[name], key=key, seconds=seconds, connections=connections))
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    rate = {name: statistics.median(r for r, _latency in values) for name, values in runs.items()}
    latency = {name: statistics.median(p50 for _rate, p50 in values) for name, values in runs.items()}
    return {
        "same_body": same_body,
        "api_rps": rate["api"],
        "base_rps": rate["base"],
        "api_p50_s": latency["api"],
        "base_p50_s": latency["base"],
        "throughput_ratio": rate["base"] / rate["api"],
        "latency_ratio": latency["api"] / latency["base"],
    }


def alternate_medians(first, second, repeat: int) -> tuple[dict, dict]:
    """``first`` then ``second``, ``repeat`` times: each one's median wall and CPU (this process) time, last result.

    CPU time says more than wall on a busy machine: the database's time is in wall only, and the same on both sides.
    """
    runs = ({"wall": [], "cpu": []}, {"wall": [], "cpu": []})
    results = [None, None]
    for _ in range(repeat):
        for position, function in enumerate((first, second)):
            started, cpu_started = time.perf_counter(), time.process_time()
            results[position] = function()
            runs[position]["wall"].append(time.perf_counter() - started)
            runs[position]["cpu"].append(time.process_time() - cpu_started)
    return tuple(
        {"wall": statistics.median(run["wall"]), "cpu": statistics.median(run["cpu"]), "result": result}
        for run, result in zip(runs, results, strict=True)
    )


def measure(*, repeat: int = 30, csv_export: bool = True) -> dict:
    """The list page against its baseline, cursor page 1,000 against page 1, and the CSV export (in a child)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from pinghu.permissions import Role
    from pinghu.services import api_token_issue

    key = consumer_token()
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")

    def api_page():
        response = client.get("/api/v1/projects/", {"page_size": 100})
        assert response.status_code == 200
        return response.content

    baseline_page = baseline_body
    api_page(), baseline_page()  # warm-up
    # Alternately, so that a change of load on a shared machine weighs on both sides alike.
    api, base = alternate_medians(api_page, baseline_page, repeat)
    api_time, base_time = api["wall"], base["wall"]
    # The baseline must do the API's work: the same body (every field of every row, and the count).
    same_body = json.loads(api["result"]) == json.loads(base["result"])

    with connection.cursor() as cursor:
        # Page 1,000 of 100 (or the last page of a smaller table).
        cursor.execute(
            "SELECT id FROM projects_project ORDER BY id"
            " OFFSET LEAST(99900, (SELECT COUNT(*) - 100 FROM projects_project)) LIMIT 1"
        )
        far_id = cursor.fetchone()[0]
    far_cursor = base64.b64encode(urlencode({"p": str(far_id)}).encode()).decode()

    def cursor_page(cursor_value):
        def run():
            response = client.get("/api/v1/projects/", {"cursor": cursor_value, "page_size": 100})
            assert response.status_code == 200, response.content[:200]
            return response.content

        return run

    first_time, _ = median_seconds(cursor_page(""), repeat)
    far_time, _ = median_seconds(cursor_page(far_cursor), repeat)

    result = {
        "api_s": api_time,
        "base_s": base_time,
        "ratio": api_time / base_time,
        "same_body": same_body,
        "api_cpu_s": api["cpu"],
        "base_cpu_s": base["cpu"],
        "cursor_first_s": first_time,
        "cursor_far_s": far_time,
        "cursor_ratio": far_time / first_time,
    }
    if not csv_export:
        return result
    # Exports are for bureau staff: the export runs with such a user's token.
    exporter, _created = get_user_model().objects.get_or_create(username="bench-export")
    exporter.groups.set(Group.objects.filter(name=Role.BUREAU_STAFF))
    _token, export_key = api_token_issue(user=exporter, scope="read", expires_in_days=1, name="bench export")
    child = subprocess.run(
        [sys.executable, __file__, "--csv-child", export_key], capture_output=True, text=True, check=True
    )
    export = json.loads(child.stdout.strip().splitlines()[-1])

    return result | {
        "csv_rows": export["rows"],
        "csv_seconds": export["seconds"],
        "csv_rows_per_s": export["rows"] / export["seconds"],
        "csv_rss_growth_mb": export["rss_growth_mb"],
        "csv_cpu_s": export["cpu_s"],
        "csv_backend_cpu_s": export["backend_cpu_s"],
        "csv_base_seconds": export["base_seconds"],
        "csv_ratio": export["seconds"] / export["base_seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-csv", action="store_true", help="the list and cursor pages only, not the CSV export")
    parser.add_argument("--gunicorn", action="store_true", help="the list page and its baseline under gunicorn + wrk")
    parser.add_argument("--rounds", type=int, default=3, help="--gunicorn: wrk runs of each, alternately")
    parser.add_argument("--seconds", type=int, default=10, help="--gunicorn: length of each wrk run")
    parser.add_argument("--connections", type=int, default=4, help="--gunicorn: wrk's open connections")
    parser.add_argument("--csv-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.csv_child:
        csv_export_in_this_process(args.csv_child)
        return
    setup_django()

    from projects.models import Project

    ensure_demo_data(args.projects, args.visits)
    if args.gunicorn:
        g = under_gunicorn(rounds=args.rounds, seconds=args.seconds, connections=args.connections)
        print(
            f"gunicorn (gthread 2 × 4) + wrk, {args.connections} connections, {args.rounds} × {args.seconds} s each, "
            f"alternately, medians; same body: {'yes' if g['same_body'] else 'NO'}\n"
            f"GET /api/v1/projects/?page_size=100   API {g['api_rps']:.1f} req/s, p50 {g['api_p50_s'] * 1000:.1f} ms   "
            f"baseline {g['base_rps']:.1f} req/s, p50 {g['base_p50_s'] * 1000:.1f} ms   "
            f"throughput ratio {g['throughput_ratio']:.2f}x, latency ratio {g['latency_ratio']:.2f}x (target ≤ 1.3)"
        )
        return
    m = measure(repeat=args.repeat, csv_export=not args.no_csv)
    api_time, base_time, same_body = m["api_s"], m["base_s"], m["same_body"]
    first_time, far_time = m["cursor_first_s"], m["cursor_far_s"]
    print(f"{Project.objects.count():,} projects on PostgreSQL; medians of {args.repeat} runs")
    print(
        f"GET /api/v1/projects/?page_size=100   API {api_time * 1000:.1f} ms   "
        f"hand-written SQL + json {base_time * 1000:.1f} ms   ratio {api_time / base_time:.2f}x (target ≤ 1.3)   "
        f"same body: {'yes' if same_body else 'NO'}\n"
        f"    CPU of this process: API {m['api_cpu_s'] * 1000:.2f} ms, baseline {m['base_cpu_s'] * 1000:.2f} ms "
        f"(API beyond its SQL: {(m['api_cpu_s'] - m['base_cpu_s']) * 1000:.2f} ms a page)"
    )
    print(
        f"cursor mode page 1 {first_time * 1000:.1f} ms   page 1,000 {far_time * 1000:.1f} ms   "
        f"ratio {far_time / first_time:.2f}x (target ≤ 1.1)"
    )
    if args.no_csv:
        return
    export = {"rows": m["csv_rows"], "seconds": m["csv_seconds"], "rss_growth_mb": m["csv_rss_growth_mb"]}
    base_seconds = m["csv_base_seconds"]
    print(
        f"CSV export of {export['rows']:,} projects: {export['seconds']:.1f} s, "
        f"{export['rows'] / export['seconds']:,.0f} rows/s, peak RSS growth {export['rss_growth_mb']:.1f} MB "
        f"(target < 100 MB); CPU {m['csv_cpu_s']:.2f} s + PostgreSQL backend {m['csv_backend_cpu_s']:.2f} s"
    )
    print(
        f"CSV baseline (the export's SQL, server-side cursor, csv.writer on the tuples): {base_seconds:.1f} s, "
        f"{export['rows'] / base_seconds:,.0f} rows/s; export / baseline {export['seconds'] / base_seconds:.2f}x"
    )


if __name__ == "__main__":
    main()
