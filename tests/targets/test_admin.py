"""The admin of targets and weights: saves through the services, filters, and who may write."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pinghu.permissions import Role
from targets.models import AssessmentWeight, Target
from tests.adminforms import change_form_data, change_url
from tests.factories import UserFactory, unit_named
from tests.targets.conftest import target

pytestmark = pytest.mark.django_db
ADD = reverse("admin:targets_target_add")
LIST = reverse("admin:targets_target_changelist")


def signed_in(client, role):
    user = UserFactory(username=f"a-{role}", roles=[role])
    client.force_login(user)
    return user


def test_bureau_staff_add_and_change_a_target_through_the_services(client, world):
    user = signed_in(client, Role.BUREAU_STAFF)
    answer = client.post(
        ADD,
        {
            "year_from": 2025,
            "year_to": 2025,
            "scope_kind": "unit",
            "unit": unit_named("平湖市 商务局").pk,
            "metric": "visits",
            "value": "30",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    made = Target.objects.get()
    assert (made.unit.name, made.set_by) == ("平湖市商务局", user)
    data = change_form_data(client, change_url(made), value="40")
    assert client.post(change_url(made), data).status_code == 302
    assert Target.objects.get().value == Decimal("40")


def test_a_zero_target_is_refused_on_the_admin_form(client, world):
    signed_in(client, Role.BUREAU_STAFF)
    answer = client.post(
        ADD, {"year_from": 2025, "year_to": 2025, "scope_kind": "city", "metric": "visits", "value": "0"}
    )
    assert answer.status_code == 200
    assert "目标值：目标必须大于零。" in answer.content.decode()
    assert not Target.objects.exists()


def test_the_list_filters_by_year_scope_and_metric(client, world, django_assert_max_num_queries):
    signed_in(client, Role.BUREAU_STAFF)
    for town in ("当湖街道", "钟埭街道", "新埭镇"):
        target("signed_projects", "2", scope_kind="town", town=town)
    target("signed_projects", "5", scope_kind="chain", chain=world["a"])
    answer = client.get(LIST, {"year_from": 2025, "scope_kind": "town", "metric": "signed_projects"})
    assert answer.status_code == 200
    assert answer.context["cl"].result_count == 3


def test_bureau_staff_save_weights(client):
    signed_in(client, Role.BUREAU_STAFF)
    add = reverse("admin:targets_assessmentweight_add")
    assert client.post(add, {"year": 2025, "metric": "visits", "weight": "2"}).status_code == 302
    assert AssessmentWeight.objects.get().weight == Decimal("2")


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CHAIN_LEADER])
def test_other_roles_cannot_write_in_the_admin(client, world, role):
    made = target("signed_projects", "5")
    signed_in(client, role)
    answer = client.post(
        ADD, {"year_from": 2026, "year_to": 2026, "scope_kind": "city", "metric": "visits", "value": "3"}
    )
    assert answer.status_code in (302, 403)
    assert client.post(change_url(made), {"value": "9"}).status_code in (302, 403)
    assert client.post(reverse("admin:targets_target_delete", args=[made.pk]), {"post": "yes"}).status_code in (
        302,
        403,
    )
    assert list(Target.objects.values_list("value", flat=True)) == [Decimal("5")]
