"""A model's check constraints validated in one query, where Django asks the database once per constraint.

Django validates a ``CheckConstraint`` by asking the database whether the instance's values meet its condition
(``Q.check``): one ``SELECT`` per constraint, inside a savepoint of its own when a transaction is open, so three
statements per constraint. A project has 57 of them: its ``full_clean()`` in a service sent 171 statements before
saving, and the demo's targets and problems spent about 3 s of the generator on them.

``passing_checks`` asks for every condition at once, as columns of one ``SELECT`` over the same values, each
compared as Django compares it (a condition that is NULL passes, ``COALESCE(…, true)``). Only the constraints not
known to pass that way are then validated by Django's own code, so what is refused, and every message, is Django's.
"""

from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


def passing_checks(instance, checks: list[CheckConstraint], *, model, exclude, using: str) -> set[int]:
    """The positions in ``checks`` whose condition the values of ``instance`` meet, asked in one query.

    A constraint naming an excluded field cannot be asked (Django's own validation skips it too); on a database
    error nothing is known to pass. Either way Django's ``CheckConstraint.validate`` decides for the rest.
    """
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
    asked = []
    for position, constraint in enumerate(checks):
        try:
            condition = Coalesce(Q(constraint.condition), True, output_field=BooleanField())
            query.add_annotation(condition, f"_check_{position}")
        except FieldError:
            continue
        asked.append(position)
    if not asked:
        return set()
    connection = connections[using]
    # As Q.check: a failing statement inside a transaction must not abort it.
    try:
        with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return set()
    return {position for position, met in zip(asked, row, strict=True) if met}


def validate_constraints(instance, exclude=None) -> None:
    """``Model.validate_constraints`` with the check constraints asked at once (``passing_checks``).

    The loop and the way errors are gathered are Django's (``django.db.models.Model.validate_constraints``);
    only a constraint known to pass is not validated again.
    """
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for model_class, model_constraints in instance.get_constraints():
        checks = [constraint for constraint in model_constraints if type(constraint) is CheckConstraint]
        met = set()
        if len(checks) > 1:  # one constraint: Django's own single query
            positions = passing_checks(instance, checks, model=model_class, exclude=exclude, using=using)
            met = {id(checks[position]) for position in positions}
        for constraint in model_constraints:
            if id(constraint) in met:
                continue
            try:
                constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
