"""The model permissions of a user read in one query: a backend before Django's ``ModelBackend``.

Every API request and page checks a role's model permission (``pinghu.permissions.may``), and
``ModelBackend`` reads a user's permissions in two queries (the user's own, then their groups').
``PermissionReadBackend`` reads the same two sets in one ``UNION ALL`` query into the attribute
``ModelBackend`` keeps them in on the user object (``_perm_cache``), so ``ModelBackend``, asked
after it, answers from them without a query. Like ``ModelBackend`` it keeps them for that user
object only (one request): nothing is cached between requests, so a change to a user's groups, a
group's permissions, a user's own permissions or the active and superuser flags applies from the
next request, as before.

A request with a bearer token arrives with ``_perm_cache`` already filled, read in the same statement
as its token (``pinghu.token_read``, the same sets, also per request): this backend then reads nothing.

Sign-in stays ``ModelBackend``'s (this backend authenticates nobody), so sessions keep naming it.
"""

from django.contrib.auth.models import Permission

NAMES = ("content_type__app_label", "codename")


class PermissionReadBackend:
    """``ModelBackend``'s permission answers, ``get_all_permissions`` (what ``has_perm`` reads) in one query.

    Not a ``BaseBackend``: without ``get_user`` it is never a session's backend (``force_login`` and
    ``login`` pick ``ModelBackend``), and it authenticates nobody.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list(*NAMES).order_by()
            else:
                own = Permission.objects.filter(user=user_obj).values_list(*NAMES).order_by()
                # ModelBackend's group read (group__in=user.groups.all()), joined instead of nested.
                groups = Permission.objects.filter(group__user=user_obj).values_list(*NAMES).order_by()
                rows = own.union(groups, all=True)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj=obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return user_obj.is_active and any(
            perm[: perm.index(".")] == app_label for perm in self.get_all_permissions(user_obj)
        )
