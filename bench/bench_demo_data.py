"""Time ``generate_demo_data`` at full size against PostgreSQL inserting the same number of rows by itself.

Baseline: one ``INSERT … SELECT generate_series(…)`` per table, writing as many rows as the
generator wrote into the same tables (same indexes, constraints and triggers), inside a
transaction that is rolled back. The ratio is what the Python side (building rows, Django's
bulk_create) costs on top of the database's own insert speed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/bench_demo_data.py \
        [--projects 100000] [--visits 200000] [--repeat 3]

Each run starts from the same state: the previous run's rows deleted with their history
(``forget_demo_history``), then ``VACUUM FULL ANALYZE``. Run 1 is also the process's first: it pays the
imports and caches a ``manage.py generate_demo_data`` pays, so read it beside the median.
"""

import argparse
import os
import resource
import statistics
import time

from _setup import setup_django

BASELINE_SQL = [
    # (table, rows key, INSERT … SELECT with %(n)s rows)
    (
        "projects_project",
        "projects",
        """INSERT INTO projects_project (created_at, updated_at, name, chain_id, investor_id, source, stage,
               total_investment, is_capital_increase, town, responsible_unit_text, first_contact_date,
               project_code, approval_kind, level)
           SELECT now(), now(), 'bench' || g, (SELECT min(id) FROM chains_chain), %(investor)s, 'other', 'lead',
                  mod(g, 1000), false, '', '', DATE '2025-01-01', '', '', ''
           FROM generate_series(1, %(n)s) g""",
    ),
    (
        "projects_projectstagechange",
        "stage_changes",
        """INSERT INTO projects_projectstagechange (created_at, updated_at, project_id, from_stage, to_stage, at, note)
           SELECT now(), now(), %(project)s, '', 'lead', DATE '2025-01-01', '' FROM generate_series(1, %(n)s) g""",
    ),
    (
        "projects_investmentvisit",
        "visits",
        """INSERT INTO projects_investmentvisit (created_at, updated_at, date, host_unit_text, enterprise_id,
               destination_city, purpose, outcome, next_step)
           SELECT now(), now(), DATE '2025-01-01' + mod(g, 300), 'bench', %(investor)s, '', 'bench', '', ''
           FROM generate_series(1, %(n)s) g""",
    ),
]


def forget_demo_history(connection) -> int:
    """Delete the history rows the demo wrote (its creation and deletion records, reason ``DEMO_REASON``), with
    their link snapshots; how many. A scratch database's own reset between runs, never the site's: the audit trail
    is kept everywhere else. Without it each run writes its 850,000 history rows into tables holding every earlier
    run's 1,700,000, and the load keeps their indexes (``projects.bulk_aside``: not worth setting aside for fewer
    new rows than the table holds), so the second run was slower than the first for that reason alone."""
    from django.apps import apps
    from simple_history.manager import HistoryDescriptor

    from projects.demo import DEMO_REASON
    from projects.demo_history import history_models

    quote = connection.ops.quote_name
    deleted = 0
    with connection.cursor() as cursor:
        # Every model with a history: simple-history's descriptor (a link snapshot's "history" is a foreign key).
        tracked = [model for model in apps.get_models() if isinstance(vars(model).get("history"), HistoryDescriptor)]
        for model in tracked:
            history_model, *snapshots = history_models(model)
            table, key = quote(history_model._meta.db_table), quote(history_model._meta.pk.column)
            for snapshot in snapshots:  # the link snapshots point at their history rows: first
                link = quote(snapshot._meta.get_field("history").column)
                cursor.execute(
                    f"DELETE FROM {quote(snapshot._meta.db_table)} WHERE {link} IN "
                    f"(SELECT {key} FROM {table} WHERE history_change_reason = %s)",
                    [DEMO_REASON],
                )
                deleted += cursor.rowcount
            cursor.execute(f"DELETE FROM {table} WHERE history_change_reason = %s", [DEMO_REASON])
            deleted += cursor.rowcount
    return deleted


def cpu_seconds(connection) -> float:
    """CPU used so far by this process and its PostgreSQL backend (a local server): a figure the machine's
    other load does not inflate as it does the wall time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        with open(f"/proc/{backend}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:  # a server on another host
        server = 0.0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()

    from django.db import connection, transaction

    from projects.demo import delete_demo_data, generate_demo_data

    generator_times, generator_cpu, baseline_times, counts = [], [], [], None
    for run in range(args.repeat):
        delete_demo_data()
        forget_demo_history(connection)
        with connection.cursor() as cursor:
            # Every run starts from the same state: without this, each run inserts into tables
            # holding the previous run's dead rows (the database had grown to 2.5 GB).
            cursor.execute("VACUUM FULL ANALYZE")
        started, cpu = time.perf_counter(), cpu_seconds(connection)
        counts = generate_demo_data(projects=args.projects, visits=args.visits, seed=run + 1)
        generator_times.append(time.perf_counter() - started)
        generator_cpu.append(cpu_seconds(connection) - cpu)

        from chains.models import Enterprise
        from projects.models import Project

        investor = Enterprise.objects.values_list("pk", flat=True).first()
        project = Project.objects.values_list("pk", flat=True).first()
        started = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:
                for _table, key, sql in BASELINE_SQL:
                    cursor.execute(sql, {"n": getattr(counts, key), "investor": investor, "project": project})
            transaction.set_rollback(True)
        baseline_times.append(time.perf_counter() - started)
        print(
            f"run {run + 1}: generator {generator_times[-1]:.1f} s (CPU {generator_cpu[-1]:.1f} s), "
            f"baseline {baseline_times[-1]:.1f} s, load {os.getloadavg()[0]:.1f}",
            flush=True,
        )

    generator, baseline = statistics.median(generator_times), statistics.median(baseline_times)
    rows = counts.projects + counts.stage_changes + counts.visits + counts.person_times + counts.visit_projects
    print()
    print(
        f"rows written per run: {rows:,} ({counts.projects:,} projects, {counts.stage_changes:,} stage changes, "
        f"{counts.visits:,} visits, {counts.person_times:,} person-times, {counts.visit_projects:,} visit links)"
    )
    print(f"generate_demo_data median: {generator:.1f} s  (target < 60 s)")
    print(f"generate_demo_data CPU (process + its PostgreSQL backend) median: {statistics.median(generator_cpu):.1f} s")
    print(f"baseline (SQL INSERT … SELECT of projects, stage changes, visits) median: {baseline:.1f} s")
    print(f"ratio generator / baseline: {generator / baseline:.1f}x")


if __name__ == "__main__":
    main()
