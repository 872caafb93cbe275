"""``units.Unit``: one unit per name as compared, and no unit under itself."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from units.models import Unit

pytestmark = pytest.mark.django_db


def test_names_that_differ_only_in_spacing_or_width_are_one_unit():
    Unit.objects.create(name="平湖市 商务局")
    assert Unit.objects.get().key == "平湖市商务局"
    with pytest.raises(IntegrityError):
        Unit.objects.create(name="平湖市商务局")


def test_a_unit_cannot_sit_under_its_own_sub_unit():
    top = Unit.objects.create(name="平湖经济技术开发区")
    child = Unit.objects.create(name="开发区招商局", parent=top)
    top.parent = child
    with pytest.raises(ValidationError) as raised:
        top.full_clean()
    assert "parent" in raised.value.message_dict
