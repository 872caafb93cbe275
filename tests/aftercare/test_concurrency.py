"""Stale edits of problems, salons, cadre assignments and land renewals are refused by the services.

The problem page, the admin and the API hand the version they read to ``aftercare.services``, which
check it on the locked row. ``issue_update`` refuses what only a step writes; ``cadre_assign``
refuses an end date on a new assignment, whoever calls it.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from aftercare.choices import ISSUE_STEP_FIELDS
from aftercare.models import CadreAssignment, EnterpriseIssue, LandRenewal, SalonEvent
from aftercare.services import (
    cadre_assign,
    cadre_assignment_update,
    issue_advance,
    issue_create,
    issue_update,
    land_renewal_save,
    salon_save,
)
from pinghu.concurrency import etag_of, version_of
from pinghu.permissions import Role
from tests.adminforms import STALE, change_form_data, change_url
from tests.factories import (
    CadreAssignmentFactory,
    EnterpriseFactory,
    LandRenewalFactory,
    LeaderFactory,
    SalonEventFactory,
    UserFactory,
    unit_named,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def saved_meanwhile(instance) -> None:
    """Someone else saves the row after the caller read it (its version moves on)."""
    type(instance).objects.get(pk=instance.pk).save()


def problem() -> EnterpriseIssue:
    values = {"channel": "hotline", "category": "land", "description": "用地指标", "received_on": TODAY}
    return issue_create(issue=EnterpriseIssue(enterprise=EnterpriseFactory(), **values), by=None)


def site(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- services


def test_issue_update_refuses_a_stale_version_and_writes_only_the_fields_given():
    issue = problem()
    read = version_of(issue)
    issue_advance(issue, "assigned", on=TODAY, by=None, unit=unit_named("经信局"))  # a step taken meanwhile
    with pytest.raises(ValidationError) as refused:
        issue_update(issue=issue, data={"description": "我的修改"}, expected_version=read)
    assert refused.value.code == "stale" and STALE in refused.value.messages[0]
    issue_update(issue=issue, data={"description": "我的修改"}, expected_version=None)
    issue.refresh_from_db()
    assert (issue.description, issue.status) == ("我的修改", "assigned")


@pytest.mark.parametrize("field", ISSUE_STEP_FIELDS)
def test_issue_update_refuses_the_fields_only_a_step_writes(field):
    issue = problem()
    value = {"status": "closed", "satisfaction": 5}.get(field, TODAY)
    if field in ("rejection_reason", "resolution_note"):
        value = "手改"
    with pytest.raises(ValidationError) as refused:
        issue_update(issue=issue, data={field: value, "description": "x"}, expected_version=None)
    assert refused.value.message_dict[field] == ["此项只能通过诉求的办理步骤修改。"]
    issue.refresh_from_db()
    assert (issue.status, issue.description) == ("received", "用地指标")


def test_issue_advance_refuses_a_stale_version():
    issue = problem()
    read = version_of(issue)
    saved_meanwhile(issue)
    with pytest.raises(ValidationError, match=STALE):
        issue_advance(issue, "assigned", on=TODAY, by=None, unit=unit_named("经信局"), expected_version=read)
    issue.refresh_from_db()
    assert issue.status == "received" and issue.steps.count() == 1


def test_the_other_update_services_refuse_a_stale_version():
    salon, assignment, renewal = SalonEventFactory(), CadreAssignmentFactory(), LandRenewalFactory()
    read = {row: version_of(row) for row in (salon, assignment, renewal)}
    for row in read:
        saved_meanwhile(row)
    salon.place = "我的地点"
    with pytest.raises(ValidationError, match=STALE):
        salon_save(salon=salon, enterprises=None, expected_version=read[salon])
    with pytest.raises(ValidationError, match=STALE):
        cadre_assignment_update(
            assignment=assignment, data={"end_date": D(2023, 12, 31)}, expected_version=read[assignment]
        )
    renewal.note = "我的备注"
    with pytest.raises(ValidationError, match=STALE):
        land_renewal_save(renewal=renewal, expected_version=read[renewal])
    assert SalonEvent.objects.get(pk=salon.pk).place != "我的地点"
    assert CadreAssignment.objects.get(pk=assignment.pk).end_date is None
    assert LandRenewal.objects.get(pk=renewal.pk).note == ""


def test_a_new_cadre_assignment_starts_open_whoever_calls():
    firm = EnterpriseFactory()
    with pytest.raises(ValidationError) as refused:
        cadre_assign(enterprise=firm, cadre_leader=LeaderFactory(), start_date=D(2024, 1, 1), end_date=D(2024, 6, 30))
    assert refused.value.message_dict == {"end_date": ["新的结对从开始起有效；结束日期以后再填。"]}
    assert not CadreAssignment.objects.exists()


# ---------------------------------------------------------------- the problem page


@pytest.fixture
def bureau() -> Client:
    return site(UserFactory(username="bureau", roles=[Role.BUREAU_STAFF]))


def test_a_problem_step_from_a_stale_page_is_refused(bureau):
    issue = problem()
    form = bureau.get(f"/issues/{issue.pk}/").context["form"]
    opened = form["version"].value()
    assert opened == version_of(issue) and f'value="{opened}"' in bureau.get(f"/issues/{issue.pk}/").content.decode()
    saved_meanwhile(issue)
    step = {"to_status": "assigned", "on": TODAY.isoformat(), "unit": unit_named("经信局").pk, "version": opened}
    response = bureau.post(f"/issues/{issue.pk}/advance/", step, follow=True)
    assert STALE in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == "received"
    step["version"] = version_of(issue)
    bureau.post(f"/issues/{issue.pk}/advance/", step)
    issue.refresh_from_db()
    assert issue.status == "assigned"


# ---------------------------------------------------------------- admin


@pytest.fixture
def admin_site(superuser) -> Client:
    return site(superuser)


@pytest.mark.parametrize(
    ("make", "change", "field"),
    [
        (problem, {"description": "我的修改"}, "description"),
        (SalonEventFactory, {"place": "我的地点"}, "place"),
        (CadreAssignmentFactory, {"end_date": "2023-12-31"}, "end_date"),
        (LandRenewalFactory, {"note": "我的备注"}, "note"),
    ],
    ids=["problem", "salon", "cadre", "renewal"],
)
def test_the_admin_change_forms_refuse_a_stale_one(admin_site, make, change, field):
    row = make()
    url = change_url(row)
    data = change_form_data(admin_site, url, **change)
    saved_meanwhile(row)
    response = admin_site.post(url, data)
    assert response.status_code == 200 and STALE in response.content.decode()
    before = getattr(row, field)
    row.refresh_from_db()
    assert getattr(row, field) == before
    assert admin_site.post(url, change_form_data(admin_site, url, **change)).status_code == 302
    row.refresh_from_db()
    assert str(getattr(row, field)) == change[field]


def test_the_admin_salon_form_saves_the_firms_with_the_salon(admin_site):
    salon = SalonEventFactory()
    firms = [EnterpriseFactory(), EnterpriseFactory()]
    url = change_url(salon)
    assert admin_site.post(url, change_form_data(admin_site, url, enterprises=[f.pk for f in firms])).status_code == 302
    assert set(salon.enterprises.all()) == set(firms)


def test_the_admin_refuses_a_new_cadre_assignment_with_an_end_date(admin_site):
    firm, leader = EnterpriseFactory(), LeaderFactory()
    body = {"enterprise": firm.pk, "cadre_leader": leader.pk, "start_date": "2024-01-01", "end_date": "2024-06-30"}
    response = admin_site.post("/admin/aftercare/cadreassignment/add/", body)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end_date"] == ["新的结对从开始起有效；结束日期以后再填。"]
    assert not CadreAssignment.objects.exists()
    del body["end_date"]
    assert admin_site.post("/admin/aftercare/cadreassignment/add/", body).status_code == 302
    assert CadreAssignment.objects.current().get().enterprise == firm


def test_the_admin_problem_form_saves_through_the_service_not_over_a_step(admin_site):
    issue = problem()
    url = change_url(issue)
    issue_advance(issue, "assigned", on=TODAY, by=None, unit=unit_named("经信局"))
    data = change_form_data(admin_site, url, description="我的修改")
    assert admin_site.post(url, data).status_code == 302
    issue.refresh_from_db()
    assert (issue.description, issue.status, issue.assigned_on) == ("我的修改", "assigned", TODAY)


def test_land_renewal_admin_creates_through_the_service(admin_site):
    renewal = LandRenewalFactory.build(enterprise=EnterpriseFactory(), project=LandRenewalFactory().project)
    body = {"enterprise": renewal.enterprise.pk, "project": renewal.project.pk, "land_area": "12.50", "note": ""}
    assert admin_site.post("/admin/aftercare/landrenewal/add/", body).status_code == 302
    assert LandRenewal.objects.filter(enterprise=renewal.enterprise).exists()


# ---------------------------------------------------------------- API


@pytest.fixture
def api(write_client):
    return write_client


RESOURCES = {
    "enterprise-issues": (problem, {"description": "我的修改"}),
    "salon-events": (SalonEventFactory, {"place": "我的地点"}),
    "cadre-assignments": (CadreAssignmentFactory, {"end_date": "2023-12-31"}),
}
WRITABLE = {
    "enterprise-issues": ["enterprise", "channel", "category", "description", "received_on"],
    "salon-events": ["date", "host", "place", "enterprises", "notes"],
    "cadre-assignments": ["enterprise", "cadre_user", "cadre_leader", "start_date", "end_date"],
}


@pytest.mark.parametrize("kind", RESOURCES)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_stale_api_update_is_412_and_one_without_if_match_428(api, kind, method):
    make, change = RESOURCES[kind]
    row = make()
    url = f"/api/v1/{kind}/{row.pk}/"
    body = {key: value for key, value in api.get(url).json().items() if key in WRITABLE[kind]} | change
    read = etag_of(row)
    saved_meanwhile(row)
    send = getattr(api, method)
    assert send(url, body, format="json").status_code == 428
    stale = send(url, body, format="json", HTTP_IF_MATCH=read)
    assert stale.status_code == 412
    assert stale.json()["detail"] == "该记录在您读取后已被修改：请重新读取后再提交修改。"
    fresh = send(url, body, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert fresh.status_code == 200, fresh.json()
    row.refresh_from_db()
    assert fresh["ETag"] == etag_of(row) != read
    assert all(str(getattr(row, key)) == value for key, value in change.items())


def test_a_new_cadre_assignment_with_an_end_date_is_400(api):
    body = {"enterprise": EnterpriseFactory().pk, "cadre_leader": LeaderFactory().pk, "start_date": "2024-01-01"}
    refused = api.post("/api/v1/cadre-assignments/", body | {"end_date": "2024-06-30"}, format="json")
    assert refused.status_code == 400 and refused.json() == {"end_date": ["新的结对从开始起有效；结束日期以后再填。"]}
    assert api.post("/api/v1/cadre-assignments/", body, format="json").status_code == 201


def advance(client, issue, to_status="assigned", **headers):
    step = {"to_status": to_status, "on": TODAY.isoformat(), "unit": unit_named("经信局").pk, "note": "已解决"}
    return client.post(f"/api/v1/enterprise-issues/{issue.pk}/advance/", step, format="json", **headers)


def test_a_problem_step_with_a_stale_if_match_is_412(api):
    issue = problem()
    read = etag_of(issue)
    saved_meanwhile(issue)
    assert advance(api, issue, HTTP_IF_MATCH=read).status_code == 412
    issue.refresh_from_db()
    assert issue.status == "received"


def test_a_problem_step_with_a_fresh_if_match_or_none_goes_through_and_answers_the_new_etag(api):
    issue = problem()
    moved = advance(api, issue, HTTP_IF_MATCH=api.get(f"/api/v1/enterprise-issues/{issue.pk}/")["ETag"])
    assert moved.status_code == 200 and moved.json()["status"] == "assigned"
    issue.refresh_from_db()
    assert moved["ETag"] == etag_of(issue)
    resolved = advance(api, issue, "resolved")  # without If-Match: no check, as before
    assert resolved.status_code == 200 and resolved["ETag"] != moved["ETag"]
    # The ETag a step answers with is good for the next change.
    closed = advance(api, issue, "closed", HTTP_IF_MATCH=resolved["ETag"])
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_the_steps_document_an_optional_if_match_and_412():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ("/api/v1/projects/{id}/transition/", "/api/v1/enterprise-issues/{id}/advance/"):
        operation = schema["paths"][path]["post"]
        (header,) = [p for p in operation["parameters"] if p["in"] == "header" and p["name"] == "If-Match"]
        assert not header.get("required", False)
        assert "412" in operation["responses"] and "428" not in operation["responses"]


def test_salons_keep_their_firms_when_an_update_leaves_them_out(api):
    salon = SalonEventFactory()
    firm = EnterpriseFactory()
    salon.enterprises.set([firm])
    url = f"/api/v1/salon-events/{salon.pk}/"
    response = api.patch(url, {"place": "新地点"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert response.status_code == 200 and response.json()["enterprises"] == [firm.pk]
    assert SalonEvent.objects.get(pk=salon.pk).place == "新地点"
