"""Check constraints validated in one query (``pinghu.check_constraints``): Django's verdicts and messages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from projects.choices import ProjectStage
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def django_errors(instance, exclude=None) -> dict:
    """What Django's own ``validate_constraints`` (one query per check constraint) refuses, by field."""
    try:
        models.Model.validate_constraints(instance, exclude=exclude)
    except ValidationError as error:
        return error.message_dict
    return {}


def our_errors(instance, exclude=None) -> dict:
    try:
        instance.validate_constraints(exclude=exclude)
    except ValidationError as error:
        return error.message_dict
    return {}


# Each a set of values breaking none, one or several of the project's 57 check constraints (and a unique one).
CASES = {
    "valid": {},
    "valid, every date in order": {
        "stage": ProjectStage.PRODUCTION,
        "first_contact_date": D(2024, 1, 5),
        "signed_date": D(2024, 3, 1),
        "registered_date": D(2024, 4, 1),
        "construction_date": D(2024, 6, 1),
        "production_date": D(2025, 2, 1),
    },
    "negative amounts": {"total_investment": Decimal("-1"), "land_area": Decimal("-0.5")},
    "signed before the contact": {
        "stage": ProjectStage.SIGNED,
        "first_contact_date": D(2024, 5, 1),
        "signed_date": D(2024, 4, 1),
    },
    "a stage without its date, a date without its stage": {
        "stage": ProjectStage.CONSTRUCTION,
        "signed_date": None,
        "production_date": D(2024, 1, 1),
    },
    "before 2000, an unknown town and stage": {"first_contact_date": D(1999, 12, 31), "town": "火星", "stage": "x"},
    "a level without its year": {"level": "provincial_major", "level_year": None},
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_same_verdicts_and_messages_as_django(case):
    project = ProjectFactory()
    for field, value in CASES[case].items():
        setattr(project, field, value)
    expected = django_errors(project)
    assert our_errors(project) == expected
    assert bool(expected) == (case not in ("valid", "valid, every date in order"))


def test_an_excluded_field_skips_its_constraints_as_django_does():
    project = ProjectFactory(stage=ProjectStage.SIGNED, first_contact_date=D(2024, 5, 1), signed_date=D(2024, 6, 1))
    project.signed_date = D(2024, 4, 1)  # before the contact
    project.total_investment = Decimal("-1")
    for exclude in (None, ["signed_date"], ["signed_date", "total_investment"], ["first_contact_date"]):
        assert our_errors(project, exclude) == django_errors(project, exclude)
    # Excluding the signed date leaves out the rule that compares it with the contact: a verdict of its own.
    assert our_errors(project, ["signed_date"]) != our_errors(project) and our_errors(project, ["signed_date"])


def test_one_query_for_every_check_constraint(django_assert_max_num_queries):
    project = ProjectFactory()
    checks = sum(isinstance(c, models.CheckConstraint) for c in type(project)._meta.constraints)
    assert checks > 50
    others = len(type(project)._meta.constraints) - checks  # unique constraints: Django asks each itself
    # In the test's transaction: the one SELECT in a savepoint of its own, as Django's Q.check does each.
    with django_assert_max_num_queries(3 + 3 * others):
        project.validate_constraints()
    with CaptureQueriesContext(connection) as django_own:
        models.Model.validate_constraints(project)
    assert len(django_own) >= checks  # what it was: a query (and a savepoint) per check
