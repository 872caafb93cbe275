"""The demo's audit trail: one history row per demo row, written set-based after the bulk inserts.

``bulk_create`` and COPY send no signals, so ``generate_demo_data`` records the creation of its own rows
here (``pinghu.history.record_history``: one ``INSERT … SELECT`` per table, and per link table of the
visits' snapshot). At 100,000 projects that is some 1,500,000 history rows: their tables' keys and
secondary indexes are set aside while they are written (``projects.bulk_aside``), as the rows' own are.
"""

from pinghu.history import record_history

from .bulk_aside import set_aside


def history_models(model) -> list:
    """The history table of ``model`` and the snapshot tables of its tracked links."""
    history_model = model.history.model
    links = getattr(history_model, "_history_m2m_fields", [])
    return [history_model, *(getattr(history_model, field.name).model for field in links)]


def record_demo_history(querysets: list, *, rows: int, reason: str, user=None) -> None:
    """Record each queryset's rows as created; ``rows``: how many in all (whether setting aside is worth it)."""
    models = [model for queryset in querysets for model in history_models(queryset.model)]
    with set_aside(*models, rows=rows):
        for queryset in querysets:
            record_history(queryset, history_type="+", reason=reason, user=user)
