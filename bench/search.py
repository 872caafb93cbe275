"""Time the site's search (``/search/?q=`` and ``/search/quick/?q=``) at 100,000 projects on PostgreSQL.

On the ``pinghu_bench`` database (or ``$PINGHU_BENCH_DB``) with ``generate_demo_data --projects 100000
--visits 200000`` (generated if the database does not hold that many), through Django's test client and
the whole middleware stack, signed in as bureau staff (who read every type). For each query: the
median server time of the page and of the quick results, the number of queries, and the ratio to a
baseline that runs the same six searches as hand-written SQL (``LIKE`` on the same columns, the same
``LIMIT``, each part of the condition picking its own first rows as ``pinghu.search.search_first``
does) in the same run. Target: the page under 100 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/search.py [--repeat 20]
"""

import argparse

from _setup import ensure_demo_data, median_seconds, setup_django

QUERIES = [
    ("Chinese substring, one project", "项目012345"),
    ("full pinyin, one project", "xiangmu012345"),
    ("initials, one project", "xm012345"),
    ("a firm's pinyin: the firm, its projects and visits", "qiye000777"),
    ("credit-code prefix", "91330482"),
    ("broad: many projects", "新能源"),
    ("no match", "zzzqqq"),
    ("everything matches (演示: every demo name)", "演示"),
    ("initials matching every demo firm", "ysqy"),
    # One or two characters: no trigram (pinghu.search_short).
    ("2 Chinese characters, 1/8 of the projects", "汽车"),
    ("1 Chinese character, every demo firm", "企"),
    ("2 letters, every demo firm's initials", "qy"),
    ("2 Chinese characters, no match", "鑫淼"),
    ("1 Chinese character, no match", "鑫"),
    ("2 letters, a firm and a unit", "zx"),
    ("2 letters, no match", "nv"),
]
LIMIT = 9  # the page shows 8 a type and reads one more to know whether there are more
FIRMS = """SELECT id FROM chains_enterprise
           WHERE UPPER(name) LIKE UPPER(%(like)s) OR UPPER(short_name) LIKE UPPER(%(like)s)
           OR UPPER(former_names) LIKE UPPER(%(like)s) OR search_key LIKE %(key)s OR credit_code LIKE %(code)s"""


def _first(alias: str, table: str, own: str, firm_column: str, order: str) -> str:
    """The shape the search writes (pinghu.search.search_first): each part of the condition picks its own first
    rows in its ordering, a firm's match as a semi-join, and the page is the first rows of those keys."""
    return f"""{alias}.id = ANY(ARRAY(SELECT id FROM {table} WHERE {own} ORDER BY {order} LIMIT %(own)s))
        OR {alias}.id = ANY(ARRAY(SELECT id FROM {table} WHERE {firm_column} IN ({FIRMS})
                                  ORDER BY {order} LIMIT {LIMIT}))"""


VISIT_OWN = "UPPER(purpose) LIKE UPPER(%(like)s) OR UPPER(outcome) LIKE UPPER(%(like)s)"
PROJECT_ORDER, VISIT_ORDER, ISSUE_ORDER = "updated_at DESC, id DESC", "date DESC, id DESC", "received_on DESC, id DESC"
BASELINE = [
    f"""SELECT id, name, credit_code FROM chains_enterprise WHERE id = ANY(ARRAY({FIRMS} ORDER BY name LIMIT %(own)s))
        ORDER BY name LIMIT {LIMIT}""",
    f"""SELECT p.id, p.name, e.name, c.name FROM projects_project p JOIN chains_enterprise e ON e.id = p.investor_id
        JOIN chains_chain c ON c.id = p.chain_id
        WHERE {_first("p", "projects_project", "UPPER(name) LIKE UPPER(%(like)s) OR search_key LIKE %(key)s",
                        "investor_id", PROJECT_ORDER)}
        ORDER BY p.updated_at DESC, p.id DESC LIMIT {LIMIT}""",
    f"""SELECT v.id, v.date, e.name, v.purpose FROM projects_investmentvisit v
        JOIN chains_enterprise e ON e.id = v.enterprise_id
        WHERE {_first("v", "projects_investmentvisit", VISIT_OWN, "enterprise_id", VISIT_ORDER)}
        ORDER BY v.date DESC, v.id DESC LIMIT {LIMIT}""",
    f"""SELECT i.id, e.name, i.description FROM aftercare_enterpriseissue i
        JOIN chains_enterprise e ON e.id = i.enterprise_id
        WHERE {_first("i", "aftercare_enterpriseissue", "UPPER(description) LIKE UPPER(%(like)s)", "enterprise_id",
                        ISSUE_ORDER)}
        ORDER BY i.received_on DESC, i.id DESC LIMIT {LIMIT}""",
    f"""SELECT l.id, l.name FROM chains_leader l WHERE l.id = ANY(ARRAY(SELECT id FROM chains_leader
        WHERE UPPER(name) LIKE UPPER(%(like)s) OR UPPER(title) LIKE UPPER(%(like)s) OR search_key LIKE %(key)s
        ORDER BY name, id LIMIT %(own)s)) ORDER BY l.name, l.id LIMIT {LIMIT}""",
    f"""SELECT u.id, u.name FROM units_unit u WHERE u.id = ANY(ARRAY(SELECT id FROM units_unit
        WHERE UPPER(name) LIKE UPPER(%(like)s) OR search_key LIKE %(key)s ORDER BY name, id LIMIT %(own)s))
        ORDER BY u.name, u.id LIMIT {LIMIT}""",
]  # fmt: skip


def measure(*, repeat: int = 20) -> dict:
    """Each query's search page, quick search and baseline medians, and the slowest page."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pinghu.permissions import Role
    from pinghu.search import OWN_FETCH, Query

    user, _created = get_user_model().objects.get_or_create(username="bench-search")
    user.groups.set(Group.objects.filter(name=Role.BUREAU_STAFF))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def page(q, path="/search/"):
        def run():
            response = client.get(path, {"q": q})
            assert response.status_code == 200
            return response

        return run

    def baseline(q):
        query = Query.parse(q)
        params = {
            "like": f"%{query.raw}%",
            "key": f"%{query.pinyin}%" if query.pinyin else None,  # LIKE NULL: no row, as the search skips it
            "code": f"{query.code}%" if query.code else None,
            "own": max(LIMIT, OWN_FETCH) if query.has_trigrams else LIMIT,  # what the own columns' part reads
        }

        def run():
            with connection.cursor() as cursor:
                for sql in BASELINE:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        return run

    rows, worst = [], 0.0
    for label, q in QUERIES:
        page(q)(), baseline(q)()  # warm-up
        page_time, response = median_seconds(page(q), repeat)
        quick_time, _ = median_seconds(page(q, "/search/quick/"), repeat)
        base_time, _ = median_seconds(baseline(q), repeat)
        with CaptureQueriesContext(connection) as queries:
            page(q)()
        hits = response.content.count(b"data-search-hit")
        worst = max(worst, page_time)
        rows.append(
            {"label": label, "q": q, "page_s": page_time, "quick_s": quick_time, "sql_s": base_time}
            | {"ratio": page_time / base_time, "queries": len(queries), "hits": hits}
        )
    return {"queries": rows, "worst_s": worst}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    ensure_demo_data(args.projects, args.visits)
    result = measure(repeat=args.repeat)
    print(f"{args.projects} projects, {args.visits} visits; medians of {args.repeat} runs")
    print(f"{'query':<52} {'page ms':>8} {'quick ms':>9} {'SQL ms':>7} {'ratio':>6} {'queries':>8} {'hits':>5}")
    for row in result["queries"]:
        label, q = row["label"], row["q"]
        page_time, quick_time, base_time = row["page_s"], row["quick_s"], row["sql_s"]
        print(
            f"{label + ' (' + q + ')':<52} {page_time * 1000:8.1f} {quick_time * 1000:9.1f} {base_time * 1000:7.1f}"
            f" {page_time / base_time:6.2f} {row['queries']:8d} {row['hits']:5d}"
        )
    worst = result["worst_s"]
    print(f"slowest page: {worst * 1000:.1f} ms (target < 100 ms): {'OK' if worst < 0.1 else 'OVER'}")


if __name__ == "__main__":
    main()
