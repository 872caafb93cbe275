"""The audit trail (django-simple-history) for bulk writes, which skip the model signals it listens to.

``record_history`` writes one history row per row of a queryset in a single INSERT … SELECT;
``delete_with_history`` records the rows as deleted and then deletes them, in one statement each.
Both run inside the caller's transaction.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.fields import CharField, DateTimeField, IntegerField
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
    for newer, older in zip(records[:limit], [*records[1:], None], strict=False):
        changes = []
        if older is not None and newer.history_type == "~":
            for change in newer.diff_against(older, foreign_keys_are_objs=False).changes:
                if change.field not in UNSHOWN_FIELDS:
                    changes.append(
                        {"field": instance._meta.get_field(change.field), "old": change.old, "new": change.new}
                    )
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


def _label_values(changes: list[dict]) -> None:
    """Replace raw values with what a user reads, and each field with its label."""
    related_ids: dict = defaultdict(set)
    for change in changes:
        if change["field"].is_relation:
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
            if value is None or value == "":
                change[side] = ""
            elif field.is_relation:
                change[side] = names[field.related_model].get(value, f"#{value}")
            elif field.choices:
                change[side] = dict(field.flatchoices).get(value, value)
            elif isinstance(value, bool):
                change[side] = gettext("Yes") if value else gettext("No")
