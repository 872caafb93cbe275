"""The chain structure app: its triggers installed after every migrate, its menu entry."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChainsConfig(AppConfig):
    """The industry structure: clusters, chains, chain maps, leaders and enterprises."""

    name = "chains"
    verbose_name = _("Industry structure")

    def ready(self) -> None:
        from pinghu.filter_ui import register_picker
        from pinghu.navigation import add_menu_group, add_menu_item
        from units.registry import register_unit_field

        from .triggers import install_after_migrate

        # On SQLite, a migration that alters a table copies it without its triggers: they are
        # installed again after every migrate (and after a test database's flush).
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="chains.install_triggers")

        # A leader's unit: a name left unmatched by the units migration is mapped by the bureau (units).
        register_unit_field("chains.Leader", "unit", _("Leaders · unit"))

        # A firm filter on a list page is a search box (pinghu.filter_ui): a select of every firm would be huge.
        register_picker("chains.Enterprise", lookup=_enterprise_by_name, suggest="chains:enterprise-suggest")

        # The main menu (pinghu.navigation): the firms' dropdown, which the aftercare app fills too; the
        # per-mu ranking after its problems (60).
        add_menu_group("firms", pgettext_lazy("menu group", "Firms"), order=60)
        per_mu_perm = "chains.view_enterpriseannualmetric"
        add_menu_item(_("Per-mu ranking"), "chains:per-mu", permission=per_mu_perm, order=70, group="firms")


def _enterprise_by_name(text: str):
    from .selectors import enterprise_by_name

    return enterprise_by_name(text)
