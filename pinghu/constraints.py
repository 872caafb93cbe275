"""Constraints the database holds where it can and model validation checks everywhere.

``NoOverlappingPeriods``: rows that share some fields (and meet a condition) must not have
overlapping date periods. A period runs from its start to its end, both days included; an empty
end means it is still running. On PostgreSQL it is an exclusion constraint (``EXCLUDE USING gist``,
which needs the ``btree_gist`` extension for the equality part: enable it in the migration with
``django.contrib.postgres.operations.BtreeGistExtension``); SQLite has no such constraint, so there
the rule is held by model validation (``full_clean``), which runs on both databases before a write.
"""

from collections.abc import Sequence

from django.core.exceptions import FieldError, ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import BaseConstraint, Q


class NoOverlappingPeriods(BaseConstraint):
    """Periods [``start``, ``end``] of rows equal on ``fields`` (and meeting ``condition``) do not overlap."""

    def __init__(
        self,
        *,
        name: str,
        fields: Sequence[str],
        start: str,
        end: str,
        condition: Q | None = None,
        violation_error_code: str | None = None,
        violation_error_message=None,
    ) -> None:
        super().__init__(
            name=name, violation_error_code=violation_error_code, violation_error_message=violation_error_message
        )
        self.fields = tuple(fields)
        self.start = start
        self.end = end
        self.condition = condition

    def _exclusion(self):
        """The PostgreSQL exclusion constraint that holds the rule (imported here: PostgreSQL only)."""
        from django.contrib.postgres.constraints import ExclusionConstraint
        from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
        from django.db.models import F, Func

        class DateRange(Func):
            function = "DATERANGE"
            output_field = DateRangeField()

        period = DateRange(F(self.start), F(self.end), RangeBoundary(inclusive_lower=True, inclusive_upper=True))
        return ExclusionConstraint(
            name=self.name,
            index_type="GIST",
            expressions=[
                *((F(field), RangeOperators.EQUAL) for field in self.fields),
                (period, RangeOperators.OVERLAPS),
            ],
            condition=self.condition,
        )

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return self._exclusion().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return self._exclusion().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return self._exclusion().remove_sql(model, schema_editor)

    def overlapping(self, model, instance, using=DEFAULT_DB_ALIAS):
        """The other rows whose period overlaps ``instance``'s (same ``fields``, meeting ``condition``)."""
        opts = model._meta
        start, end = getattr(instance, self.start), getattr(instance, self.end)
        rows = model._default_manager.using(using).filter(
            **{opts.get_field(field).attname: getattr(instance, opts.get_field(field).attname) for field in self.fields}
        )
        if self.condition is not None:
            rows = rows.filter(self.condition)
        if end is not None:
            rows = rows.filter(**{f"{self.start}__lte": end})
        rows = rows.filter(Q(**{f"{self.end}__isnull": True}) | Q(**{f"{self.end}__gte": start}))
        if not instance._state.adding and instance.pk is not None:
            rows = rows.exclude(pk=instance.pk)
        return rows

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        exclude = set(exclude or ())
        if exclude & {*self.fields, self.start, self.end}:
            return
        if getattr(instance, self.start) is None:
            return
        if self.condition is not None:
            against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
            try:
                if not self.condition.check(against, using=using):
                    return
            except FieldError:
                return
        if self.overlapping(model, instance, using).exists():
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs.update(fields=self.fields, start=self.start, end=self.end)
        if self.condition is not None:
            kwargs["condition"] = self.condition
        return path, args, kwargs

    def __eq__(self, other):
        if isinstance(other, NoOverlappingPeriods):
            return self.deconstruct() == other.deconstruct()
        return super().__eq__(other)

    def __repr__(self) -> str:
        return (
            f"<{self.__class__.__name__}: fields={self.fields!r} start={self.start!r} end={self.end!r} "
            f"name={self.name!r}>"
        )
