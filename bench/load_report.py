"""Pure helpers of the load bench (``bench/load.py``): the per-endpoint table, the failures' timing, the SQL checks.

Kept apart from the runner and the locustfile (which need Locust, a server and a database) so that
``tests/pinghu/test_load_report.py`` can check them on both databases.
"""

import csv
from collections.abc import Iterable

# Request names start with their kind; the p95 target (300 ms) is for page views and API writes.
TARGETED_KINDS = ("page", "write")
P95_TARGET_MS = 300

# Every visit the bench posts carries this prefix, the run and its Idempotency-Key in its purpose, so that
# SQL can count the visits per key without trusting the idempotency table it checks.
PURPOSE_PREFIX = "负载测试"


def visit_purpose(run: str, key: str) -> str:
    return f"{PURPOSE_PREFIX} {run} {key}"


def read_stats_csv(path: str) -> list[dict]:
    """The rows of Locust's ``<prefix>_stats.csv``: name, requests, failures and p50/p95/p99 in ms."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            {
                "name": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": _ms(row["50%"]),
                "p95": _ms(row["95%"]),
                "p99": _ms(row["99%"]),
            }
            for row in csv.DictReader(handle)
        ]


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def targeted(name: str) -> bool:
    return name.split(":", 1)[0] in TARGETED_KINDS


def format_table(rows: Iterable[dict]) -> str:
    """One line per endpoint: requests, failures, p50/p95/p99 and, for pages and writes, the p95 verdict."""
    header = f"{'endpoint':<58} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  p95<300"
    lines = [header, "-" * len(header)]
    for row in rows:
        verdict = ""
        if targeted(row["name"]) and row["p95"] is not None:
            verdict = "yes" if row["p95"] < P95_TARGET_MS else "NO"
        figures = [_show(row[key]) for key in ("p50", "p95", "p99")]
        lines.append(
            f"{row['name']:<58} {row['requests']:>8} {row['failures']:>6} "
            f"{figures[0]:>7} {figures[1]:>7} {figures[2]:>7}  {verdict}"
        )
    return "\n".join(lines)


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def split_failures(
    outcomes: Iterable[tuple[float, float, bool]], down: float | None, up: float | None
) -> tuple[int, int]:
    """Failed requests (sent, answered, ok) as (in flight during the restart, outside it).

    A request is in flight if it was sent before PostgreSQL answered again and answered after it went
    down; with no restart every failure is outside.
    """
    during = outside = 0
    for sent, answered, ok in outcomes:
        if ok:
            continue
        if down is not None and up is not None and sent <= up and answered >= down:
            during += 1
        else:
            outside += 1
    return during, outside


# The bench's visits per key: more than one row for a key is a visit written twice.
DUPLICATES_SQL = """
SELECT purpose, COUNT(*) FROM projects_investmentvisit
WHERE purpose LIKE %s GROUP BY purpose HAVING COUNT(*) > 1 ORDER BY purpose
"""
COUNT_SQL = "SELECT COUNT(*), COUNT(DISTINCT purpose) FROM projects_investmentvisit WHERE purpose LIKE %s"


def visit_counts(cursor, run: str, acknowledged: Iterable[str]) -> dict:
    """The run's visits in SQL: rows, distinct keys, keys written twice, and acknowledged keys without a visit.

    ``acknowledged`` are the keys whose POST got a 201 (first answer or replay): each must have its visit.
    """
    pattern = visit_purpose(run, "%")
    cursor.execute(DUPLICATES_SQL, [pattern])
    duplicates = [(purpose.rsplit(" ", 1)[-1], count) for purpose, count in cursor.fetchall()]
    cursor.execute(COUNT_SQL, [pattern])
    rows, keys = cursor.fetchone()
    cursor.execute("SELECT purpose FROM projects_investmentvisit WHERE purpose LIKE %s", [pattern])
    written = {purpose.rsplit(" ", 1)[-1] for (purpose,) in cursor.fetchall()}
    missing = sorted(set(acknowledged) - written)
    return {"visits": rows, "keys": keys, "duplicates": duplicates, "missing": missing}
