"""``/api/v1/units/``, the unit fields of the other resources (by id or name), the units pages and the import."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pinghu.permissions import Role
from pinghu.services import api_token_issue
from projects.models import InvestmentVisit
from tests.factories import EnterpriseFactory, InvestmentVisitFactory, LeaderFactory, UserFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def client_for(api_client, role):
    user = UserFactory(username=f"u-{role}", roles=[role])
    _token, key = api_token_issue(user=user, scope="write")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api_client


def test_every_role_reads_units_and_only_bureau_staff_write(api_client):
    member = UserFactory(username="li")
    zone = Unit.objects.create(name="平湖经济技术开发区", kind="zone")
    unit = Unit.objects.create(name="开发区招商局", parent=zone)
    unit.members.add(member)
    official = client_for(api_client, Role.OFFICIAL)
    answer = official.get("/api/v1/units/", {"kind": "department"}).json()
    assert [(row["name"], row["parent_name"], row["members"], row["member_count"]) for row in answer["results"]] == [
        ("开发区招商局", "平湖经济技术开发区", ["li"], 1)
    ]
    assert official.post("/api/v1/units/", {"name": "新单位"}, format="json").status_code == 403
    bureau = client_for(api_client, Role.BUREAU_STAFF)
    made = bureau.post("/api/v1/units/", {"name": "平湖市 科学技术局", "members": ["li"]}, format="json")
    assert made.status_code == 201, made.json()
    assert (made.json()["name"], made.json()["members"]) == ("平湖市 科学技术局", ["li"])
    twice = bureau.post("/api/v1/units/", {"name": "平湖市科学技术局"}, format="json")
    assert twice.status_code == 400


def test_units_list_queries_do_not_grow(api_client):
    client = client_for(api_client, Role.OFFICIAL)
    for n in range(12):
        Unit.objects.create(name=f"单位{n}").members.add(UserFactory())
    client.get("/api/v1/units/")  # the token's first use of the day is written once
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/units/", {"page_size": 2})
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/units/", {"page_size": 12})
    assert len(many) == len(few) == 4  # token with its user's permissions (one read), count, units, members


def test_a_visit_takes_its_host_unit_by_id_or_name_and_reads_both(write_client):
    commerce = Unit.objects.create(name="平湖市商务局")
    client = write_client
    body = {
        "date": "2025-03-01",
        "leaders": [LeaderFactory().pk],
        "enterprise": EnterpriseFactory().pk,
        "purpose": "走访",
    }
    for given in (commerce.pk, "平湖市商务局", "商务局", "平湖市 商务局"):
        answer = client.post("/api/v1/visits/", body | {"host_unit": given}, format="json")
        assert answer.status_code == 201, answer.json()
        assert (answer.json()["host_unit"], answer.json()["host_unit_id"]) == ("平湖市商务局", commerce.pk)
    unknown = client.post("/api/v1/visits/", body | {"host_unit": "招商一组"}, format="json")
    assert unknown.status_code == 400 and "招商一组" in unknown.json()["host_unit"][0]
    assert client.post("/api/v1/visits/", body | {"host_unit": 9999}, format="json").status_code == 400
    assert InvestmentVisit.objects.count() == 4
    filtered = client.get("/api/v1/visits/", {"host_unit": commerce.pk}).json()
    assert filtered["count"] == 4


def test_a_visit_whose_unit_is_still_a_name_reads_that_name(api_client):
    visit = InvestmentVisitFactory()
    InvestmentVisit.objects.filter(pk=visit.pk).update(host_unit=None, host_unit_text="招商一组")
    client = client_for(api_client, Role.OFFICIAL)
    row = client.get(f"/api/v1/visits/{visit.pk}/").json()
    assert (row["host_unit"], row["host_unit_id"]) == ("招商一组", None)


def test_the_pages_list_units_with_members_and_map_a_name(client):
    bureau = UserFactory(roles=[Role.BUREAU_STAFF])
    client.force_login(bureau)
    unit = Unit.objects.create(name="平湖市商务局")
    unit.members.add(UserFactory(username="wang", first_name="王"))
    page = client.get("/units/", {"q": "商务"})
    assert page.status_code == 200 and "平湖市商务局" in page.content.decode()
    detail = client.get(f"/units/{unit.pk}/").content.decode()
    assert "wang" in detail
    visit = InvestmentVisitFactory()
    InvestmentVisit.objects.filter(pk=visit.pk).update(host_unit=None, host_unit_text="商务一组")
    assert "商务一组" in client.get("/units/unmapped/").content.decode()
    mapped = client.post(
        "/units/unmapped/map/", {"prefix": "n0", "n0-text": "商务一组", "n0-unit": unit.pk}, follow=True
    )
    assert mapped.status_code == 200
    visit.refresh_from_db()
    assert (visit.host_unit, visit.host_unit_text) == (unit, "")


def test_other_roles_cannot_map(client):
    client.force_login(UserFactory(roles=[Role.OFFICIAL]))
    assert client.get("/units/unmapped/").status_code == 403
    assert client.get("/units/").status_code == 200  # every role reads the units
