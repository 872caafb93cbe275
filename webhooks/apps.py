"""Webhooks for API consumers: signed deliveries of the domain events to the URLs a token's owner subscribes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """The top of the layers: it listens to ``pinghu.events`` and reads objects through the apps' API."""

    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from pinghu.events import domain_event

        from .receivers import record_deliveries

        domain_event.connect(record_deliveries, dispatch_uid="webhooks.record_deliveries")
