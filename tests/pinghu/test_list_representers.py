"""The fast paths of ``pinghu.api.values_list``: each gives what the DRF field's ``to_representation`` gives."""

import datetime
import decimal
import random

import pytest
from rest_framework import serializers

from pinghu.api.values_list import ValuesListMixin
from units.api.fields import UnitIdField


class Every(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    narrow = serializers.DecimalField(max_digits=4, decimal_places=2)
    rate = serializers.DecimalField(max_digits=12, decimal_places=4)
    whole = serializers.DecimalField(max_digits=8, decimal_places=0)
    stage = serializers.ChoiceField(choices=[("lead", "线索"), ("signed", "签约"), ("", "空"), ("3", "三")])
    numbers = serializers.ChoiceField(choices=[(1, "一"), (2, "二")])
    big = serializers.BigIntegerField()
    big_text = serializers.BigIntegerField(coerce_to_string=True)
    unit_id = UnitIdField("unit")
    name = serializers.CharField()
    day = serializers.DateField()
    flag = serializers.BooleanField()


class View(ValuesListMixin):
    def get_serializer_class(self):
        return Every

    def get_serializer(self):
        return Every()


def decimals() -> list:
    generator = random.Random(22)
    values = ["0", "-0", "0.00", "-0.00", "5", "-5", "100", "1E+2", "1E+12", "99999999999999", "1E+13", "0.5", "0.005"]
    values += ["0.125", "12.345", "-12.345", "NaN", "12345678901234", "123456789012", "0.0001", "1.23450", "7E-3"]
    for _ in range(20_000):
        digits = str(generator.randrange(10 ** generator.randrange(1, 15)))
        places = generator.choice([0, 0, 1, 2, 2, 2, 3, 4, 6])
        sign = generator.choice(["", "-"])
        values.append(f"{sign}{digits[:-places] or '0'}.{digits[-places:].zfill(places)}" if places else sign + digits)
    return [decimal.Decimal(value) for value in values] + [1, 2.5, 0]


def drf(field, value):
    """DRF's answer, or the exception it raises."""
    try:
        return field.to_representation(value)
    except Exception as error:  # the same failure is what matters
        return type(error)


@pytest.mark.parametrize("name", ["amount", "narrow", "rate", "whole"])
def test_decimals_as_drf_shows_them(name):
    field = Every().fields[name]
    represent = View()._build_representers()[name]
    ours = type("Ours", (), {"to_representation": staticmethod(represent)})
    for value in decimals():
        theirs = drf(field, value)
        if theirs is decimal.InvalidOperation:
            # More digits than the field's max_digits (no column of that field holds such a value): DRF refuses
            # it; text already at the field's places is shown as it is, as before.
            assert drf(ours, value) in (theirs, format(value, "f")), value
        else:
            assert drf(ours, value) == theirs, value


def test_choices_integers_and_the_rest_as_drf_shows_them():
    fields, representers = Every().fields, View()._build_representers()
    samples = {
        "stage": ["lead", "signed", "", "3", "unknown", 3, None],
        "numbers": ["1", "2", 1, 2, "9", ""],
        "big": [0, 12, -3, 2**62],
        "big_text": [0, 12, 2**62],
        "unit_id": [0, 7, 2**40],
        "name": ["", "项目", "x" * 300],
        "day": [datetime.date(2024, 5, 9), datetime.date(1, 1, 1)],
        "flag": [True, False],
    }
    for name, values in samples.items():
        for value in values:
            ours, theirs = representers[name](value), fields[name].to_representation(value)
            assert (ours, type(ours)) == (theirs, type(theirs)), (name, value)
    assert representers["big"].__name__ == representers["unit_id"].__name__ == "<lambda>"  # the fast path
