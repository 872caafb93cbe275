"""Shared set-up for the bench scripts: a scratch PostgreSQL database, never the one you work in.

The scripts take the server from ``$DATABASE_URL`` (default: the local server on
127.0.0.1:5432, user postgres) and use a database named ``pinghu_bench`` on it (or
``$PINGHU_BENCH_DB``, so that several checkouts can bench side by side), created if missing and
migrated.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parents[1]
BENCH_DB = os.environ.get("PINGHU_BENCH_DB", "pinghu_bench")


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/pinghu"
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit("The benches measure PostgreSQL: set DATABASE_URL=postgres://… (the server to use).")
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def setup_django() -> None:
    """Create the bench database if needed, point Django at it, migrate and load reference data."""
    import psycopg2

    url = bench_database_url()
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    admin.close()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinghu.settings")
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_pinghu", verbosity=0, stdout=open(os.devnull, "w"))


def median_seconds(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Run ``function`` ``repeat`` times; return the median wall time and the last result."""
    timings, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def ensure_demo_data(projects: int, visits: int, **options) -> None:
    """Generate the demo set unless one of that size is there, then VACUUM ANALYZE (runs rewrite it)."""
    from django.db import connection

    from projects.demo import delete_demo_data, generate_demo_data
    from projects.models import InvestmentVisit, Project

    if Project.objects.count() != projects or InvestmentVisit.objects.count() != visits:
        delete_demo_data()
        generate_demo_data(projects=projects, visits=visits, seed=1, **options)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # drop the dead rows of earlier runs
