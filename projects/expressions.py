"""Database expressions written once for PostgreSQL and SQLite.

They are used in a generated column and in a check constraint, so each must compile to SQL
the database itself can evaluate (no Python functions registered on Django's connection).
"""

from django.db.models import BooleanField, DateField, Func, Value


class IsSaturday(Func):
    """True when a date falls on a Saturday (周六招商日)."""

    arity = 1
    output_field = BooleanField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # ISO day of week: Monday 1 … Saturday 6, Sunday 7.
        return self.as_sql(compiler, connection, template="(EXTRACT(ISODOW FROM %(expressions)s) = 6)", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # strftime('%w') gives 0 for Sunday … 6 for Saturday; the format is a parameter so that
        # no literal percent sign reaches Django's parameter substitution.
        clone = self.copy()
        clone.set_source_expressions([Value("%w"), *self.get_source_expressions()])
        return clone.as_sql(compiler, connection, template="(strftime(%(expressions)s) = '6')", **extra_context)


class DatabaseTomorrow(Func):
    """Tomorrow's date in UTC, as the database sees it when a row is written.

    Used by the "not in the future" check constraints as a backstop to model validation,
    which compares with today's date in Asia/Shanghai. UTC tomorrow is never earlier than
    today in Shanghai (UTC+8), so the constraint never refuses a date validation accepts.
    """

    arity = 0
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return "((CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date + 1)", []

    def as_sqlite(self, compiler, connection, **extra_context):
        return "date(CURRENT_DATE, '+1 day')", []
