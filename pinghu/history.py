"""The audit trail (django-simple-history): bulk writes, deletion batches, and history as users read it.

``record_history`` writes one history row per row of a queryset in a single INSERT … SELECT;
``delete_with_history`` records the rows as deleted and then deletes them, in one statement each.
Both run inside the caller's transaction. ``deletion_batch`` marks every row a deletion takes with
it (the rows of its child tables, say) with one reason, so a restore can bring back exactly those.
"""

import contextvars
import uuid
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.fields import CharField, DateTimeField, IntegerField
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .text import join_list

_deletion_batch: contextvars.ContextVar[str | None] = contextvars.ContextVar("pinghu_deletion_batch", default=None)
# (user, reason) every history row written inside ``attributed_to`` carries, unless it has its own.
_attribution: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("pinghu_attribution", default=None)


@contextmanager
def deletion_batch():
    """Within the block, every deletion's history row carries the same reason: ``删除批次 <id>``."""
    token = _deletion_batch.set(f"删除批次 {uuid.uuid4().hex[:16]}")
    try:
        yield _deletion_batch.get()
    finally:
        _deletion_batch.reset(token)


@contextmanager
def attributed_to(user, reason: str):
    """Within the block, every history row names ``user`` and ``reason`` (an import run from the command line, say).

    Rows that already name a user or a reason (the request's user, a deletion batch) keep theirs.
    """
    token = _attribution.set((user, reason))
    try:
        yield
    finally:
        _attribution.reset(token)


def tag_deletion_batch(sender, history_instance, **kwargs) -> None:
    """``pre_create_historical_record`` receiver: a deletion inside ``deletion_batch`` gets the batch's reason;
    a row written inside ``attributed_to`` gets its user and reason."""
    batch = _deletion_batch.get()
    if batch is not None and history_instance.history_type == "-":
        history_instance.history_change_reason = batch
    attribution = _attribution.get()
    if attribution is not None:
        user, reason = attribution
        if history_instance.history_user_id is None and getattr(user, "pk", None) is not None:
            history_instance.history_user_id = user.pk
        if not history_instance.history_change_reason:
            history_instance.history_change_reason = reason


class OneRecordHistoricalRecords(HistoricalRecords):
    """``HistoricalRecords`` (pass as ``records_class``) that can write one record for a whole multi-step write.

    ``one_history_record`` uses it. A snapshot of the links no longer reads the row's excluded fields back
    (simple-history does, once per link field, only to name the link's through model).
    """

    by_model: dict = {}

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        OneRecordHistoricalRecords.by_model[sender] = self

    def create_historical_record_m2ms(self, history_instance, instance):
        # The through models are the model's own: the record's ``instance`` needs none of its excluded fields.
        history_instance._history_excluded_fields = ()
        try:
            super().create_historical_record_m2ms(history_instance, instance)
        finally:
            del history_instance._history_excluded_fields


@contextmanager
def one_history_record(instance, history_type: str = "+"):
    """Within the block, ``instance``'s saves and link changes write no history; after it, one record.

    A visit created with its leaders and chains would otherwise leave a record per step (the save,
    then each link set). The one record is written the way each of those was (the signal path: the
    request's user, ``_change_reason``, ``attributed_to``, the links as they are now), so it holds the
    final state; nothing is written if the block raises. The model must be registered with
    ``records_class=OneRecordHistoricalRecords``.
    """
    records = OneRecordHistoricalRecords.by_model[type(instance)]
    if hasattr(instance, "skip_history_when_saving"):  # the caller wants no history written at all
        yield
        return
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving
    records.create_historical_record(instance, history_type)


def _history_model(model):
    return model.history.model


def record_history(queryset: QuerySet, *, history_type: str, reason: str = "", user=None) -> int:
    """Record every row of ``queryset`` in its history as created (``+``), changed (``~``) or deleted (``-``)."""
    history_model = _history_model(queryset.model)
    tracked = [
        field.attname
        for field in history_model._meta.concrete_fields
        if not field.name.startswith("history_") and field.attname != "history_id"
    ]
    stamps = {
        "history_date": Value(timezone.now(), output_field=DateTimeField()),
        "history_type": Value(history_type, output_field=CharField()),
        "history_change_reason": Value(reason, output_field=CharField()),
        "history_user_id": Value(getattr(user, "pk", None), output_field=IntegerField()),
    }
    rows = queryset.order_by().annotate(**{f"_{name}": value for name, value in stamps.items()})
    sql, params = rows.values_list(*tracked, *[f"_{name}" for name in stamps]).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(history_model._meta.get_field(name).column) for name in [*tracked, *stamps])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}) {sql}", params)
        count = cursor.rowcount
    if history_type != "-":
        for field in getattr(history_model, "_history_m2m_fields", []):
            _record_m2m_snapshot(queryset, field, history_type=history_type, stamp=stamps["history_date"].value)
    return count


def _record_m2m_snapshot(queryset: QuerySet, field, *, history_type: str, stamp) -> None:
    """The links of the rows just recorded, as the signal path keeps them: one row per link and record."""
    history_model = _history_model(queryset.model)
    snapshot_model = getattr(history_model, field.name).model
    through = field.remote_field.through
    copied = [f.column for f in through._meta.concrete_fields]
    source = through._meta.get_field(field.m2m_field_name()).column
    quote = connection.ops.quote_name
    ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
    history_table = quote(history_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(snapshot_model._meta.db_table)} "
            f"({quote(snapshot_model._meta.get_field('history').column)}, {', '.join(quote(c) for c in copied)}) "
            f"SELECT h.history_id, {', '.join('t.' + quote(c) for c in copied)} "
            f"FROM {quote(through._meta.db_table)} t JOIN {history_table} h ON h.id = t.{quote(source)} "
            f"WHERE h.history_date = %s AND h.history_type = %s AND t.{quote(source)} IN ({ids_sql})",
            [connection.ops.adapt_datetimefield_value(stamp), history_type, *ids_params],
        )


def delete_with_history(queryset: QuerySet, *, reason: str = "", user=None) -> int:
    """Record the rows of ``queryset`` as deleted, then delete them (children must already be gone)."""
    if hasattr(queryset.model, "history"):
        record_history(queryset, history_type="-", reason=reason, user=user)
    return raw_delete(queryset)


def raw_delete(queryset: QuerySet) -> int:
    """DELETE the rows of ``queryset`` in one statement, without loading them or sending signals."""
    model = queryset.model
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} IN ({sql})", params
        )
        return cursor.rowcount


# Every save moves these; listing them would add a line to every entry and say nothing.
UNSHOWN_FIELDS = {"created_at", "updated_at"}
HISTORY_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def history_entries(instance, *, limit: int = 20) -> list[dict]:
    """The newest ``limit`` changes of ``instance``: when, who, what kind, and each changed field.

    The records with their users in one query (one more than shown, so the oldest shown has its
    predecessor), compared in memory; values are shown as users see them: choice labels, yes or
    no, and related rows by name (one query per related model that appears).
    """
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    m2m_fields = list(getattr(instance.history.model, "_history_m2m_fields", []))
    links = _link_snapshots(instance, m2m_fields, records)
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        changes = []
        if older is not None and newer.history_type == "~":
            diff = newer.diff_against(older, excluded_fields=[f.name for f in m2m_fields], foreign_keys_are_objs=False)
            for change in diff.changes:
                if change.field not in UNSHOWN_FIELDS:
                    changes.append(
                        {"field": instance._meta.get_field(change.field), "old": change.old, "new": change.new}
                    )
            for field in m2m_fields:
                old, new = links[field.name][older.history_id], links[field.name][newer.history_id]
                if old != new:
                    changes.append({"field": field, "old": sorted(old), "new": sorted(new)})
            if not changes:
                continue  # a save that changed nothing shown (only its timestamps)
        entries.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": HISTORY_TYPES[newer.history_type],
                "reason": newer.history_change_reason,
                "changes": changes,
            }
        )
    _label_values([change for entry in entries for change in entry["changes"]])
    return entries


def _link_snapshots(instance, m2m_fields, records) -> dict[str, dict[int, frozenset]]:
    """Per many-to-many field and history record, the ids linked then (one query per field)."""
    snapshots = {}
    history_ids = [record.history_id for record in records]
    for field in m2m_fields:
        snapshot_model = getattr(instance.history.model, field.name).model
        target = field.m2m_reverse_field_name()
        linked = defaultdict(set)
        rows = snapshot_model.objects.filter(history_id__in=history_ids).values_list("history_id", f"{target}_id")
        for history_id, related_id in rows:
            linked[history_id].add(related_id)
        snapshots[field.name] = defaultdict(frozenset, {key: frozenset(value) for key, value in linked.items()})
    return snapshots


def _label_values(changes: list[dict]) -> None:
    """Replace raw values with what a user reads, and each field with its label."""
    related_ids: dict = defaultdict(set)
    for change in changes:
        if change["field"].many_to_many:
            related_ids[change["field"].related_model] |= {*change["old"], *change["new"]}
        elif change["field"].is_relation:
            related_ids[change["field"].related_model] |= {change["old"], change["new"]} - {None}
    names = {
        model: {row.pk: str(row) for row in model._default_manager.filter(pk__in=ids)}
        for model, ids in related_ids.items()
    }
    for change in changes:
        field = change.pop("field")
        change["label"] = field.verbose_name
        for side in ("old", "new"):
            value = change[side]
            if field.many_to_many:
                change[side] = join_list(names[field.related_model].get(pk, f"#{pk}") for pk in value)
            elif value is None or value == "":
                change[side] = ""
            elif field.is_relation:
                change[side] = names[field.related_model].get(value, f"#{value}")
            elif field.choices:
                change[side] = dict(field.flatchoices).get(value, value)
            elif isinstance(value, bool):
                change[side] = gettext("Yes") if value else gettext("No")
