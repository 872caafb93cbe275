"""Target and weight edits move the data version cached pages are keyed on, on every write path."""

from decimal import Decimal

import pytest
from django.apps import apps

from pinghu import dataversion
from targets import triggers
from targets.models import AssessmentWeight, Target
from tests.targets.conftest import target

pytestmark = pytest.mark.django_db


def test_every_table_of_the_app_moves_the_version():
    declared = {trigger.table for trigger in triggers.DATA_VERSION.objects["postgresql"] if hasattr(trigger, "table")}
    tables = {
        model._meta.db_table
        for model in apps.get_app_config("targets").get_models(include_auto_created=True)
        if not model.__name__.startswith("Historical")
    }
    assert declared == tables


def test_writes_move_the_version(world):
    before = dataversion.current()
    made = target("signed_projects", "5")
    after_create = dataversion.current()
    assert after_create != before
    Target.objects.filter(pk=made.pk).update(value=Decimal("6"))  # a bulk write too
    after_update = dataversion.current()
    assert after_update != after_create
    AssessmentWeight.objects.create(year=2025, metric="visits", weight=Decimal("1"))
    assert dataversion.current() != after_update
    unchanged = dataversion.current()
    list(Target.objects.all())
    assert dataversion.current() == unchanged
