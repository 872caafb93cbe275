"""Targets' rules: value above zero, years in order, the scope and its reference, unique per years, scope and
metric, the metrics each scope supports; in validation (Chinese messages) and in the database."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from chains.choices import Town
from targets.choices import Metric
from targets.models import AssessmentWeight, Target, unit_key
from tests.factories import ChainFactory, ClusterFactory, unit_named
from tests.targets.conftest import target

pytestmark = pytest.mark.django_db


def raw(**fields):
    values = {"year_from": 2025, "year_to": 2025, "scope_kind": "city", "metric": "signed_projects", "value": 5}
    return Target(**(values | fields))


def refused_by_database(made):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.bulk_create([made])


def messages(made):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        made.full_clean()
    return caught.value.message_dict


def test_a_target_of_zero_is_refused_with_a_message_naming_the_field():
    assert messages(raw(value=Decimal("0")))["value"] == ["目标值：目标必须大于零。"]
    refused_by_database(raw(value=Decimal("0")))
    refused_by_database(raw(value=Decimal("-1")))


def test_years_in_order():
    assert "year_to" in messages(raw(year_from=2025, year_to=2024))
    refused_by_database(raw(year_from=2025, year_to=2024))


def test_scope_kind_and_reference_agree():
    chain = ChainFactory()
    assert "chain" in messages(raw(scope_kind="chain"))
    assert "chain" in messages(raw(scope_kind="city", chain=chain))
    assert "town" in messages(raw(scope_kind="town"))
    refused_by_database(raw(scope_kind="chain"))
    refused_by_database(raw(scope_kind="city", chain=chain))
    refused_by_database(raw(scope_kind="cluster", cluster=ClusterFactory(), chain=chain))
    refused_by_database(raw(scope_kind="unit"))  # neither a unit nor a unit name still to map
    refused_by_database(raw(scope_kind="town", town="不存在镇"))


def test_visits_by_town_has_no_definition():
    found = messages(raw(scope_kind="town", town="乍浦镇", metric="visits"))
    assert found["metric"] == ["指标：招商走访没有按镇街道的定义，只能为全市、产业集群、产业链、责任单位设定。"]
    refused_by_database(raw(scope_kind="town", town="乍浦镇", metric="visits"))
    refused_by_database(raw(scope_kind="town", town="乍浦镇", metric="chain_output"))
    refused_by_database(raw(scope_kind="unit", unit=unit_named("商务局"), metric="chain_output"))


def test_unique_per_years_scope_and_metric_even_with_empty_references():
    target("signed_projects", "5")
    with pytest.raises(ValidationError):
        target("signed_projects", "6")  # the city has no reference: a NULL must not escape uniqueness
    refused_by_database(raw())
    target("signed_projects", "6", year_from=2024, year_to=2025)  # another span is another target
    chain = ChainFactory()
    target("signed_projects", "1", scope_kind="chain", chain=chain)
    refused_by_database(raw(scope_kind="chain", chain=chain))
    target("signed_projects", "1", scope_kind="unit", unit="平湖市商务局")
    with pytest.raises(ValidationError):
        target("signed_projects", "2", scope_kind="unit", unit=" 平湖市 商务局")  # the same unit, normalised
    target("signed_projects", "1", scope_kind="town", town="乍浦镇")
    refused_by_database(raw(scope_kind="town", town="乍浦镇"))


def test_a_unit_named_with_other_spacing_is_the_same_record_and_unit_follows_the_metric():
    made = target("funds_in_place", "100", scope_kind="unit", unit="平湖市　商务局 ")
    assert made.unit == unit_named("平湖市商务局") and made.unit.key == unit_key("平湖市商务局") == "平湖市商务局"
    assert made.unit_of_measure == "cny_10k"
    assert target("foreign_paid_in", "100").unit_of_measure == "usd_10k"


def test_weights_are_not_negative_and_unique_per_year_and_metric():
    AssessmentWeight.objects.create(year=2025, metric="visits", weight=Decimal("2"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentWeight.objects.create(year=2025, metric="visits", weight=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentWeight.objects.create(year=2025, metric="signed_projects", weight=Decimal("-1"))


def test_history_is_kept():
    made = target("signed_projects", "5")
    made.value = Decimal("6")
    made.save()
    assert [version.value for version in made.history.order_by("history_id")] == [Decimal("5"), Decimal("6")]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_labels_are_the_choices_display(language):
    """``metric_label`` and a town's ``scope_label`` (``choice_label``) are what ``get_<field>_display()`` gives."""
    with translation.override(language):
        for metric in Metric.values:
            made = raw(metric=metric)
            assert made.metric_label == made.get_metric_display()
        for town in Town.values:
            made = raw(scope_kind="town", town=town)
            assert made.scope_label == made.get_town_display()
        assert raw(metric="not a metric").metric_label == "not a metric"
