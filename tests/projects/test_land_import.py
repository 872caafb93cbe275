"""Importing land parcels (kind "parcels"): matched by number, all-or-nothing, dry run, supply through the service,
and the export read back."""

import datetime
from decimal import Decimal

import pytest

from pinghu.imports import run_import
from pinghu.permissions import Role
from projects.choices import ParcelStatus
from projects.imports import IMPORT_KINDS, ParcelResource
from projects.models import LandParcel
from projects.services import parcel_supply
from tests.factories import EnterpriseFactory, LandParcelFactory, ProjectFactory, UserFactory
from tests.importfiles import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
FIELDS = ["number", "town", "land_area", "use", "status", "origin", "project", "supplied_date", "notes"]


def rows(*records) -> list[list]:
    resource = ParcelResource()
    return [[str(resource.fields[name].column_name) for name in FIELDS]] + [
        [record.get(name) for name in FIELDS] for record in records
    ]


def run(data, *, dry_run=False, filename="地块.xlsx"):
    return run_import(ParcelResource(), data, filename, user=UserFactory(roles=[Role.BUREAU_STAFF]), dry_run=dry_run)


def test_the_kind_is_offered():
    assert IMPORT_KINDS["parcels"] is ParcelResource


def test_new_and_matched_parcels_with_origin_and_supply():
    firm, project = EnterpriseFactory(name="低效企业甲"), ProjectFactory()
    existing = LandParcelFactory(number="平湖-001", status=ParcelStatus.LOW_EFFICIENCY)
    data = xlsx_bytes(
        rows(
            {
                "number": "平湖-001",
                "town": "新埭镇",
                "land_area": "12.5",
                "status": "已供",
                "origin": "低效企业甲",
                "project": project.pk,
                "supplied_date": "2024-05-01",
            },
            {"number": "平湖-002", "town": "乍浦镇", "land_area": "30", "use": "其他", "status": "闲置"},
        )
    )
    dry = run(data, dry_run=True)
    assert dry.ok and not LandParcel.objects.filter(number="平湖-002").exists()
    report = run(data)
    assert report.ok, report.problems
    existing.refresh_from_db()
    assert (existing.status, existing.project, existing.origin, existing.town) == (
        ParcelStatus.SUPPLIED,
        project,
        firm,
        "新埭镇",
    )
    assert existing.supplied_date == datetime.date(2024, 5, 1)
    new = LandParcel.objects.get(number="平湖-002")
    assert (new.land_area, new.use) == (Decimal("30.00"), "other")


def test_one_bad_row_writes_nothing():
    project, other = ProjectFactory(), ProjectFactory()
    supplied = LandParcelFactory(number="平湖-003")
    parcel_supply(parcel=supplied, project=project, date=datetime.date(2024, 1, 1))
    data = csv_bytes(
        rows(
            {"number": "平湖-004", "town": "新埭镇", "land_area": "5"},
            {
                "number": "平湖-003",
                "town": "当湖街道",
                "land_area": "50",
                "status": "已供",
                "project": other.pk,
                "supplied_date": "2024-02-01",
            },
            {"number": "平湖-005", "town": "新埭镇", "land_area": "0"},
            {"number": "平湖-006", "town": "新埭镇", "land_area": "5", "origin": "不存在的企业"},
        )
    )
    report = run(data, filename="地块.csv")
    assert not report.ok
    assert {problem.row for problem in report.problems} == {3, 4, 5}
    assert not LandParcel.objects.filter(number="平湖-004").exists()
    supplied.refresh_from_db()
    assert supplied.project == project


def test_the_export_reads_back(read_client):
    firm = EnterpriseFactory(name="旧厂乙")
    parcel_supply(
        parcel=LandParcelFactory(number="平湖-007", origin=firm),
        project=ProjectFactory(),
        date=datetime.date(2024, 3, 3),
    )
    response = read_client.get("/api/v1/land-parcels/", {"format": "xlsx"})
    report = run(b"".join(response.streaming_content), dry_run=True)
    assert report.ok, report.problems
