from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PinghuConfig(AppConfig):
    """Cross-cutting pieces every app uses: the timestamped base model, demo set-up."""

    name = "pinghu"
    verbose_name = _("Pinghu platform")

    def ready(self) -> None:
        # Registers the bearer-token scheme with drf-spectacular.
        from .api import schema  # noqa: F401
