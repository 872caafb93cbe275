"""The services every path calls: who may write, stale versions, one-year defaults, weights set once per year."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pinghu.concurrency import version_of
from pinghu.permissions import Role
from targets.models import AssessmentWeight, Target
from targets.services import target_create, target_delete, target_update, weight_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return UserFactory(username="bureau", roles=[Role.BUREAU_STAFF])


def test_a_one_year_target_from_its_year_alone(bureau, world):
    made = target_create(
        data={"year": 2025, "scope_kind": "chain", "chain": world["a"], "metric": "visits", "value": 9}, by=bureau
    )
    assert (made.year_from, made.year_to, made.set_by) == (2025, 2025, bureau)
    moved = target_update(target=made, data={"year_from": 2026}, expected_version=version_of(made), by=bureau)
    assert (moved.year_from, moved.year_to) == (2026, 2026)


def test_an_official_may_not_write(world):
    official = UserFactory(username="official", roles=[Role.OFFICIAL])
    with pytest.raises(ValidationError, match="局工作人员"):
        target_create(data={"year": 2025, "scope_kind": "city", "metric": "visits", "value": 9}, by=official)
    made = target_create(data={"year": 2025, "scope_kind": "city", "metric": "visits", "value": 9}, by=None)
    with pytest.raises(ValidationError):
        target_update(target=made, data={"value": 1}, expected_version=None, by=official)
    with pytest.raises(ValidationError):
        target_delete(target=made, by=official)
    with pytest.raises(ValidationError):
        weight_save(year=2025, metric="visits", weight=Decimal("2"), by=official)
    assert Target.objects.get().value == Decimal("9")


def test_a_stale_version_is_refused(bureau, world):
    made = target_create(data={"year": 2025, "scope_kind": "city", "metric": "visits", "value": 9}, by=bureau)
    old = version_of(made)
    target_update(target=made, data={"value": 10}, expected_version=old, by=bureau)
    with pytest.raises(ValidationError) as refused:
        target_update(target=made, data={"value": 11}, expected_version=old, by=bureau)
    assert refused.value.error_list[0].code == "stale"
    assert Target.objects.get().value == Decimal("10")


def test_weight_save_creates_then_changes_the_years_row(bureau):
    first = weight_save(year=2025, metric="visits", weight=Decimal("2"), by=bureau)
    second = weight_save(year=2025, metric="visits", weight=Decimal("3"), by=bureau)
    assert first.pk == second.pk
    assert AssessmentWeight.objects.get().weight == Decimal("3")
    with pytest.raises(ValidationError):
        weight_save(year=2025, metric="funds_in_place", weight=Decimal("-1"), by=bureau)
