"""Who may call the API: signed-in users and token holders read; writes need a write scope and model permission."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from pinghu.models import ApiToken


class ApiAccess(permissions.DjangoModelPermissions):
    """Reads need authentication; writes need the model's add/change/delete permission and, for a token, write scope.

    Reference data (clusters, chains, …) is read-only in the API, so its views allow safe methods only.
    """

    message = _("You do not have permission to perform this action.")

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if isinstance(request.auth, ApiToken) and not request.auth.can_write:
            self.message = _("This token is read-only.")
            return False
        # An action may name its own permissions (a stage change needs "change", not "add").
        action_permissions = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if action_permissions is not None:
            return request.user.has_perms(action_permissions)
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return True
        return super().has_permission(request, view)
