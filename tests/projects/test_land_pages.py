"""Land parcels on the pages: a project's page lists those supplied to it, a firm's page those recycled from it;
the dashboard shows the article's Saturday figures; the admin saves parcels through the services."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from aftercare.models import LandRenewal
from pinghu.permissions import Role
from projects.choices import ParcelStatus
from projects.models import LandParcel
from projects.services import parcel_supply
from tests.factories import EnterpriseFactory, LandParcelFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def site(role=Role.OFFICIAL) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=[role]))
    return client


def test_project_page_lists_the_parcels_supplied_to_it(django_assert_max_num_queries):
    project, firm = ProjectFactory(), EnterpriseFactory(name="旧厂")
    parcel_supply(
        parcel=LandParcelFactory(number="平湖-A1", origin=firm), project=project, date=datetime.date(2024, 5, 1)
    )
    client = site()
    client.get(reverse("projects:project-detail", args=[project.pk]))
    with django_assert_max_num_queries(30) as captured:
        html = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    few = len(captured.captured_queries)
    assert "平湖-A1" in html and "2024-05-01" in html and "旧厂" in html
    for _n in range(5):
        parcel_supply(
            parcel=LandParcelFactory(origin=EnterpriseFactory()), project=project, date=datetime.date(2024, 5, 2)
        )
    with django_assert_max_num_queries(few):
        client.get(reverse("projects:project-detail", args=[project.pk]))


def test_enterprise_page_lists_the_parcels_recycled_from_it():
    firm, project = EnterpriseFactory(), ProjectFactory(name="新项目")
    parcel = LandParcelFactory(number="平湖-B2", origin=firm, status=ParcelStatus.LOW_EFFICIENCY)
    LandRenewal.objects.create(enterprise=firm, project=project, parcel=parcel)
    parcel_supply(parcel=parcel, project=project, date=datetime.date(2024, 6, 1))
    html = site().get(reverse("aftercare:enterprise-detail", args=[firm.pk])).content.decode()
    assert html.count("平湖-B2") == 2 and "新项目" in html  # the renewal names it, the parcel list shows it


def test_dashboard_shows_the_saturday_cards():
    html = site().get("/").content.decode()
    assert 'data-kpi="saturday-projects"' in html and 'data-kpi="top-officials"' in html
    assert "周六对接项目" in html and "一把手人次" in html


def test_admin_saves_through_the_services():
    bureau = UserFactory(roles=[Role.BUREAU_STAFF], is_staff=True)
    client = Client()
    client.force_login(bureau)
    first, second = ProjectFactory(), ProjectFactory()
    parcel = LandParcelFactory(number="平湖-C3")
    parcel_supply(parcel=parcel, project=first, date=datetime.date(2024, 1, 2))
    url = reverse("admin:projects_landparcel_change", args=[parcel.pk])
    form = client.get(url).context["adminform"].form
    data = {
        "number": "平湖-C3",
        "town": "当湖街道",
        "land_area": "50.00",
        "use": "industrial",
        "status": "supplied",
        "project": second.pk,
        "supplied_date": "2024-01-03",
        "notes": "",
        "version": form.initial.get("version") or form["version"].value(),
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the refusal
    assert LandParcel.objects.get(pk=parcel.pk).project == first
    added = client.post(
        reverse("admin:projects_landparcel_add"),
        {"number": "平湖-C4", "town": "新埭镇", "land_area": "8", "use": "other", "status": "idle", "notes": ""},
    )
    assert added.status_code == 302
    assert LandParcel.objects.get(number="平湖-C4").land_area == Decimal("8.00")


def test_dashboard_shows_the_land_supplied_in_the_period():
    """Two parcels supplied this year (12.5 + 7.25 亩, the second recycled), one last year: not counted."""
    today = datetime.date.today()
    this_year, last_year = datetime.date(today.year, 1, 2), datetime.date(today.year - 1, 6, 1)
    parcel_supply(parcel=LandParcelFactory(land_area=Decimal("12.5")), project=ProjectFactory(), date=this_year)
    recycled = LandParcelFactory(land_area=Decimal("7.25"), origin=EnterpriseFactory())
    parcel_supply(parcel=recycled, project=ProjectFactory(), date=this_year)
    parcel_supply(parcel=LandParcelFactory(land_area=Decimal("99")), project=ProjectFactory(), date=last_year)
    html = site().get("/", {"period": "year"}).content.decode()
    assert 'data-kpi="parcels-supplied">2<' in html
    assert 'data-kpi="land-supplied">19.75<' in html
    assert 'data-kpi="land-recycled">7.25<' in html
    assert "供地" in html or "Land supplied" in html
