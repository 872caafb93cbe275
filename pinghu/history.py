"""The audit trail (django-simple-history) for bulk writes, which skip the model signals it listens to.

``record_history`` writes one history row per row of a queryset in a single INSERT … SELECT;
``delete_with_history`` records the rows as deleted and then deletes them, in one statement each.
Both run inside the caller's transaction.
"""

from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.fields import CharField, DateTimeField, IntegerField
from django.utils import timezone


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
        return cursor.rowcount


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


def history_entries(instance, *, limit: int = 20) -> list[dict]:
    """The newest ``limit`` changes of ``instance``: when, who, what kind, and each changed field.

    Two queries (the records with their users, one more than shown so the oldest shown has its
    predecessor); consecutive records are compared in memory.
    """
    from django.utils.translation import gettext_lazy as _

    labels = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if len(entries) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            for change in newer.diff_against(older, foreign_keys_are_objs=False).changes:
                field = instance._meta.get_field(change.field)
                changes.append({"label": field.verbose_name, "old": change.old, "new": change.new})
        entries.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": labels[newer.history_type],
                "reason": newer.history_change_reason,
                "changes": changes,
            }
        )
    return entries
