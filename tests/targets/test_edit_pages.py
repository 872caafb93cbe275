"""Bureau staff set, correct and delete targets and set the year's weights on the pages, through the services;
officials cannot; refusals name the field and the rule and save nothing."""

from decimal import Decimal

import pytest

from pinghu.concurrency import version_of
from pinghu.permissions import Role
from targets.models import AssessmentWeight, Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(username="staff", roles=[Role.BUREAU_STAFF])
    client.force_login(user)
    return user


def city_target(**values) -> dict:
    return {
        "year_from": "2025",
        "year_to": "",
        "scope_kind": "city",
        "metric": "signed_projects",
        "value": "40",
        **values,
    }


def test_staff_set_a_one_year_target_on_the_page(client, staff, world):
    assert client.get("/targets/new/?year=2025").status_code == 200
    response = client.post("/targets/new/", city_target(source="平湖市2025年招商目标任务"))
    target = Target.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/targets/{target.pk}/"
    assert (target.year_from, target.year_to, target.value, target.set_by) == (2025, 2025, Decimal("40"), staff)
    assert target.history.get().history_user == staff


def test_a_chain_target_over_years(client, staff, world):
    body = {**city_target(), "scope_kind": "chain", "chain": world["a"].pk, "year_to": "2027", "metric": "chain_output"}
    assert client.post("/targets/new/", body).status_code == 302
    assert Target.objects.values_list("year_from", "year_to", "chain__code").get() == (2025, 2027, "a")


@pytest.mark.parametrize(
    "values, field, words",
    [
        ({"value": "0"}, "value", "大于零"),  # a target of zero is refused
        ({"scope_kind": "town", "town": "当湖街道", "metric": "visits"}, None, "镇"),  # visits have no town
        ({"scope_kind": "chain"}, None, "产业链"),  # a chain target needs its chain
    ],
)
def test_refusals_name_the_rule_and_save_nothing(client, staff, world, values, field, words):
    response = client.post("/targets/new/", city_target(**values), headers={"accept-language": "zh-hans"})
    assert response.status_code == 200 and not Target.objects.exists()
    form = response.context["form"]
    errors = form.errors.get(field or "__all__") or [error for errors in form.errors.values() for error in errors]
    assert any(words in str(error) for error in errors), form.errors


def test_a_second_target_for_the_same_years_scope_and_metric_is_refused(client, staff, world):
    client.post("/targets/new/", city_target())
    response = client.post("/targets/new/", city_target(value="50"))
    assert response.status_code == 200 and Target.objects.get().value == Decimal("40")


def test_correction_checks_the_version_and_keeps_the_history(client, staff, world):
    client.post("/targets/new/", city_target())
    target = Target.objects.get()
    stale = client.post(f"/targets/{target.pk}/edit/", {**city_target(value="45"), "version": "old"})
    assert stale.status_code == 200 and Target.objects.get().value == Decimal("40")
    fresh = client.post(f"/targets/{target.pk}/edit/", {**city_target(value="45"), "version": version_of(target)})
    assert fresh.status_code == 302 and Target.objects.get().value == Decimal("45")
    assert [h.value for h in target.history.order_by("history_date")] == [Decimal("40"), Decimal("45")]


def test_delete_from_the_page(client, staff, world):
    client.post("/targets/new/", city_target())
    target = Target.objects.get()
    page = client.get(f"/targets/{target.pk}/").content.decode()
    assert 'id="delete-target"' in page and f"/targets/{target.pk}/edit/" in page
    assert client.post(f"/targets/{target.pk}/delete/", {"version": "old"}).status_code == 302
    assert Target.objects.exists()  # changed since it was read: kept
    response = client.post(f"/targets/{target.pk}/delete/", {"version": version_of(target)})
    assert response.status_code == 302 and not Target.objects.exists()
    assert target.history.latest("history_date").history_type == "-"


def test_weights_of_a_year(client, staff, world):
    page = client.get("/targets/weights/?year=2025")
    assert page.status_code == 200
    data = {name: str(field.initial) for name, field in page.context["form"].fields.items()}
    assert set(data.values()) == {"1"}  # never weighed: 1
    refused = client.post("/targets/weights/?year=2025", {**data, "signed_projects": "-1"})
    assert refused.status_code == 200 and not AssessmentWeight.objects.exists()
    saved = client.post("/targets/weights/?year=2025", {**data, "signed_projects": "2", "visits": "0"})
    assert saved.status_code == 302 and saved["Location"] == "/targets/rankings/?year=2025"
    assert dict(AssessmentWeight.objects.values_list("metric", "weight")) == {
        "signed_projects": Decimal("2"),
        "visits": Decimal("0"),
    }


@pytest.mark.parametrize("url", ["/targets/new/", "/targets/weights/"])
def test_officials_cannot_set_targets_or_weights(client, world, url):
    client.force_login(UserFactory(roles=[Role.OFFICIAL]))
    assert client.get(url).status_code == 403
    assert client.post(url, city_target()).status_code == 403
    assert not Target.objects.exists()


def test_officials_see_no_change_buttons_and_cannot_post_them(client, world):
    target = Target.objects.create(year_from=2025, year_to=2025, scope_kind="city", metric="visits", value=10)
    client.force_login(UserFactory(roles=[Role.OFFICIAL]))
    page = client.get(f"/targets/{target.pk}/").content.decode()
    assert "delete-target" not in page and "/edit/" not in page
    assert client.post(f"/targets/{target.pk}/edit/", city_target()).status_code == 403
    assert client.post(f"/targets/{target.pk}/delete/", {"version": version_of(target)}).status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()
