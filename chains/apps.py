from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    """The industry structure: clusters, chains, chain maps, leaders and enterprises."""

    name = "chains"
    verbose_name = _("Industry structure")
