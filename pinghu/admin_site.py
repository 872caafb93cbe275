"""The admin site: open to active users whose role changes data, not only to ``is_staff`` accounts."""

from django.contrib import admin

from .permissions import works_in_admin


class PinghuAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        """Staff accounts as usual, plus officials, chain leaders, bureau staff and admins (by their permissions)."""
        user = request.user
        return bool(user.is_active and (user.is_staff or works_in_admin(user)))
