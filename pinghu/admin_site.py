"""The admin site: open to active users whose role changes data, not only to ``is_staff`` accounts; numbers grouped."""

from django.contrib import admin

from .admin_figures import FiguresAdminMixin
from .permissions import works_in_admin


class PinghuAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        """Staff accounts as usual, plus every role that works in the admin (``works_in_admin``, by its permissions)."""
        user = request.user
        return bool(user.is_active and (user.is_staff or works_in_admin(user)))

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as usual, ``FiguresAdminMixin`` mixed into the admin class: every app's admin groups numbers."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, FiguresAdminMixin):
            admin_class = type(
                admin_class.__name__, (FiguresAdminMixin, admin_class), {"__module__": admin_class.__module__}
            )
        return super().register(model_or_iterable, admin_class, **options)
