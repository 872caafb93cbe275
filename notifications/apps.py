"""Notifications: the in-app inbox, and (issue 19) the channels and digests that carry it outward."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to people and to units' members; the top of the layers (it reads every app below)."""

    name = "notifications"
    verbose_name = _("Notifications")
