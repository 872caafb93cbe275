"""The conditions of the site's search for patterns of one or two characters, which have no trigram.

``pg_trgm`` needs three characters: for ``汽车``, ``企`` or ``qy`` its indexes hand back every row to
recheck, and a search that matches nothing read every visit (243 ms at 100,000 projects, 2 s at a million).
Two things serve such patterns on PostgreSQL and find exactly the rows of the plain ``LIKE``:

- **text columns** (of a ``SearchSpec`` with ``chars``): a GIN index of the column's characters,
  ``string_to_array(UPPER(column), NULL)`` (built in C, no function of ours), created by
  ``pinghu.search_operations.AddCharsIndex``. ``ShortContains`` puts ``… @> string_to_array(UPPER(q), NULL)``
  next to ``UPPER(column) LIKE UPPER('%q%')``: every character of a part of a text is a character of it, so
  the rows are those of the ``LIKE`` alone, which rechecks the index's candidates (for ``汽车``: the rows
  holding both 汽 and 车). Characters, not pairs: an index of pairs and characters took 3–4 times as long to
  build (docs/benchmarks.md), and every index here is built again by each bulk load (which sets indexes aside).
- **key columns** (pinyin, ``[a-z0-9]`` words joined by spaces, ``pinyin_key``): no new index.
  A key holds a two-character ``p`` where the key begins with it, or after a space, or after one of the
  36 key characters, and each of these 38 patterns has a trigram the key's existing trigram index looks up
  (``p%``, ``% p%``: ``"  p"``, ``" p"+p``; ``%cp%``: ``c+p``). ``KeyContains`` puts ``key LIKE ANY`` of them
  next to ``key LIKE '%p%'`` (which each of them implies). One character has no index: the combinations
  would be too many, and most keys hold any letter.
- the short ``LIKE`` itself is written in the "C" collation (the same bytes compared), which the trigram
  indexes, in the database's collation, cannot take: for a pattern without a trigram a GIN scan reads the
  whole index, and the planner chose that where statistics promised no row (the firms' empty former names).

The planner chooses per query between these indexes and walking the type's order (which stops after the
first rows when most rows match, ``企``): the estimate of ``@>`` comes from the index's statistics
(``ANALYZE``; the migrations that create the indexes analyse their tables). Elsewhere (SQLite) both are
Django's ``icontains`` and ``contains``.
"""

from __future__ import annotations

from django.db import models
from django.db.models.lookups import Contains, IContains

KEY_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789"  # what NOT_KEY (the pinyin keys' filter) keeps
SHORT = 2  # the longest pattern without a trigram


def chars_sql(column: str) -> str:
    """The characters of ``UPPER(column)`` (``column`` in SQL, cast as ``icontains`` casts it): the indexed
    expression, which the index compares in the "C" collation (``AddCharsIndex``)."""
    return f"string_to_array(UPPER(({column})::text), NULL)"


def _unindexed_like(column: str, pattern: str, *, upper: bool) -> tuple[str, list]:
    """``column`` (``UPPER``-ed) ``LIKE '%pattern%'`` as Django's ``icontains``/``contains`` write it, but in the
    "C" collation: the same bytes compared, and the trigram indexes (in the database's collation) cannot take it.
    A pattern without a trigram makes them read the whole index, and the planner, which expects a few rows of a
    column whose statistics show no match (the firms' empty former names), took it over the indexes here."""
    like = f"%{pattern.replace(chr(92), chr(92) * 2).replace('%', chr(92) + '%').replace('_', chr(92) + '_')}%"
    if upper:
        return f'UPPER(({column})::text) COLLATE "C" LIKE UPPER(%s)', [like]
    return f'({column})::text COLLATE "C" LIKE %s', [like]


class ShortContains(models.Func):
    """``field__icontains=text`` for a ``text`` of one or two characters; on PostgreSQL, with ``chars``, next to
    the character index's condition (every character of ``UPPER(text)`` is one of ``UPPER(field)``)."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, field: str, text: str, *, chars: bool):
        super().__init__(models.F(field), models.Value(text))
        self.chars = chars

    def as_sql(self, compiler, connection, **extra_context):
        field, text = self.source_expressions
        return compiler.compile(IContains(field, text.value))

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        text = self.source_expressions[1].value
        like, like_params = _unindexed_like(column, text, upper=True)
        if not self.chars:
            return like, (*params, *like_params)
        # COLLATE "C": the index's collation (or it is not used), outside the expression, which the planner
        # then recognises as the index's and estimates from its statistics.
        has_chars = f'({chars_sql(column)} COLLATE "C") @> string_to_array(UPPER(%s), NULL)'
        return f"({has_chars} AND {like})", (*params, text, *params, *like_params)


class KeyContains(models.Func):
    """``key__contains=pinyin`` for a ``pinyin`` of one or two characters; on PostgreSQL, for two key characters,
    next to ``key LIKE ANY`` of the 38 patterns with a trigram that find the same keys (the module's docstring)."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, field: str, pinyin: str):
        super().__init__(models.F(field), models.Value(pinyin))

    def as_sql(self, compiler, connection, **extra_context):
        key, pinyin = self.source_expressions
        return compiler.compile(Contains(key, pinyin.value))

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        pinyin = self.source_expressions[1].value
        like, like_params = _unindexed_like(column, pinyin, upper=False)
        if len(pinyin) != SHORT or not set(pinyin) <= set(KEY_CHARACTERS):
            return like, (*params, *like_params)
        patterns = [f"{pinyin}%", f"% {pinyin}%"] + [f"%{c}{pinyin}%" for c in KEY_CHARACTERS]
        # The plain pattern stays for the planner: its estimate (from the key's statistics) times that of the
        # 38 (each at least 1/10,000 of the rows) keeps a rare pair off the walk of the type's order.
        return f"({column}::text LIKE ANY(%s) AND {like})", (*params, patterns, *params, *like_params)
