"""The project CSV export's cheaper reading writes the bytes of the plain one (issue 22).

On PostgreSQL the export reads the funds figures from one grouped pass hash-joined
(``with_funds(joined=True)``, a common table expression by django-cte) and the numbers and dates as PostgreSQL's
text (``pinghu.api.export_reading.read_as_text``); on SQLite it reads as before. Either way the file
must be the one the correlated subqueries and psycopg2's Decimals and dates gave.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from pinghu.api import export
from pinghu.api.export_reading import read_chunks
from projects.api import views
from projects.fields import PROJECT_COLUMNS
from projects.funds_stats import with_funds
from projects.models import Project, ProjectFunds
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date
FIGURES = ("id", "funds_in_place", "foreign_paid_in", "funds_rate")
POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def projects():
    """Scales and nulls of every kind: no records, a zero total (no rate), a third (a rounded rate), cents."""
    rows = [
        ProjectFactory(
            total_investment=Decimal("1000.00"), land_area=Decimal("12.50"), first_contact_date=D(2024, 5, 9)
        ),
        ProjectFactory(total_investment=Decimal("0"), land_area=None, expected_tax=Decimal("0.01")),
        ProjectFactory(total_investment=Decimal("3.00"), registered_capital=Decimal("123456789012.34")),
        ProjectFactory(total_investment=Decimal("7.00"), first_contact_date=D(2001, 12, 31)),
    ]
    for project, months in zip(
        rows, [[("100.50", "0"), ("0.10", "2.10")], [("5", "0")], [("1", "0")], []], strict=True
    ):
        for number, (domestic, foreign) in enumerate(months, start=1):
            ProjectFunds.objects.create(
                project=project,
                month=D(2024, number, 1),
                domestic_funds=Decimal(domestic),
                actual_foreign_investment=Decimal(foreign),
            )
    return rows


def test_joined_funds_figures_are_the_subqueries(projects):
    plain = with_funds(Project.objects.order_by("pk"))
    joined = with_funds(Project.objects.order_by("pk"), joined=True)
    assert list(joined.values_list(*FIGURES)) == list(plain.values_list(*FIGURES))
    # (SQLite keeps more places of the rate than the four PostgreSQL rounds it to.)
    assert [(a, b, r if r is None else round(r, 4)) for _pk, a, b, r in plain.values_list(*FIGURES)] == [
        (Decimal("100.60"), Decimal("2.10"), Decimal("0.1006")),
        (Decimal("5"), Decimal("0"), None),
        (Decimal("1"), Decimal("0"), Decimal("0.3333")),
        (Decimal("0"), Decimal("0"), Decimal("0")),
    ]
    # Filtered on and counted. (Neither or'ed with another queryset nor put inside another query: django-cte
    # does not rename its columns there. An export reads it as the outer query, filtered with Q objects.)
    rich = joined.filter(funds_in_place__gt=2)
    assert list(rich.values_list("pk", flat=True)) == [projects[0].pk, projects[1].pk]
    assert joined.filter(Q(funds_in_place__gt=2) | Q(funds_rate__gt=Decimal("0.3"))).count() == 3
    assert ('"funds_totals"' in str(joined.query)) == POSTGRESQL  # SQLite keeps the subqueries


def test_projects_without_records_stay_in_the_joined_reading(projects):
    # The join is a LEFT JOIN, also under a filter on the figures: a project without records reads zero.
    joined = with_funds(Project.objects.order_by("pk"), joined=True)
    assert list(joined.filter(funds_in_place=0).values_list("pk", flat=True)) == [projects[3].pk]
    assert joined.filter(foreign_paid_in=0).count() == 3
    assert list(joined.order_by("-funds_in_place", "pk").values_list("pk", flat=True)[:2]) == [
        projects[0].pk,
        projects[1].pk,
    ]
    if POSTGRESQL:
        assert 'LEFT OUTER JOIN "funds_totals"' in str(joined.filter(funds_in_place=0).query)


def exported(client, fmt="csv", **query) -> bytes:
    response = client.get("/api/v1/projects/", {"format": fmt, **query})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def plain_reading(monkeypatch):
    """The export as before issue 22's change: correlated funds subqueries, every column read as its type."""
    monkeypatch.setattr(views, "with_funds", lambda projects, joined=False: with_funds(projects))
    monkeypatch.setattr(export, "read_as_text", lambda rows, columns: (rows, set()))


@pytest.mark.parametrize("query", [{}, {"ordering": "total_investment"}, {"stage": "lead"}])
def test_the_csv_is_the_bytes_of_the_plain_reading(read_client, monkeypatch, projects, query):
    with CaptureQueriesContext(connection) as queries:
        fast = exported(read_client, **query)
    sql = next(q["sql"] for q in queries.captured_queries if '"projects_project"."name"' in q["sql"])
    # The check can fail: on PostgreSQL the rows are read the cheaper way, elsewhere as before.
    assert ('"funds_totals"' in sql, "::text" in sql) == (POSTGRESQL, POSTGRESQL)
    assert "12.50" in fast.decode() and "0.3333" in fast.decode() and "2024-05-09" in fast.decode()
    plain_reading(monkeypatch)
    assert exported(read_client, **query) == fast
    # Without server-side cursors (PgBouncer in transaction mode) too.
    monkeypatch.undo()
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    assert exported(read_client, **query) == fast


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's DateStyle")
def test_dates_read_as_text_are_iso_whatever_the_sessions_datestyle(projects):
    rows = Project.objects.filter(pk=projects[0].pk).values_list(Cast("first_contact_date", TextField()))
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        assert list(rows) == [("09/05/2024",)]  # the session's style (psycopg2 could not read its timestamps)
        # The check can fail: the export's transaction sets DateStyle ISO for the dates it reads as text.
        assert [chunk for _columns, chunk in read_chunks(rows, 10)] == [[("2024-05-09",)]]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET DateStyle")


def test_the_xlsx_keeps_numbers_and_dates(read_client, projects):
    sheet = load_workbook(io.BytesIO(exported(read_client, "xlsx")), read_only=True).active
    _header, *rows = list(sheet.iter_rows(values_only=True))
    first = dict(zip(PROJECT_COLUMNS, next(row for row in rows if row[0] == projects[0].pk), strict=True))
    assert first["land_area"] == 12.5 and first["first_contact_date"] == datetime.datetime(2024, 5, 9)
