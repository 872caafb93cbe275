"""A LEFT JOIN of a grouped queryset (a derived table), which Django's ORM has no call for.

For figures aggregated per row over a long read (an export of every project): a correlated
subquery runs once per row (three index scans per project for the funds figures, 0.4 s of a
100,000-row export); PostgreSQL aggregates a derived table in one pass and hash-joins it.
A page of 50 rows is the other way round, so lists keep their correlated subqueries.

    totals = ProjectFunds.objects.values("project_id").annotate(total=Sum("domestic_funds"))
    rows = join_derived(Project.objects.all(), totals, name="totals", key="project_id")
    rows.annotate(funds=Coalesce(DerivedColumn("totals", "total", MONEY), ZERO))
"""

from types import SimpleNamespace

from django.db.models import Field, QuerySet
from django.db.models.expressions import Expression
from django.db.models.sql.constants import LOUTER
from django.db.models.sql.datastructures import Join

# What ``Query`` reads of a join's field when the query becomes a subquery: its model's table (none here, so the
# derived table's name counts as an alias, as it is).
_NO_FIELD = SimpleNamespace(related_model=SimpleNamespace(_meta=SimpleNamespace(db_table=None)))


class DerivedTableJoin(Join):
    """``LEFT OUTER JOIN (<subquery>) <alias> ON (<alias>.<key> = <parent>.<parent_column>)`` in a query's FROM.

    Quacks as the ``Join`` of ``Query.alias_map`` (aliases, relabelling, reuse of an equal join); it has no
    join field, so it builds its own ON clause. The subquery is compiled with the outer query's connection.
    """

    def __init__(self, subquery, parent_alias, table_alias, key, parent_column, join_type=LOUTER, nullable=True):
        # Join.__init__ wants a relation field to read the joined columns from; this join names them itself.
        self.subquery = subquery
        self.table_name = f"({key} of a derived table)"  # no table: what Query.table_map files the alias under
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type
        self.key = key
        self.parent_column = parent_column
        self.join_field = _NO_FIELD
        self.join_fields = ()
        self.join_cols = ((parent_column, key),)
        self.nullable = nullable
        self.filtered_relation = None

    def as_sql(self, compiler, connection):
        sql, params = self.subquery.get_compiler(connection=connection).as_sql()
        quote = connection.ops.quote_name
        parent = compiler.quote_name_unless_alias(self.parent_alias)
        on = f"{quote(self.table_alias)}.{quote(self.key)} = {parent}.{quote(self.parent_column)}"
        return f"{self.join_type} ({sql}) {quote(self.table_alias)} ON ({on})", params

    def relabeled_clone(self, change_map):
        return self.__class__(
            self.subquery,
            change_map.get(self.parent_alias, self.parent_alias),
            change_map.get(self.table_alias, self.table_alias),
            self.key,
            self.parent_column,
            self.join_type,
            self.nullable,
        )

    @property
    def identity(self):
        return self.__class__, self.table_alias, self.parent_alias, self.key, self.parent_column, str(self.subquery)


class DerivedColumn(Expression):
    """A column of the derived table joined as ``table`` by ``join_derived``, read as ``output_field``."""

    contains_column_references = True
    possibly_multivalued = False

    def __init__(self, table: str, column: str, output_field: Field):
        super().__init__(output_field=output_field)
        self.table, self.column = table, column

    def as_sql(self, compiler, connection):
        quote = connection.ops.quote_name
        return f"{quote(self.table)}.{quote(self.column)}", []

    def relabeled_clone(self, relabels):
        # The derived table is renamed with the query's other aliases when the query becomes a subquery.
        return self.__class__(relabels.get(self.table, self.table), self.column, self.output_field)

    def get_group_by_cols(self):
        return [self]


def join_derived(queryset: QuerySet, derived: QuerySet, *, name: str, key: str) -> QuerySet:
    """``queryset`` LEFT JOINed to the rows of ``derived`` whose ``key`` column is the row's primary key.

    ``derived`` is typically ``values(<key>).annotate(<aggregates>)``: at most one row per key. ``name`` is
    the derived table's alias, which ``DerivedColumn`` names.
    """
    queryset = queryset.all()
    query = queryset.query
    join = DerivedTableJoin(
        derived.order_by().query, query.get_initial_alias(), name, key, queryset.model._meta.pk.column
    )
    table_map = query.table_map.setdefault(join.table_name, [])
    if name in query.alias_map and query.alias_map[name] != join:
        raise ValueError(f"{name!r} is taken in this query; join the derived table under another name.")
    if name not in query.alias_map:
        # Query.join would name the alias after the table (or T<n>); a derived table is named by its caller.
        query.alias_map[name] = join
        query.alias_refcount[name] = 1
        table_map.append(name)
    return queryset
