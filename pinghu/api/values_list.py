"""List responses built from ``.values()`` rows, formatted by the serializer's own fields.

Serialising a page of model instances costs more than the SQL behind it (instances for every row
and every related row, then one attribute walk per field). Lists that must be fast read plain
rows instead and hand each value to the same serializer field that the detail view uses, so the
two representations cannot drift apart (a test compares them, and schemathesis checks both
against the schema). Date-times are the one exception: DRF looks the time zone up again for every
value, so they are converted here with the same rules, once per request.
"""

import datetime
import decimal
import functools
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Expression, F
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.relations import RelatedField
from rest_framework.response import Response
from rest_framework.settings import api_settings


def _datetime_representer(field: serializers.DateTimeField) -> Callable[[datetime.datetime], str]:
    """What ``DateTimeField.to_representation`` returns, with the time zone looked up once."""
    zone = getattr(field, "timezone", None) or timezone.get_current_timezone()

    def represent(value: datetime.datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def _decimal_representer(field: serializers.DecimalField) -> Callable[[decimal.Decimal], str]:
    """``DecimalField.to_representation`` for values already stored with the field's decimal places.

    Those (every amount read from a ``DecimalField`` column of the same scale) need no rounding, so
    they are only formatted; any other value goes through DRF's own method.
    """
    places = field.decimal_places
    if places == 0:
        return field.to_representation
    point = -places - 1
    zeros = "." + "0" * places
    # A whole number takes ``places`` zeros, unless DRF's quantize (to ``max_digits``) would refuse it.
    widest = None if field.max_digits is None else field.max_digits - places

    def represent(value: decimal.Decimal) -> str:
        # Fixed-point text has the point ``places`` digits from its end exactly when the exponent is
        # ``-places`` (cheaper to check than ``as_tuple()``, which builds a tuple of every digit).
        # ``str`` gives what ``format(value, "f")`` gives unless it writes an exponent (tiny or huge values).
        if value.__class__ is decimal.Decimal:
            text = str(value)
            if "E" not in text and "e" not in text:
                if len(text) > places and text[point] == ".":
                    return text
                # A whole number: the 0 of a sum over no rows (a project without funds records), say.
                digits = text[1:] if text[:1] == "-" else text
                if digits.isdigit() and (widest is None or len(digits) <= widest):
                    return text + zeros
        return field.to_representation(value)

    return represent


class PreparedRows:
    """A values queryset's rows by slice, as dicts, its SQL compiled once per database connection and slice.

    For a list whose queryset depends on nothing but the code (``ValuesListMixin.list_prepared_key``):
    it is built once, and what a page of it compiles to cannot change, so the SQL is kept (for the
    ``SLICES`` slices read last, per connection: a compiler keeps its connection, whose converters
    it applies). The rows themselves are read at every request. Django's paginator slices it like
    a queryset; the count is read from a queryset of its own (``count_source``).
    """

    ordered = True  # the queryset's order (Django's paginator warns of unordered lists)

    def __init__(self, queryset) -> None:
        self.queryset = queryset
        query = queryset.query
        # The columns in the order the SQL reads them, named as QuerySet.values() names them.
        self.names = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
        self._compiled = functools.lru_cache(maxsize=SLICES)(self._compile)

    def _compile(self, connection, bottom: int, top: int | None):
        compiler = self.queryset[bottom:top].query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # an empty slice (the one page of an empty list): no rows, as QuerySet reads it
            return None
        return compiler, sql, params

    def __iter__(self):
        return iter(self[0:None])

    def __getitem__(self, item: slice) -> list[dict]:
        connection = connections[self.queryset.db]
        compiled = self._compiled(connection, item.start or 0, item.stop)
        if compiled is None:
            return []
        compiler, sql, params = compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = compiler.results_iter(results=[cursor.fetchall()])
            names = self.names
            return [dict(zip(names, row, strict=True)) for row in rows]


SLICES = 32


class PreparedCount:
    """``QuerySet.count()`` of a queryset that depends on nothing but the code, its SQL compiled once per connection.

    Compiled as ``Query.get_count`` compiles it when it needs no subquery (the query neither sliced,
    distinct, grouped, combined nor annotated with an aggregate or a window): ``COUNT(*)`` in place of
    the select list, no ordering. Any other query is counted by ``count()`` itself. The number is read
    at every call.
    """

    def __init__(self, queryset) -> None:
        self.queryset = queryset
        query = queryset.query
        _where, having, qualify = query.where.split_having_qualify()
        # Query.get_aggregation's reasons for a subquery (and windows, to be safe): then count() itself.
        self.plain = not (
            isinstance(query.group_by, tuple)
            or query.is_sliced
            or having
            or qualify
            or query.distinct
            or query.combinator
            or any(
                getattr(annotation, "contains_aggregate", True)
                or getattr(annotation, "contains_over_clause", True)
                or getattr(annotation, "set_returning", False)
                for annotation in query.annotations.values()
            )
        )
        self._compiled = functools.lru_cache(maxsize=SLICES)(self._compile)

    def _compile(self, connection):
        query = self.queryset.query.chain()
        query.select, query.selected, query.default_cols, query.extra = (), None, False, {}
        query.annotations = {"__count": Count("*").resolve_expression(query, allow_joins=True, summarize=True)}
        query.set_annotation_mask(["__count"])
        query.clear_ordering(force=True)
        query.clear_limits()
        query.select_for_update, query.select_related = False, False
        try:
            return query.get_compiler(connection=connection, elide_empty=True).as_sql()
        except EmptyResultSet:  # a condition nothing meets: no rows, as count() answers
            return None

    def count(self) -> int:
        if not self.plain:
            return self.queryset.count()
        connection = connections[self.queryset.db]
        compiled = self._compiled(connection)
        if compiled is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(*compiled)
            return cursor.fetchone()[0]


class ValuesListMixin:
    """Add to a list view; ``list_paths`` maps an output field to the ORM path it reads (relations)."""

    list_paths: dict[str, str] = {}
    # Output fields computed from the row (and the extra paths they need) instead of read from it.
    list_computed: dict[str, Callable[[dict], object]] = {}
    list_extra_paths: dict[str, str | Expression] = {}  # a path, or an expression of the row

    def list_computed_fields(self) -> dict[str, Callable[[dict], object]]:
        """``list_computed`` for this request (override when a computation needs data read once per request)."""
        return self.list_computed

    def list_prepared_key(self):
        """A key naming this request's list queryset when it depends on nothing else, or ``None`` (the default).

        Requests of one key share one queryset, built once, whose pages' SQL is compiled once
        (``PreparedRows``): give a key only when the view's queryset, filtering and ordering for such
        a request are a function of the code and the key (no user, time or data read while building).
        """
        return None

    def list(self, request, *args, **kwargs):
        representers = self._representers()
        computed = self.list_computed_fields()
        aliases = {name: f"_{name}" for name in self.list_paths}
        prepared_key = self.list_prepared_key()
        prepared = _PREPARED.get((type(self), prepared_key)) if prepared_key is not None else None
        if prepared is None:
            selected = {aliases[name]: F(path) for name, path in self.list_paths.items()}
            selected |= {
                alias: F(path) if isinstance(path, str) else path for alias, path in self.list_extra_paths.items()
            }
            plain = [name for name in representers if name not in aliases and name not in computed]
            filtered = self.filter_queryset(self.get_queryset())
            # The page count needs no joins: count the filtered rows, not the joined values.
            count_source, queryset = filtered.values("pk"), filtered.values(*plain, **selected)
            if prepared_key is not None:
                prepared = _PREPARED[type(self), prepared_key] = (PreparedCount(count_source), PreparedRows(queryset))
        if prepared is not None:
            count_source, queryset = prepared
        self.count_source = count_source
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else queryset
        # One step per output field, in the serializer's order: computed from the row, or read and represented.
        steps = [
            (name, None, computed[name]) if name in computed else (name, aliases.get(name, name), represent)
            for name, represent in representers.items()
        ]
        data = [
            {
                name: compute(row) if key is None else (None if (value := row[key]) is None else compute(value))
                for name, key, compute in steps
            }
            for row in rows
        ]
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _representers(self) -> dict[str, Callable]:
        """How each readable field turns a stored value into JSON (related fields are read as keys already).

        Built once per serializer class: representing a value depends on the field's settings only.
        """
        serializer_class = self.get_serializer_class()
        if serializer_class not in _REPRESENTERS:
            _REPRESENTERS[serializer_class] = self._build_representers()
        return _REPRESENTERS[serializer_class]

    def _build_representers(self) -> dict[str, Callable]:
        representers = {}
        for name, field in self.get_serializer().fields.items():
            if field.write_only:
                continue
            if isinstance(field, RelatedField):
                representers[name] = _as_is
            elif (
                isinstance(field, serializers.DecimalField)
                and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
                and field.decimal_places is not None
                and not field.normalize_output
                and not field.localize
            ):
                representers[name] = _decimal_representer(field)
            elif (
                isinstance(field, serializers.DateTimeField)
                and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
            ):
                representers[name] = _datetime_representer(field)
            elif (kind := _same_when_of_type(field)) is not None:
                representers[name] = _fast_path(field, kind)
            elif isinstance(field, serializers.ChoiceField) and _inherits(field, serializers.ChoiceField):
                representers[name] = _choice_representer(field)
            else:
                representers[name] = field.to_representation
        return representers


_REPRESENTERS: dict[type, dict[str, Callable]] = {}
# (view class, list_prepared_key()) -> the count's queryset and the rows (PreparedRows), built by the first request.
_PREPARED: dict[tuple, tuple] = {}


def _as_is(value):
    return value


# Fields whose ``to_representation`` returns a value of this type unchanged (a date: its ISO form), as
# a column of the matching model field reads it; any other value still goes through the field.
_SAME_WHEN_OF_TYPE: dict[type, type] = {
    serializers.CharField: str,
    serializers.IntegerField: int,
    serializers.BooleanField: bool,
    serializers.DateField: datetime.date,
}


def _inherits(field: serializers.Field, base: type) -> bool:
    """Whether ``field`` represents values with ``base``'s own ``to_representation`` (a subclass may not)."""
    return type(field).to_representation is base.to_representation


def _same_when_of_type(field: serializers.Field) -> type | None:
    """The type of stored value that ``field`` shows unchanged (``_SAME_WHEN_OF_TYPE``), or ``None``."""
    if isinstance(field, serializers.BigIntegerField):
        # int(value) like IntegerField, unless it shows big integers as text.
        coerced = getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
        return int if _inherits(field, serializers.BigIntegerField) and not coerced else None
    if isinstance(field, serializers.DateField) and getattr(field, "format", api_settings.DATE_FORMAT) != ISO_8601:
        return None
    for base, kind in _SAME_WHEN_OF_TYPE.items():
        if isinstance(field, base) and _inherits(field, base):
            return kind
    return None


def _choice_representer(field: serializers.ChoiceField) -> Callable:
    """``ChoiceField.to_representation`` for a stored text: the choice's value of that text, else the text."""
    values = field.choice_strings_to_values
    represent = field.to_representation
    return lambda value: values.get(value, value) if value.__class__ is str and value else represent(value)


def _fast_path(field: serializers.Field, kind: type) -> Callable:
    represent = field.to_representation
    if kind is datetime.date:
        return lambda value: value.isoformat() if value.__class__ is datetime.date else represent(value)
    return lambda value: value if value.__class__ is kind else represent(value)
