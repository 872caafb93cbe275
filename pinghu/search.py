"""Search across the site: Chinese substrings, full pinyin, pinyin initials, credit-code prefixes.

A searchable model declares a ``search_spec`` (``SearchSpec``) and, when it has one, a key column
(``search_key_field()``) that ``pinyin_key`` fills from its names on every save (``SearchKeyMixin``)
and in ``bulk_create``/``bulk_update`` (its manager's ``SearchKeyQuerySet``). The key holds, for each
source text, its full pinyin and its initials, lower case, letters and digits only, as words:
``长城汽车`` → ``changchengqiche ccqc``. A query matches a key word when it is a substring of it,
so ``changcheng`` and ``ccqc`` both find 长城汽车, while the space keeps words of two names apart.

Polyphonic characters (多音字): pypinyin's default (``heteronym=False``) gives one reading per
character, chosen from its phrase dictionary (长城 → changcheng, 重庆 → chongqing, 银行 → yinhang),
which is the reading people type; other readings are not stored, so a key stays short and one
query means one thing.

On PostgreSQL the conditions are served by GIN trigram indexes (``pg_trgm``, created by the
migrations with ``pinghu.search_operations``), and those of one or two characters as described in
``pinghu.search_short``; on SQLite the same lookups run as plain ``LIKE``
scans and find the same rows.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass

import django_filters
from django.db import models
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from .search_short import SHORT, KeyContains, ShortContains

NOT_KEY = re.compile(r"[^a-z0-9]+")
HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
CODE = re.compile(r"^(?=.*[0-9])[0-9A-Z]{2,18}$")  # a credit code's beginning has a digit
MAX_QUERY = 64
# How many keys, at least, the part of a search on a row's own columns reads in its order (``search_first``).
# PostgreSQL estimates a LIKE '%…%' at no less than 1/10,000 of the rows per column it names, whatever the
# pattern: at 1,000,000 projects, 100 of the 333,347 demo firms for a pattern that matches none. Asked for the
# first 9 by name it walked the name index, expecting to stop after 9/100 of it, and tested every firm (0.4–1 s,
# `xiangmu012345`, a pattern of the search bench); asked for 16 it reads the trigram indexes and sorts what they
# find (1–5 ms). It walks the firms' index when it expects to stop within about 9% of it: with 16, from about
# 175 expected firms, which the floor reaches at about 1.7 million projects, else for patterns its statistics
# show to be common; reading more costs those walks more (`1234` at 1M, which the statistics put at 10,000 firms
# and which 174 match, most far down the order: 13 ms with 9, 57 with 16, 138 with 32). The parts on a related
# row (a firm's visits) read ``n``: their walk looks up each row's firm (`123`, visits: 12 → 65 ms with 32). Nor
# a query of one or two characters (`企`), which has no trigram: it was written when the trigram indexes handed
# back every row for it and walking the order was the cheaper full test (projects at 1M, no match: 0.7–0.85 s
# against 1.1–1.3 s); now its own indexes serve it (``pinghu.search_short``), and with ``n`` every such pattern
# of the search bench takes 1–11 ms a type (100,000 projects); a single pinyin letter still has no index.
OWN_FETCH = 16


@dataclass(frozen=True)
class SearchSpec:
    """What a model is searched by.

    ``text``: fields matched as substrings (case-insensitive); ``key``: the pinyin key column;
    ``key_sources``: the fields the key is built from; ``prefix``: fields matched by their beginning
    (credit codes); ``related``: foreign keys whose target is searched too (a project by its investor);
    ``chars``: whether each field of ``text`` has an index of its characters on PostgreSQL, for patterns
    of one or two characters (``pinghu.search_short``).
    """

    text: tuple[str, ...] = ()
    chars: bool = False
    key: str = ""
    key_sources: tuple[str, ...] = ()
    prefix: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


def pinyin_key(*texts: str) -> str:
    """The search key of ``texts``: for each (each line of each), its full pinyin and its initials, as words."""
    words: list[str] = []
    for text in texts:
        for line in (text or "").splitlines():
            full, initials = [], []
            for index, part in enumerate(HAN.split(line)):
                if index % 2:  # a run of Chinese characters
                    run_full, run_initials = _han_pinyin(part)
                    full.append(run_full)
                    initials.append(run_initials)
                else:  # Latin letters and digits stand for themselves in both
                    plain = NOT_KEY.sub("", part.lower())
                    full.append(plain)
                    initials.append(plain)
            if "".join(full):
                words += ["".join(full), "".join(initials)]
    return " ".join(words)


@functools.lru_cache(maxsize=65536)
def _han_pinyin(run: str) -> tuple[str, str]:
    """Full pinyin and initials of a run of Chinese characters, read as phrases (cached: names repeat
    their parts, 有限公司, 新能源, and the demo's 100,000 names are built from a few)."""
    syllables = [NOT_KEY.sub("", syllable.lower()) for syllable in lazy_pinyin(run)]
    return "".join(syllables), "".join(syllable[:1] for syllable in syllables)


def search_key_field() -> models.TextField:
    """The key column a searchable model declares (filled on save, never edited)."""
    return models.TextField(
        _("search key"),
        db_default="",
        blank=True,
        editable=False,
        help_text=_("Full pinyin and pinyin initials of the names, built when saved, for searching."),
    )


def build_search_key(obj) -> str:
    spec: SearchSpec = type(obj).search_spec
    return pinyin_key(*(str(getattr(obj, name) or "") for name in spec.key_sources))


def fill_search_keys(objs) -> list:
    """Set the key of each object (for ``bulk_create``/``bulk_update``, which skip ``save()``)."""
    objs = list(objs)
    for obj in objs:
        setattr(obj, type(obj).search_spec.key, build_search_key(obj))
    return objs


class SearchKeyQuerySet(models.QuerySet):
    """``bulk_create`` and ``bulk_update`` (imports, the demo generator, services) fill the key as ``save()`` does.

    ``update(name=...)`` cannot know the new keys: write names through ``save()`` or these two.
    """

    def bulk_create(self, objs, *args, **kwargs):
        return super().bulk_create(fill_search_keys(objs), *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        spec: SearchSpec = self.model.search_spec
        if set(fields) & set(spec.key_sources):
            objs, fields = fill_search_keys(objs), [*fields, spec.key]
        return super().bulk_update(objs, fields, *args, **kwargs)


class SearchKeyMixin(models.Model):
    """Keeps the key column in step with its source fields on every ``save()``."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        spec: SearchSpec = type(self).search_spec
        setattr(self, spec.key, build_search_key(self))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(spec.key_sources):
            kwargs["update_fields"] = {*update_fields, spec.key}
        super().save(*args, **kwargs)


@dataclass(frozen=True)
class Query:
    """A typed query in the three forms it is compared in."""

    raw: str
    pinyin: str
    code: str

    @classmethod
    def parse(cls, value: str | None) -> Query:
        raw = " ".join((value or "").split())[:MAX_QUERY]
        code = raw.replace(" ", "").upper()
        return cls(raw=raw, pinyin=NOT_KEY.sub("", raw.lower()), code=code if CODE.match(code) else "")

    def __bool__(self) -> bool:
        return bool(self.raw)

    @property
    def has_trigrams(self) -> bool:
        """Whether each ``LIKE`` pattern it makes has three characters (a trigram for the indexes to look up)."""
        return len(self.raw) >= 3 and (not self.pinyin or len(self.pinyin) >= 3)


def search_condition(model, query: Query | str) -> Q:
    """The condition of the rows of ``model`` that ``query`` finds (``Q(pk__in=[])`` for none)."""
    query = query if isinstance(query, Query) else Query.parse(query)
    condition = _own_condition(model, query)
    if query:
        for name in model.search_spec.related:
            condition |= Q(InMatching(models.F(name), Subquery(_related_matching(model, name, query))))
    return condition


def _own_condition(model, query: Query) -> Q:
    """The part of the condition on ``model``'s own columns."""
    spec: SearchSpec = model.search_spec
    condition = Q(pk__in=[])
    if not query:
        return condition
    for name in spec.text:
        if len(query.raw) <= SHORT:  # no trigram: pinghu.search_short
            condition |= Q(ShortContains(name, query.raw, chars=spec.chars))
        else:
            condition |= Q(**{f"{name}__icontains": query.raw})
    if spec.key and query.pinyin:
        if len(query.pinyin) <= SHORT:
            condition |= Q(KeyContains(spec.key, query.pinyin))
        else:
            condition |= Q(**{f"{spec.key}__contains": query.pinyin})
    if query.code:
        for name in spec.prefix:
            condition |= Q(**{f"{name}__startswith": query.code})
    return condition


def _related_matching(model, name: str, query: Query) -> models.QuerySet:
    """The keys of the rows that the foreign key ``name`` of ``model`` points to and that ``query`` finds."""
    target = model._meta.get_field(name).related_model
    return target._default_manager.filter(search_condition(target, query)).order_by().values("pk")


class InMatching(models.Func):
    """``column IN (subquery)``; on PostgreSQL ``column = ANY(ARRAY(subquery))``.

    PostgreSQL runs an ``IN (subquery)`` inside an ``OR`` as a filter on every row (a "hashed SubPlan"),
    walking a whole table of 100,000 projects for a rare match (0.5–1.2 s); the array form is an
    index condition that joins the trigram indexes' ``BitmapOr`` (under 1 ms, measured by the search bench).
    """

    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        return f"{column} IN {subquery}", (*column_params, *subquery_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        return f"{column} = ANY(ARRAY{subquery})", (*column_params, *subquery_params)


def search(queryset, value: str | None):
    """``queryset`` narrowed to what ``value`` finds; unchanged for an empty query."""
    query = Query.parse(value)
    return queryset.filter(search_condition(queryset.model, query)) if query else queryset


def search_first(queryset, value: Query | str | None, n: int) -> models.QuerySet:
    """The first ``n`` rows of ``queryset``, in its ordering, that ``value`` finds, in one query.

    For a short page (the site's search): ``queryset`` must be ordered totally (end with the key).
    ``search_condition`` is an ``OR`` across tables, which PostgreSQL plans as a whole: a query that
    matches every firm made it collect the 200,000 visits of those firms and join each to its firm
    before sorting them for 9 rows (0.5 s at 100,000 projects). Here each part of the ``OR`` picks its
    own first keys in a subquery planned on its own (the row's columns by the trigram indexes; a
    related firm's match as a semi-join, which walks the ordering's index and stops after ``n`` rows
    when most firms match, and starts from the firms when few do), and the rows are the first ``n`` of
    those keys: the same rows as filtering by ``search_condition``, since each part's first ``n``
    hold the first ``n`` of the whole. The part on the row's own columns picks its first
    ``max(n, OWN_FETCH)`` when the query has trigrams (see there). An empty query leaves ``queryset``
    unfiltered, as ``search``.
    """
    query = value if isinstance(value, Query) else Query.parse(value)
    model = queryset.model
    if not query:
        return queryset[:n]
    parts = [(_own_condition(model, query), max(n, OWN_FETCH) if query.has_trigrams else n)]
    parts += [(Q(**{f"{name}__in": _related_matching(model, name, query)}), n) for name in model.search_spec.related]
    # InMatching again: an IN (subquery) inside this OR would test every row; = ANY(ARRAY(...)) reads the
    # few keys through the primary key's index.
    firsts = [
        Q(InMatching(models.F("pk"), Subquery(queryset.filter(part).values("pk")[:fetch]))) for part, fetch in parts
    ]
    return queryset.filter(functools.reduce(operator.or_, firsts))[:n]


@dataclass(frozen=True)
class Reason:
    """Why a row matched: the field's name and the text that matched there."""

    label: str
    value: str
    start: int = -1
    length: int = 0

    @property
    def parts(self) -> tuple[str, str, str]:
        """The value cut around the match (before, match, after), for highlighting."""
        if self.start < 0:
            return self.value, "", ""
        end = self.start + self.length
        return self.value[: self.start], self.value[self.start : end], self.value[end:]


def match_reasons(obj, query: Query | str, prefix: str = "") -> list[Reason]:
    """Why ``obj`` matches ``query``, field by field, in the order of its ``search_spec``.

    Reads only ``obj`` and the related rows named in ``related`` (select them with the row).
    """
    query = query if isinstance(query, Query) else Query.parse(query)
    spec: SearchSpec = type(obj).search_spec
    reasons: list[Reason] = []
    if not query:
        return reasons
    for name in spec.text:
        value = str(getattr(obj, name) or "")
        start = value.casefold().find(query.raw.casefold())
        if start >= 0:
            reasons.append(Reason(prefix + _label(obj, name), value, start, len(query.raw)))
    if spec.key and query.pinyin:
        words = str(getattr(obj, spec.key) or "").split()
        for index, word in enumerate(words):
            if query.pinyin in word:
                label = _("pinyin initials") if index % 2 else _("full pinyin")
                reasons.append(Reason(prefix + str(label), word, word.find(query.pinyin), len(query.pinyin)))
                break
    if query.code:
        for name in spec.prefix:
            value = str(getattr(obj, name) or "")
            if value.startswith(query.code):
                reasons.append(Reason(prefix + _label(obj, name), value, 0, len(query.code)))
    for name in spec.related:
        related = getattr(obj, name)
        if related is not None:
            reasons += match_reasons(related, query, prefix=_label(obj, name) + " · ")
    return reasons


def _label(obj, name: str) -> str:
    return str(obj._meta.get_field(name).verbose_name)


class SearchFilter(django_filters.CharFilter):
    """``?q=``: the site's search (Chinese substring, full pinyin, initials, credit-code prefix)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "label", _("search (part of a name in Chinese, its full pinyin or initials, or a credit code's beginning)")
        )
        kwargs.setdefault("max_length", MAX_QUERY)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return search(qs, value)
