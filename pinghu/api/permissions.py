"""Who may call the API: the roles of ``pinghu.permissions``, plus a token's scope."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from pinghu.models import ApiToken
from pinghu.permissions import DENIED, has_role, may, perm_name

METHOD_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class ApiAccess(permissions.BasePermission):
    """Reads need the role's view permission; writes a write-scope token (or a session) and the role's permission.

    For an object, writes also pass its object rule (a role changes only the rows it recorded, say).
    A view may name the permissions of an action in ``action_permissions``, and the read permission
    of a view without a model in ``view_permission``.
    """

    message = DENIED

    def _model(self, view):
        queryset = getattr(view, "queryset", None)
        if queryset is None and hasattr(view, "get_queryset"):
            try:
                queryset = view.get_queryset()
            except (AssertionError, AttributeError):
                queryset = None
        return None if queryset is None else queryset.model

    def _perms(self, request, view) -> list[str]:
        named = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if named is not None:
            return list(named)
        model = self._model(view)
        if request.method in permissions.SAFE_METHODS:
            explicit = getattr(view, "view_permission", None)
            if explicit:
                return [explicit]
            return [perm_name(model, "view")] if model is not None else []
        action = METHOD_ACTIONS.get(request.method)
        return [perm_name(model, action)] if model is not None and action else []

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if request.method not in permissions.SAFE_METHODS and isinstance(request.auth, ApiToken):
            if not request.auth.can_write:
                self.message = _("This token is read-only.")
                return False
        return all(may(user, perm) for perm in self._perms(request, view))

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return all(may(request.user, perm, obj) for perm in self._perms(request, view))


class SchemaAccess(permissions.BasePermission):
    """``/api/schema/`` and ``/api/docs/``: a token, or a signed-in user who holds a role (401 anonymous, 403 no role).

    The schema names every resource and field; a user with no role sees nothing else either.
    """

    message = DENIED

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return isinstance(request.auth, ApiToken) or has_role(request.user)
