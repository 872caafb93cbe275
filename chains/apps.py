from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    """The industry structure: clusters, chains, chain maps, leaders and enterprises."""

    name = "chains"
    verbose_name = _("Industry structure")

    def ready(self) -> None:
        from pinghu.navigation import add_menu_item

        # The main menu's entry (pinghu.navigation), after the projects app's problems (60).
        add_menu_item(_("Per-mu ranking"), "chains:per-mu", permission="chains.view_enterpriseannualmetric", order=70)
