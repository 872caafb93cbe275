"""Closing a report freezes its figures; later edits show as drift, time passing does not."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from reports.drift import drift
from reports.models import Report, ReportVersion
from reports.services import report_close, report_create, report_reopen, report_send
from tests.reports.conftest import MARCH

D = datetime.date
pytestmark = pytest.mark.django_db


def closed(template, by=None) -> ReportVersion:
    report = report_create(template=template, period_kind="month", period_start=MARCH, by=by)
    return report_close(report=report, by=by)


def test_closing_stores_the_figures_computed_by_hand(world, template):
    version = closed(template)
    s = version.figures["summary"]
    assert version.number == 1 and version.report.status == "closed"
    assert version.figures["period"] == {"start": "2025-03-01", "end": "2025-03-31", "as_of": "2025-03-31"}
    assert (s["visits"], s["saturday_visits"], s["person_times"], s["saturday_person_times"]) == (2, 1, 4, 3)
    assert s["projects_engaged"] == 2
    assert (s["signed_projects"], s["signed_investment"], s["cny_100m__projects"]) == (2, "12500.00", 1)
    assert (s["started_projects"], s["started_rate"]) == (1, "0.5000")
    assert (s["started_in_period"], s["in_production_in_period"]) == (1, 1)
    assert (s["funds_in_place"], s["foreign_paid_in"]) == ("200.00", "10.00")
    assert (s["issues_collected"], s["issues_resolved"], s["issues_resolution_rate"]) == (2, 1, "0.5000")
    assert Decimal(s["land_supplied"]) == 30
    assert "start_rate" not in s  # signed_summary's 开工率 counts starts after the period
    rows = version.rows
    assert rows["signed_projects"] == sorted([world["p1"].pk, world["p2"].pk])
    assert rows["started_projects"] == [world["p1"].pk]
    assert rows["visits"] == sorted([world["v1"].pk, world["v2"].pk])
    assert rows["projects"][str(world["p1"].pk)][0] == "P1"
    chains = {row["code"]: row for row in version.figures["chains"]}
    assert (chains["a"]["visits"], chains["b"]["visits"], chains["c"]["visits"]) == (2, 1, 0)
    assert (chains["a"]["signed_projects"], chains["b"]["signed_projects"]) == (1, 1)
    assert chains["a"]["funds_in_place"] == "200.00"
    assert chains["a"]["signed_investment"] == chains["a"]["cny_100m__investment"] == "12000.00"
    assert chains["b"]["signed_investment"] == "500.00" and chains["b"]["cny_100m__investment"] == "0.00"
    assert s["cny_100m__investment"] == "12000.00"
    clusters = {row["code"]: row for row in version.figures["clusters"]}
    assert clusters["x"]["visits"] == 2 and clusters["x"]["signed_projects"] == 2
    towns = {row["code"]: row for row in version.figures["towns"]}
    assert towns["当湖街道"]["signed_investment"] == towns["当湖街道"]["cny_100m__investment"] == "12000.00"
    assert towns["当湖街道"]["signed_projects"] == 1 and Decimal(towns["当湖街道"]["land_supplied"]) == 30
    assert [row["name"] for row in version.figures["major_signed"]] == ["P1"]
    assert [row["name"] for row in version.figures["started"]] == ["P1"]
    assert [row["name"] for row in version.figures["in_production"]] == ["P3"]
    assert version.briefing.startswith("2025-03-01至2025-03-31，全市开展招商走访2次")
    assert drift(version) == []


def test_edits_behind_a_closed_report_leave_it_unchanged_and_show_as_drift(world, template):
    version = closed(template)
    stored = version.figures
    world["p2"].signed_date = D(2025, 2, 28)  # corrected: signed in February
    world["p2"].save()
    visit_id = world["v2"].pk
    world["v2"].delete()
    version = ReportVersion.objects.get(pk=version.pk)
    assert version.figures == stored
    items = {item.path: item for item in drift(version)}
    assert (items["summary.signed_projects"].stored, items["summary.signed_projects"].live) == (2, 1)
    assert items["summary.signed_projects"].removed == [(world["p2"].pk, "P2")]
    assert (items["summary.visits"].stored, items["summary.visits"].live) == (2, 1)
    assert items["summary.visits"].removed == [(visit_id, "")]
    assert items["chains.b.signed_projects"].removed == [(world["p2"].pk, "P2")]
    assert "summary.started_projects" not in items  # P1 still started in March


def test_a_project_started_after_the_period_is_not_drift(world, template):
    version = closed(template)
    for project, day in ((world["p2"], D(2025, 6, 1)), (world["p1"], D(2025, 5, 1))):
        project.stage, project.production_date = "production", day
        project.save()
    assert drift(version) == []


def test_reopen_needs_an_administrator_and_a_reason_and_the_next_close_is_version_two(world, template, people):
    version = closed(template, by=people["bureau"])
    report = version.report
    report_send(report=report, sent_to="嘉兴市经信局", reference_number="平经信〔2025〕3号", by=people["bureau"])
    with pytest.raises(ValidationError, match="只有管理员"):
        report_reopen(report=report, reason="更正签约日期", by=people["bureau"])
    with pytest.raises(ValidationError, match="原因"):
        report_reopen(report=report, reason="  ", by=people["admin"])
    report_reopen(report=report, reason="更正签约日期", by=people["admin"])
    world["p2"].signed_date = D(2025, 2, 28)
    world["p2"].save()
    second = report_close(report=Report.objects.get(pk=report.pk), by=people["bureau"])
    assert second.number == 2 and second.reopen_reason == "更正签约日期"
    assert second.reopened_by == people["admin"]
    assert second.figures["summary"]["signed_projects"] == 1
    first = ReportVersion.objects.get(pk=version.pk)
    assert first.figures["summary"]["signed_projects"] == 2
    assert list(report.versions.values_list("number", flat=True)) == [1, 2]
    assert report.history.count() >= 5  # created, closed, sent, reopened, closed again


def test_a_closed_version_cannot_be_changed_or_deleted_by_any_path(world, template):
    version = closed(template)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(figures={"summary": {}})
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).update(briefing="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(ValidationError):
        version.save()
    assert ReportVersion.objects.get(pk=version.pk).figures == version.figures


def test_only_bureau_staff_draft_and_close(world, template, people):
    with pytest.raises(ValidationError, match="局工作人员"):
        report_create(template=template, period_kind="month", period_start=MARCH, by=people["official"])
    report = report_create(template=template, period_kind="month", period_start=MARCH, by=people["bureau"])
    with pytest.raises(ValidationError, match="局工作人员"):
        report_close(report=report, by=people["official"])
    with pytest.raises(ValidationError, match="周期"):
        report_create(template=template, period_kind="month", period_start=MARCH, by=people["bureau"])
    with pytest.raises(ValidationError, match="周期开始"):
        report_create(template=template, period_kind="quarter", period_start=D(2025, 2, 1), by=people["bureau"])
    with pytest.raises(ValidationError, match="报送"):
        report_send(report=report, sent_to="嘉兴", by=people["bureau"])


def test_closing_takes_the_same_queries_whatever_the_rows(world, template):
    from tests.factories import InvestmentVisitFactory, ProjectFactory

    report = report_create(template=template, period_kind="month", period_start=MARCH, by=None)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        report_close(report=report, by=None)
    for n in range(20):
        ProjectFactory(
            chain=world["a"],
            stage="construction",
            signed_date=D(2025, 3, 1 + n % 20),
            registered_date=D(2025, 3, 21),
            construction_date=D(2025, 3, 28),
        )
        InvestmentVisitFactory(date=D(2025, 3, 1 + n % 28), chains=[world["b"]])
    report_reopen(report=report, reason="再算", by=None)
    report = Report.objects.get(pk=report.pk)
    with CaptureQueriesContext(connection) as many:
        report_close(report=report, by=None)
    assert len(many) == len(few) and len(few) < 90


def test_the_demo_data_holds_a_sent_report_and_a_draft(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_pinghu", stdout=StringIO())
    call_command("generate_demo_data", "--projects", "40", "--visits", "40", "--seed", "3", stdout=StringIO())
    reports = list(Report.objects.order_by("period_start"))
    assert [r.status for r in reports] == ["sent", "draft"]
    assert reports[0].versions.get().figures["summary"]["visits"] >= 0
    call_command(
        "generate_demo_data", "--projects", "40", "--visits", "40", "--seed", "3", "--replace", stdout=StringIO()
    )
    assert Report.objects.count() == 2


def test_target_progress_is_frozen_as_of_the_period_end(world, template):
    from targets.services import target_create
    from tests.factories import ProjectFactory

    target = target_create(data={"year": 2025, "scope_kind": "city", "metric": "signed_projects", "value": 10}, by=None)
    version = closed(template)
    row = next(row for row in version.figures["targets"] if row["id"] == target.pk)
    # Signed 1 January – 31 March 2025: P3 (February), P1 and P2 (March).
    assert (Decimal(row["actual"]), Decimal(row["completion"]), row["status"]) == (3, Decimal("0.3"), "ahead")
    assert Decimal(row["time_progress"]) == Decimal("0.25")
    ProjectFactory(chain=world["a"], stage="signed", signed_date=D(2025, 4, 8))  # after the period: no drift
    assert drift(version) == []
    world["p3"].signed_date = D(2024, 12, 30)  # corrected into last year: the target's actual drifts
    world["p3"].save()
    paths = {item.path for item in drift(version)}
    assert f"targets.{target.pk}.actual" in paths and "summary.signed_projects" not in paths


def test_the_briefing_is_editable_before_closing_and_stored_with_the_version(world, template, people):
    from reports.services import report_update_briefing

    report = report_create(template=template, period_kind="month", period_start=MARCH, by=people["bureau"])
    report_update_briefing(report=report, text="三月招商简报（人工修改）", by=people["bureau"])
    version = report_close(report=Report.objects.get(pk=report.pk), by=people["bureau"])
    assert version.briefing == "三月招商简报（人工修改）"
    with pytest.raises(ValidationError, match="简报"):
        report_update_briefing(report=report, text="改", by=people["bureau"])
    report_reopen(report=report, reason="重写简报", by=people["admin"])
    report_update_briefing(report=report, text="", by=people["bureau"])
    second = report_close(report=Report.objects.get(pk=report.pk), by=people["bureau"])
    assert second.briefing.startswith("2025-03-01至2025-03-31") and "P1（1.20亿元）" in second.briefing
    assert ReportVersion.objects.get(pk=version.pk).briefing == "三月招商简报（人工修改）"


@pytest.mark.django_db(transaction=True)
def test_closing_outside_a_transaction_reads_one_snapshot(world, template):
    from django.db import connection

    report = report_create(template=template, period_kind="month", period_start=MARCH, by=None)
    assert not connection.in_atomic_block
    version = report_close(report=report, by=None)  # on PostgreSQL: REPEATABLE READ, its first statement
    assert version.figures["summary"]["signed_projects"] == 2 and drift(version) == []


def test_rows_swapped_behind_an_unchanged_count_are_listed(world, template):
    from tests.factories import InvestmentVisitFactory, LeaderFactory

    version = closed(template)
    old = world["v2"].pk
    world["v2"].delete()
    new = InvestmentVisitFactory(
        date=D(2025, 3, 3), leaders=[LeaderFactory()], chains=[world["a"]], projects=[world["p2"]]
    )
    items = drift(version)
    # V2 concerned chain A (cluster X), and so does its replacement: every count is the same.
    assert [(item.path, item.stored, item.live, item.added, item.removed) for item in items] == [
        (f"rows.{key}", count, count, [(new.pk, "")], [(old, "")])
        for key, count in (("chains.a.visits", 2), ("clusters.x.visits", 2), ("visits", 2))
    ]


def test_the_stored_version_is_the_document_the_fields_encoder_would_write(world, template):
    """The version's JSON is written by orjson (``reports.services._json``): read back, it is the same document."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    version = closed(template)
    stored = ReportVersion.objects.get(pk=version.pk)
    for name in ("figures", "rows"):
        value = getattr(version, name)
        assert isinstance(value, dict)  # the instance holds the values, not the expressions that wrote them
        assert getattr(stored, name) == json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    assert stored.rows["projects"] and stored.rows["visits"]
