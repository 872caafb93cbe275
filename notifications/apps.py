"""Notifications: the in-app inbox, and (issue 19) the channels and digests that carry it outward."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to people and to units' members; the top of the layers (it reads every app below)."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from pinghu.panels import add_panel
        from projects.demo_apps import register_demo_generator

        from . import sending  # noqa: F401  (registers the 浙政钉 apprise plugin)
        from .demo import DEMO_NOTIFICATIONS
        from .panels import navbar_badge

        # The unread count beside the user name in base.html's navigation bar.
        add_panel("navbar", "inbox", template="notifications/navbar_badge.html", context=navbar_badge)
        # generate_demo_data: a few notifications (演示) in the demo accounts' inboxes.
        register_demo_generator(DEMO_NOTIFICATIONS)
