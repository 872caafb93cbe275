"""Demo data: parcels in every status, some recycled from demo firms with land renewals, top officials flagged;
deterministic, marked 演示, removed with the rest."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from aftercare.models import LandRenewal
from chains.models import Leader
from projects.choices import ParcelStatus
from projects.demo import delete_demo_data, generate_demo_data
from projects.models import LandParcel

pytestmark = pytest.mark.django_db
END = datetime.date(2026, 6, 30)


def parcel_rows():
    return list(
        LandParcel.objects.order_by("number").values_list(
            "number", "town", "land_area", "status", "origin__name", "project__name", "supplied_date"
        )
    )


def test_demo_parcels_renewals_and_top_officials():
    call_command("seed_pinghu", stdout=StringIO())
    counts = generate_demo_data(projects=200, visits=100, seed=3, end_date=END)
    assert counts.parcels == 20 == LandParcel.objects.count()
    assert not LandParcel.objects.exclude(number__startswith="演示").exists()
    assert set(LandParcel.objects.values_list("status", flat=True)) == set(ParcelStatus.values)
    supplied = LandParcel.objects.filter(status=ParcelStatus.SUPPLIED)
    assert all(p.project.signed_date <= p.supplied_date <= END for p in supplied.select_related("project"))
    # A project's 供地 milestone is the earliest supply date of its parcels, as parcel_supply keeps it.
    assert all(p.project.land_supplied_date in (None, p.supplied_date) for p in supplied.select_related("project"))
    assert any(p.project.land_supplied_date == p.supplied_date for p in supplied.select_related("project"))
    assert LandParcel.objects.filter(origin__isnull=False).exists()
    assert counts.extra["land_renewals"] == LandRenewal.objects.filter(parcel__isnull=False).count() > 0
    assert (
        Leader.objects.filter(is_top_official=True).exists() and Leader.objects.filter(is_top_official=False).exists()
    )
    first = parcel_rows()
    delete_demo_data()
    assert not LandParcel.objects.exists() and not LandRenewal.objects.exists()
    generate_demo_data(projects=200, visits=100, seed=3, end_date=END)
    assert parcel_rows() == first
