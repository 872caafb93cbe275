"""Land parcels (地块): the model's rules, the supply service, and the land statistics against a small set by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from aftercare.models import LandRenewal
from pinghu.concurrency import is_stale, version_of
from projects import stats_land
from projects.choices import ParcelStatus
from projects.models import LandParcel, Project
from projects.periods import Period
from projects.services import parcel_create, parcel_supply, parcel_update
from tests.factories import ChainFactory, ClusterFactory, EnterpriseFactory, LandParcelFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Q1 = Period(D(2024, 1, 1), D(2024, 3, 31))


def test_parcel_create_refuses_zero_area_and_a_supplied_parcel_without_project():
    with pytest.raises(ValidationError) as error:
        parcel_create(parcel=LandParcel(number="N1", town="当湖街道", land_area=Decimal(0)))
    assert "land_area" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        parcel_create(
            parcel=LandParcel(number="N2", town="当湖街道", land_area=Decimal(5), status=ParcelStatus.SUPPLIED)
        )
    assert {"project", "supplied_date"} <= set(error.value.message_dict)
    assert not LandParcel.objects.exists()


def test_area_above_the_ceiling_and_implausible_dates_are_refused():
    project = ProjectFactory()
    for area, date, field in [
        (Decimal("100001"), D(2024, 1, 1), "land_area"),
        (Decimal(5), D(1999, 12, 31), "supplied_date"),
        (Decimal(5), timezone.localdate() + datetime.timedelta(days=1), "supplied_date"),
    ]:
        parcel = LandParcel(
            number="N",
            town="当湖街道",
            land_area=area,
            status=ParcelStatus.SUPPLIED,
            project=project,
            supplied_date=date,
        )
        with pytest.raises(ValidationError) as error:
            parcel_create(parcel=parcel)
        assert field in error.value.message_dict


def test_database_refuses_a_supplied_parcel_without_date():
    parcel = LandParcelFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LandParcel.objects.filter(pk=parcel.pk).update(status=ParcelStatus.SUPPLIED, project=ProjectFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        LandParcel.objects.filter(pk=parcel.pk).update(land_area=Decimal("-1"))


def test_supply_sets_status_project_and_date_and_refuses_another_project():
    parcel, first, second = LandParcelFactory(status=ParcelStatus.LOW_EFFICIENCY), ProjectFactory(), ProjectFactory()
    supplied = parcel_supply(parcel=parcel, project=first, date=D(2024, 2, 1))
    parcel.refresh_from_db()
    assert (parcel.status, parcel.project, parcel.supplied_date) == (ParcelStatus.SUPPLIED, first, D(2024, 2, 1))
    assert supplied.pk == parcel.pk
    parcel_supply(parcel=parcel, project=first, date=D(2024, 2, 3))  # the same project: the day is corrected
    parcel.refresh_from_db()
    assert parcel.supplied_date == D(2024, 2, 3)
    with pytest.raises(ValidationError) as error:
        parcel_supply(parcel=parcel, project=second, date=D(2024, 2, 5))
    assert "project" in error.value.message_dict
    parcel.refresh_from_db()
    assert parcel.project == first
    assert parcel.history.count() == 3


def test_the_projects_land_supplied_milestone_follows_its_parcels():
    project = ProjectFactory()
    first, second = LandParcelFactory(), LandParcelFactory()
    parcel_supply(parcel=first, project=project, date=D(2024, 3, 10))
    project.refresh_from_db()
    assert project.land_supplied_date == D(2024, 3, 10)
    parcel_supply(parcel=second, project=project, date=D(2024, 2, 1))  # an earlier parcel: the milestone is its day
    project.refresh_from_db()
    assert project.land_supplied_date == D(2024, 2, 1)
    parcel_supply(parcel=second, project=project, date=D(2024, 4, 1))  # corrected: the earliest is now the first's
    project.refresh_from_db()
    assert project.land_supplied_date == D(2024, 3, 10)
    assert project.history.filter(land_supplied_date=D(2024, 2, 1)).exists()


def test_a_supply_that_breaks_the_milestone_order_is_refused_whole():
    project = ProjectFactory(construction_permit_date=None)
    Project.objects.filter(pk=project.pk).update(construction_permit_date=D(2024, 1, 15))
    parcel = LandParcelFactory(status=ParcelStatus.IDLE)
    with pytest.raises(ValidationError):
        parcel_supply(parcel=parcel, project=project, date=D(2024, 2, 1))  # 供地 after the construction permit
    parcel.refresh_from_db()
    assert parcel.status == ParcelStatus.IDLE and parcel.project is None


def test_update_checks_the_version_and_keeps_a_supplied_parcels_project():
    parcel = LandParcelFactory()
    stale = version_of(parcel)
    parcel_update(parcel=parcel, data={"notes": "已清表"}, expected_version=stale)
    with pytest.raises(ValidationError) as error:
        parcel_update(parcel=parcel, data={"notes": "x"}, expected_version=stale)
    assert is_stale(error.value)
    parcel_supply(parcel=parcel, project=ProjectFactory(), date=D(2024, 2, 1))
    parcel.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        parcel_update(parcel=parcel, data={"project": ProjectFactory()}, expected_version=None)
    assert "project" in error.value.message_dict
    # The same values given back (a full PUT) are not a change.
    parcel_update(
        parcel=parcel,
        data={"project": parcel.project, "supplied_date": parcel.supplied_date, "notes": "y"},
        expected_version=None,
    )


def test_a_land_renewal_points_at_its_parcel():
    parcel = LandParcelFactory(origin=EnterpriseFactory())
    renewal = LandRenewal.objects.create(enterprise=parcel.origin, project=ProjectFactory(), parcel=parcel)
    assert list(parcel.landrenewal_set.all()) == [renewal]


@pytest.fixture
def land():
    """Parcels by hand (Q1 2024 = 2024-01-01 … 2024-03-31).

    chain A (cluster X) project PA, chain B (cluster Y) project PB; firm F (low-efficiency, recycled).
      K1 当湖街道  10.50 亩  supplied 2024-01-15 to PA, from F      → supplied, recycled
      K2 当湖街道  20.00 亩  supplied 2024-03-31 to PB              → supplied
      K3 新埭镇    30.25 亩  supplied 2024-02-10 to PA, from F      → supplied, recycled
      K4 新埭镇    40.00 亩  supplied 2024-04-01 to PB (after Q1)   → not counted
      K5 新埭镇    50.00 亩  low-efficiency, from F (not supplied)  → not counted
      K6 乍浦镇    60.00 亩  idle                                   → not counted
    Q1: 3 parcels, 60.75 亩 supplied; 2 parcels, 40.75 亩 recycled.
      当湖街道 2 / 30.50 / 1 / 10.50; 新埭镇 1 / 30.25 / 1 / 30.25.
      chain A: 2 / 40.75 / 2 / 40.75; chain B: 1 / 20.00 / 0 / 0.
    """
    a = ChainFactory(code="a", cluster=ClusterFactory(code="x"))
    b = ChainFactory(code="b", cluster=ClusterFactory(code="y"))
    pa, pb, firm = ProjectFactory(chain=a), ProjectFactory(chain=b), EnterpriseFactory()

    def parcel(number, town, area, supplied=None, project=None, origin=None, status=ParcelStatus.IDLE):
        made = parcel_create(
            parcel=LandParcel(number=number, town=town, land_area=Decimal(area), origin=origin, status=status)
        )
        if supplied:
            parcel_supply(parcel=made, project=project, date=supplied)

    parcel("K1", "当湖街道", "10.50", D(2024, 1, 15), pa, firm)
    parcel("K2", "当湖街道", "20.00", D(2024, 3, 31), pb)
    parcel("K3", "新埭镇", "30.25", D(2024, 2, 10), pa, firm)
    parcel("K4", "新埭镇", "40.00", D(2024, 4, 1), pb)
    parcel("K5", "新埭镇", "50.00", origin=firm, status=ParcelStatus.LOW_EFFICIENCY)
    parcel("K6", "乍浦镇", "60.00")
    return {"a": a, "b": b}


def test_land_summary(land, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = stats_land.land_summary(Q1)
    assert result == {
        "parcels_supplied": 3,
        "land_supplied": Decimal("60.75"),
        "parcels_recycled": 2,
        "land_recycled": Decimal("40.75"),
    }
    assert stats_land.land_summary(Q1, town="新埭镇")["land_supplied"] == Decimal("30.25")
    assert stats_land.land_summary(Q1, chain=land["b"])["land_recycled"] == Decimal("0")
    assert stats_land.land_summary(Q1, cluster=land["a"].cluster)["land_supplied"] == Decimal("40.75")


def test_land_by_town_and_by_chain(land, django_assert_num_queries):
    with django_assert_num_queries(1):
        towns = stats_land.land_by_town(Q1)
    assert [
        (r["town"], r["parcels_supplied"], r["land_supplied"], r["parcels_recycled"], r["land_recycled"]) for r in towns
    ] == [
        ("当湖街道", 2, Decimal("30.50"), 1, Decimal("10.50")),
        ("新埭镇", 1, Decimal("30.25"), 1, Decimal("30.25")),
    ]
    with django_assert_num_queries(1):
        chains = stats_land.land_by_chain(Q1)
    assert [(r["chain"], r["land_supplied"], r["land_recycled"]) for r in chains] == [
        ("a", Decimal("40.75"), Decimal("40.75")),
        ("b", Decimal("20.00"), Decimal("0")),
    ]


def test_a_land_renewal_refuses_a_parcel_recycled_from_another_firm():
    from aftercare.services import land_renewal_save

    parcel, other = LandParcelFactory(origin=EnterpriseFactory()), EnterpriseFactory()
    with pytest.raises(ValidationError) as error:
        land_renewal_save(renewal=LandRenewal(enterprise=other, project=ProjectFactory(), parcel=parcel))
    assert "parcel" in error.value.message_dict
    saved = land_renewal_save(renewal=LandRenewal(enterprise=parcel.origin, project=ProjectFactory(), parcel=parcel))
    assert saved.parcel == parcel
