"""The stalled-project reminders written set-based, for a bulk load (the demo's scan): one ``INSERT … SELECT``.

``stalled_project_reminders`` builds one ``Reminder`` per stalled project in Python and ``notify_many`` writes
the lines: some 53,600 projects and 94,000 inbox lines in the 100,000-project demo, most of the demo's scan.
Here PostgreSQL writes the same lines from the same query (``stalled_projects``): the same recipients (the
project's responsible official and its chain's current chief, each if active, once), the same texts (the site's
translations of the same messages, their placeholders filled in SQL), the same keys and links, none a person
already has (a key is written once per person), in the same order (the projects by last activity, then id; each
project's recipients by id), so the rows take the same ids. The daily scan keeps the Python path (its query
count is budgeted, ``tests/reminders/test_scan.py``); the rows are compared in ``tests/reminders/test_stalled_sql.py``.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.translation import gettext as _

from notifications import clock
from notifications.models import Notification
from projects.choices import ProjectStage
from projects.models import Project

from .. import recipients
from ..choices import RuleKind
from .idle import NEVER, detail_link_parts, stalled_projects

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def sql_format(template: str, values: dict[str, tuple[str, list]]) -> tuple[str, list]:
    """A named %-format ``template`` (``%(name)s``, ``%(name)d``, ``%%``) as an SQL ``CONCAT`` of its literal
    parts (parameters) and the SQL expressions ``values`` gives for its placeholders, each ``(sql, params)``
    (text, or integers, which PostgreSQL writes as ``%d`` does); returns the SQL and its parameters in order."""
    parts, params, literal, position = [], [], "", 0
    for match in _PLACEHOLDER.finditer(template):
        literal += template[position : match.start()]
        position = match.end()
        if match.group(0) == "%%":
            literal += "%"
            continue
        if literal:
            parts.append("%s")
            params.append(literal)
            literal = ""
        expression, expression_params = values[match.group(1)]
        parts.append(f"({expression})::text")
        params.extend(expression_params)
    literal += template[position:]
    if literal:
        parts.append("%s")
        params.append(literal)
    return f"CONCAT({', '.join(parts) or repr('')})", params


def write_stalled_project_reminders(rule, today: datetime.date) -> dict[str, int]:
    """Write the reminders ``stalled_project_reminders(rule, today)`` would have ``deliver`` write, in one statement
    (PostgreSQL only); returns ``{"found": stalled projects, "written": inbox lines}`` as the scan counts them.

    The caller runs it where the scan's texts are translated (``reminders.scan.run_scan``: the site's language).
    """
    stalled_sql, stalled_params = (
        stalled_projects(rule, today)
        .values_list("pk", "name", "stage", "chain_id", "responsible_official_id", "chain__name", "last_activity")
        .query.sql_with_params()
    )
    chiefs = recipients.chain_chiefs(today)
    parts = detail_link_parts("projects:project-detail")
    if parts is None:
        raise ValueError("The project page's path cannot be cut around its id: use the scan's Python path.")
    head, tail = parts
    day = "to_char(s.last_activity, 'YYYY-MM-DD')"
    name = ("s.name", [])
    no_progress, no_progress_params = sql_format(_("Project %(project)s has no recorded progress"), {"project": name})
    not_moved, not_moved_params = sql_format(
        _("Project %(project)s has not moved for %(days)d days"),
        {"project": name, "days": ("%s::date - s.last_activity", [today])},
    )
    # The stages' labels, translated (as ``stalled_project_reminders`` shows them).
    labels = {value: str(label) for value, label in ProjectStage.choices}
    stage = "CASE s.stage " + " ".join("WHEN %s THEN %s" for _label in labels) + " ELSE s.stage END"
    stage_params = [item for value, label in labels.items() for item in (value, label)]
    since = f"CASE WHEN s.last_activity <= %s THEN %s ELSE {day} END"
    body, body_params = sql_format(
        _("Stage: %(stage)s; chain: %(chain)s; last stage change or follow-up: %(since)s."),
        {
            "stage": (stage, stage_params),
            "chain": ("s.chain_name", []),
            "since": (since, [NEVER, _("no recorded activity")]),
        },
    )
    key = f"CONCAT('project:', s.id, ':stalled:', {day})"
    quote = connection.ops.quote_name
    notifications, users = quote(Notification._meta.db_table), quote(get_user_model()._meta.db_table)
    sql = f"""
        WITH s (id, name, stage, chain_id, official_id, chain_name, last_activity) AS MATERIALIZED ({stalled_sql}),
        chiefs AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS c (chain_id, user_id)),
        lines AS (
            SELECT s.*, r.user_id, {key} AS key FROM s
            CROSS JOIN LATERAL (
                SELECT s.official_id AS user_id UNION SELECT c.user_id FROM chiefs c WHERE c.chain_id = s.chain_id
            ) r
            JOIN {users} u ON u.id = r.user_id AND u.is_active
        ),
        written AS (
            INSERT INTO {notifications}
                (recipient_id, kind, title, body, link, content_type_id, object_id, key, urgent, created_at)
            SELECT s.user_id, %s,
                LEFT(CASE WHEN s.last_activity <= %s THEN {no_progress} ELSE {not_moved} END, 200),
                {body}, CONCAT(%s, s.id, %s), %s, s.id::text, s.key, false, %s
            FROM lines s
            WHERE NOT EXISTS (SELECT 1 FROM {notifications} n WHERE n.recipient_id = s.user_id AND n.key = s.key)
            ORDER BY s.last_activity, s.id, s.user_id
            RETURNING 1
        )
        SELECT (SELECT COUNT(*) FROM s), (SELECT COUNT(*) FROM written)"""
    params = [
        *stalled_params,
        list(chiefs),
        list(chiefs.values()),
        RuleKind.PROJECT_STALLED.value,
        NEVER,
        *no_progress_params,
        *not_moved_params,
        *body_params,
        head,
        tail,
        ContentType.objects.get_for_model(Project).pk,
        clock.now(),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found, written = cursor.fetchone()
    return {"found": found, "written": written}
