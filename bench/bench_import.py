"""Time importing 10,000 projects from an .xlsx file (issue 8: under 30 s on PostgreSQL).

Three timings, each run in a transaction that is rolled back afterwards, so every repeat starts
from the same database:

- **import**: ``run_import`` with the project resource: read the file, check every row, create
  each project through ``project_create`` (its first stage change and both history rows), in one
  transaction;
- **re-import**: the same file again right after (every row matched, nothing changed);
- **edited**: the file with every project's investment changed (every row updated, with its history);
- **baseline**: a hand-written load of the same file: openpyxl reads it, and ``executemany``
  inserts the projects, their first stage changes and one history row each, with no checks;
- **edit baseline**: right after it, a hand-written load of the edited file: one
  ``UPDATE … FROM (VALUES …)`` per 1,000 rows and one history row each, with no checks.

The ratio is what the library, the checks and the services cost on top of writing the rows.
``--visits N`` also times importing N visits (each through ``visit_create``, row by row; no target).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/bench_import.py \
        [--rows 10000] [--repeat 3] [--visits 2000]
"""

import argparse
import datetime
import io
import statistics
import time

from _setup import setup_django

INVESTORS = 2000


def build_file(rows: int, *, extra_investment: int = 0) -> bytes:
    """A projects sheet as the export writes it: leads, negotiations, signed and producing projects."""
    from django.utils import translation
    from openpyxl import Workbook

    from projects.imports import ProjectResource

    with translation.override("zh-hans"):
        headers = [str(field.column_name) for field in ProjectResource().get_import_fields()]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("projects")
    sheet.append(headers)
    from chains.models import Chain

    chains = list(Chain.objects.values_list("name", flat=True))
    stages = ["线索", "在谈", "签约", "投产"]
    start = datetime.date(2024, 1, 1)
    for number in range(rows):
        stage = stages[number % 4]
        contact = start + datetime.timedelta(days=number % 300)
        signed = contact + datetime.timedelta(days=30) if stage in ("签约", "投产") else None
        production = contact + datetime.timedelta(days=200) if stage == "投产" else None
        values = {
            "ID": None,
            "名称": f"导入基准项目{number:05d}",
            "产业链": chains[number % len(chains)],
            "投资方": f"导入基准企业{number % INVESTORS:04d}有限公司",
            "项目来源": "其他",
            "阶段": stage,
            "总投资（万元）": 1000 + number % 5000 + extra_investment,
            "注册资本（万元）": 500,
            "首次接触日期": contact,
            "签约日期": signed,
            "注册日期": production and signed,
            "开工日期": production,
            "投产日期": production,
        }
        sheet.append([values.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_visits_file(rows: int) -> bytes:
    """A visits sheet as the export writes it: each visit with two leaders and one chain."""
    from django.utils import translation
    from openpyxl import Workbook

    from chains.models import Chain
    from projects.imports import VisitResource

    with translation.override("zh-hans"):
        resource = VisitResource()
        headers = [str(field.column_name) for field in resource.get_import_fields()]
        names = [resource.get_field_name(field) for field in resource.get_import_fields()]
    chains = list(Chain.objects.values_list("name", flat=True))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("visits")
    sheet.append(headers)
    start = datetime.date(2024, 1, 1)
    for number in range(rows):
        values = {
            "date": start + datetime.timedelta(days=number % 300),
            "enterprise": f"导入基准企业{number % INVESTORS:04d}有限公司",
            "leaders": f"导入基准领导{number % LEADERS:02d}、导入基准领导{(number + 1) % LEADERS:02d}",
            "chains": chains[number % len(chains)],
            "host_unit": BENCH_UNITS[number % len(BENCH_UNITS)],
            "purpose": "洽谈投资",
        }
        sheet.append([values.get(name) for name in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


LEADERS = 20
# The host units the visits file names (units.Unit records, created by ensure_leaders).
BENCH_UNITS = [f"导入基准单位{number:02d}" for number in range(10)]


def ensure_leaders() -> None:
    """The leaders and the host units (units.Unit) the visits file names."""
    from chains.models import Leader
    from units.models import Unit

    government, _created = Unit.objects.get_or_create(name="平湖市人民政府")
    for number in range(LEADERS):
        Leader.objects.get_or_create(name=f"导入基准领导{number:02d}", unit=government)
    for name in BENCH_UNITS:
        Unit.objects.get_or_create(name=name)


def ensure_investors() -> None:
    from chains.models import Enterprise
    from chains.names import firm_name_key

    names = [f"导入基准企业{number:04d}有限公司" for number in range(INVESTORS)]
    existing = set(Enterprise.objects.filter(name__in=names).values_list("name", flat=True))
    Enterprise.objects.bulk_create(
        [Enterprise(name=name, name_key=firm_name_key(name)) for name in names if name not in existing]
    )


def bench_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from pinghu.permissions import Role

    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    user.groups.add(Group.objects.get(name=Role.BUREAU_STAFF))
    return user


def rolled_back(function):
    """Run ``function`` in a transaction that is rolled back; return its wall time and result."""
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        result = function()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, result


def baseline(data: bytes, user_id: int) -> int:
    """openpyxl + executemany: projects, first stage changes and one history row each; no checks."""
    from django.db import connection
    from django.utils import timezone
    from openpyxl import load_workbook

    from chains.models import Chain, Enterprise

    chains = dict(Chain.objects.values_list("name", "id"))
    investors = dict(Enterprise.objects.filter(name__startswith="导入基准企业").values_list("name", "id"))
    stage_values = {"线索": "lead", "在谈": "negotiating", "签约": "signed", "投产": "production"}
    rows = load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    headers = next(rows)
    now = timezone.now()
    projects = []
    for values in rows:
        row = dict(zip(headers, values, strict=False))

        def day(header, row=row):
            return row[header].date() if row.get(header) else None

        projects.append(
            (
                now,
                now,
                row["名称"],
                chains[row["产业链"]],
                investors[row["投资方"]],
                "other",
                stage_values[row["阶段"]],
                row["总投资（万元）"],
                row["注册资本（万元）"],
                False,
                "",
                "",
                day("首次接触日期"),
                day("签约日期"),
                day("注册日期"),
                day("开工日期"),
                day("投产日期"),
                user_id,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            """INSERT INTO projects_project (created_at, updated_at, name, chain_id, investor_id, source, stage,
                   total_investment, registered_capital, is_capital_increase, town, responsible_unit_text,
                   first_contact_date, signed_date, registered_date, construction_date, production_date, created_by_id,
                   level, approval_kind, project_code)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', '', '')""",
            projects,
        )
        cursor.execute(
            """INSERT INTO projects_projectstagechange (created_at, updated_at, project_id, from_stage, to_stage, at,
                   by_id, note)
               SELECT now(), now(), id, '', stage, coalesce(production_date, signed_date, first_contact_date), %s, ''
               FROM projects_project WHERE name LIKE '导入基准项目%%'""",
            [user_id],
        )
        cursor.execute(
            """INSERT INTO projects_historicalproject (id, created_at, updated_at, name, chain_id, investor_id, source,
                   stage, total_investment, is_capital_increase, town, responsible_unit_text, first_contact_date,
                   level, approval_kind, project_code, history_date, history_type, history_user_id)
               SELECT id, created_at, updated_at, name, chain_id, investor_id, source, stage, total_investment,
                   is_capital_increase, town, responsible_unit_text, first_contact_date, level, approval_kind,
                   project_code, now(), '+', %s
               FROM projects_project WHERE name LIKE '导入基准项目%%'""",
            [user_id],
        )
    return len(projects)


def baseline_edit(data: bytes, user_id: int) -> int:
    """openpyxl + one UPDATE … FROM (VALUES …) per 1,000 rows: the investments, and one history row each; no checks."""
    from django.db import connection
    from openpyxl import load_workbook
    from psycopg2.extras import execute_values

    rows = load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    headers = next(rows)
    edits = []
    for values in rows:
        row = dict(zip(headers, values, strict=False))
        edits.append((row["名称"], row["总投资（万元）"]))
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            """UPDATE projects_project p SET total_investment = v.amount::numeric, updated_at = now()
               FROM (VALUES %s) AS v(name, amount) WHERE p.name = v.name""",
            edits,
            page_size=1000,
        )
        cursor.execute(
            """INSERT INTO projects_historicalproject (id, created_at, updated_at, name, chain_id, investor_id, source,
                   stage, total_investment, is_capital_increase, town, responsible_unit_text, first_contact_date,
                   level, approval_kind, project_code, history_date, history_type, history_user_id)
               SELECT id, created_at, updated_at, name, chain_id, investor_id, source, stage, total_investment,
                   is_capital_increase, town, responsible_unit_text, first_contact_date, level, approval_kind,
                   project_code, now(), '~', %s
               FROM projects_project WHERE name LIKE '导入基准项目%%'""",
            [user_id],
        )
    return len(edits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--visits", type=int, default=0, help="also time importing this many visits (no baseline)")
    args = parser.parse_args()
    setup_django()

    from pinghu.imports import run_import
    from projects.imports import ProjectResource

    ensure_investors()
    user = bench_user()
    data = build_file(args.rows)
    print(f"file: {args.rows:,} projects, {len(data) / 1024 / 1024:.1f} MB")

    edited = build_file(args.rows, extra_investment=1)

    def import_three_times():
        timings, reports = [], []
        for content, expected in ((data, "new"), (data, "skip"), (edited, "update")):
            started = time.perf_counter()
            reports.append(run_import(ProjectResource(), content, "bench.xlsx", user=user, dry_run=False))
            timings.append(time.perf_counter() - started)
            assert reports[-1].ok and reports[-1].totals == {expected: args.rows}, reports[-1].problems[:3]
        return timings

    imports, reimports, updates, baselines, edit_baselines = [], [], [], [], []
    for _ in range(args.repeat):
        _elapsed, (first, second, third) = rolled_back(import_three_times)
        imports.append(first)
        reimports.append(second)
        updates.append(third)

        def both_baselines():
            started = time.perf_counter()
            assert baseline(data, user.pk) == args.rows
            inserted = time.perf_counter()
            assert baseline_edit(edited, user.pk) == args.rows
            return inserted - started, time.perf_counter() - inserted

        _elapsed, (inserted, edited_in) = rolled_back(both_baselines)
        baselines.append(inserted)
        edit_baselines.append(edited_in)
    base, edit_base = statistics.median(baselines), statistics.median(edit_baselines)
    for label, timings in (
        ("import", imports),
        ("re-import (unchanged)", reimports),
    ):
        median = statistics.median(timings)
        print(f"{label:24s} median {median:7.2f} s   ratio to baseline {median / base:5.1f}×")
    median = statistics.median(updates)
    print(
        f"{'edited (all updated)':24s} median {median:7.2f} s   ratio to baseline {median / base:5.1f}×"
        f"   to the edit baseline {median / edit_base:5.1f}×"
    )
    print(f"{'baseline (executemany)':24s} median {base:7.2f} s")
    print(f"{'edit baseline (VALUES)':24s} median {edit_base:7.2f} s")
    if args.rows == 10_000:
        print(f"target: 10,000 projects under 30 s — {'met' if statistics.median(imports) < 30 else 'MISSED'}")
        print(f"target: 10,000 edited under 10 s — {'met' if median < 10 else 'MISSED'}")
    if args.visits:
        from projects.imports import VisitResource

        ensure_leaders()
        visits = build_visits_file(args.visits)

        def import_visits():
            report = run_import(VisitResource(), visits, "visits.xlsx", user=user, dry_run=False)
            assert report.ok and report.totals == {"new": args.visits}, (report.totals, report.problems[:3])

        timings = [rolled_back(import_visits)[0] for _ in range(args.repeat)]
        median = statistics.median(timings)
        each = median / args.visits * 1000
        print(f"{'visits import':24s} median {median:7.2f} s for {args.visits:,} ({each:.1f} ms each)")


if __name__ == "__main__":
    main()
