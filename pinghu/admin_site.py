"""The admin site: open to active users whose role changes data, not only to ``is_staff`` accounts."""

from django.contrib import admin

from .permissions import works_in_admin


class PinghuAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        """Staff accounts as usual, plus every role that works in the admin (``works_in_admin``, by its permissions)."""
        user = request.user
        return bool(user.is_active and (user.is_staff or works_in_admin(user)))
