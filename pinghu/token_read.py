"""A bearer token, its user and the user's model permissions, read in one statement: what every API request reads.

Through the ORM these are two queries (``ApiToken.objects.usable().select_related("user")``, then
``PermissionReadBackend``'s permission read at the first permission check), and Django compiles both
anew on every request: about 1.5 ms of CPU each, more than the database spends on them. Here the
statement is written once per database connection from the models' metadata (tables and columns
as migrations made them, whatever the user model), and every request only executes it:

- the usable token with this key and its user, under exactly ``ApiTokenQuerySet.usable()``'s
  conditions (not revoked, not expired at ``now``, the user active);
- and, when that user is not a superuser, the ``"app_label.codename"`` of every permission they hold
  through a group or of their own: ``PermissionReadBackend``'s read (and ``ModelBackend``'s).

The permissions are read in the same statement as the token, so nothing is kept between requests:
a revoked or expired token, a deactivated user, a group left or a permission removed apply from the
next request, as before. They are put where both backends keep a user's permissions for the request
(``_perm_cache``), so the permission check reads nothing more. A superuser's are not read: Django
answers ``has_perm`` for an active superuser without asking any backend, and their full list, if
something asks for it, is read by the backend as before.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router

from .models import ApiToken


@dataclass(frozen=True)
class _Statement:
    sql: str
    token_names: list[str]  # the token's columns first, then the user's, then app label and codename
    user_names: list[str]
    converters: tuple[tuple[int, list[Callable], object], ...]  # (column, its converters, its expression)


def _converters(columns, connection) -> tuple:
    """What Django's compiler applies to each column as it reads a row (SQLite's dates and booleans, say)."""
    found = []
    for index, column in enumerate(columns):
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            found.append((index, functions, column))
    return tuple(found)


@functools.lru_cache(maxsize=32)
def _statement(connection) -> _Statement:
    """The statement for this connection (kept for it: its converters are its own); parameters: ``_parameters``."""
    quote = connection.ops.quote_name
    user_model = get_user_model()

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    token_fields, user_fields = ApiToken._meta.concrete_fields, user_model._meta.concrete_fields
    selected = [f"tok.{quote(field.column)}" for field in token_fields]
    selected += [f"usr.{quote(field.column)}" for field in user_fields]
    nothing = ", ".join(["NULL"] * len(selected))
    # ApiTokenQuerySet.usable() and the key; the two parameters are the time and the key's hash.
    usable = (
        f"FROM {table(ApiToken)} tok INNER JOIN {table(user_model)} usr"
        f" ON usr.{quote(user_model._meta.pk.column)} = tok.{column(ApiToken, 'user')}"
        f" WHERE tok.{column(ApiToken, 'revoked_at')} IS NULL AND usr.{column(user_model, 'is_active')}"
        f" AND (tok.{column(ApiToken, 'expires_at')} IS NULL OR tok.{column(ApiToken, 'expires_at')} > %s)"
        f" AND tok.{column(ApiToken, 'key_hash')} = %s"
    )
    holder = f"(SELECT tok.{column(ApiToken, 'user')} {usable} AND NOT usr.{column(user_model, 'is_superuser')})"
    groups = user_model._meta.get_field("groups")
    own = user_model._meta.get_field("user_permissions")
    granted = Group._meta.get_field("permissions")
    # ModelBackend's two reads (the user's own permissions, their groups'), as ids of permissions.
    held = (
        f"SELECT gp.{quote(granted.m2m_reverse_name())} FROM {quote(granted.m2m_db_table())} gp"
        f" INNER JOIN {quote(groups.m2m_db_table())} ug ON ug.{quote(groups.m2m_reverse_name())}"
        f" = gp.{quote(granted.m2m_column_name())}"
        f" WHERE ug.{quote(groups.m2m_column_name())} = {holder}"
        f" UNION ALL SELECT up.{quote(own.m2m_reverse_name())} FROM {quote(own.m2m_db_table())} up"
        f" WHERE up.{quote(own.m2m_column_name())} = {holder}"
    )
    sql = (
        f"SELECT {', '.join(selected)}, NULL, NULL {usable}"
        f" UNION ALL SELECT {nothing}, ct.{column(ContentType, 'app_label')}, perm.{column(Permission, 'codename')}"
        f" FROM {table(Permission)} perm INNER JOIN {table(ContentType)} ct"
        f" ON ct.{quote(ContentType._meta.pk.column)} = perm.{column(Permission, 'content_type')}"
        f" WHERE perm.{quote(Permission._meta.pk.column)} IN ({held})"
    )
    columns = [field.get_col("tok") for field in token_fields] + [field.get_col("usr") for field in user_fields]
    return _Statement(
        sql,
        [field.attname for field in token_fields],
        [field.attname for field in user_fields],
        _converters(columns, connection),
    )


def _parameters(connection, *, key_hash: str, now: datetime.datetime) -> list:
    expires_at = ApiToken._meta.get_field("expires_at")
    at = expires_at.get_db_prep_value(now, connection)  # as the ORM compares it (SQLite: UTC text)
    # The token's conditions, then the permission holder's twice (their groups', their own).
    return [at, key_hash] * 3


def usable_token_with_permissions(key_hash: str, *, now: datetime.datetime) -> ApiToken | None:
    """The usable token whose key has this hash, its ``user`` loaded with their permissions for this request.

    ``None`` when no token is usable. The user's ``_perm_cache`` holds what ``PermissionReadBackend``
    would read (``get_all_permissions``), unless they are a superuser.
    """
    alias = router.db_for_read(ApiToken)
    connection = connections[alias]
    statement = _statement(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, _parameters(connection, key_hash=key_hash, now=now))
        rows = cursor.fetchall()
    found = None
    permissions = set()
    for row in rows:
        if row[0] is None:
            permissions.add(f"{row[-2]}.{row[-1]}")
        else:
            found = list(row[:-2])
    if found is None:
        return None
    for index, functions, expression in statement.converters:
        for convert in functions:
            found[index] = convert(found[index], expression, connection)
    split = len(statement.token_names)
    token = ApiToken.from_db(alias, statement.token_names, found[:split])
    user = get_user_model().from_db(alias, statement.user_names, found[split:])
    ApiToken._meta.get_field("user").set_cached_value(token, user)
    if not user.is_superuser:
        user._perm_cache = permissions  # where PermissionReadBackend and ModelBackend keep it for the request
    return token
