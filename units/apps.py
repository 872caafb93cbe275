"""Units (单位): departments, towns and streets, development zones, as records with members."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitsConfig(AppConfig):
    """The units that host visits, answer for projects and take problems handed to them; above ``pinghu``."""

    name = "units"
    verbose_name = _("Units")

    def ready(self) -> None:
        from pinghu.navigation import add_menu_group, add_menu_item

        # The main menu (pinghu.navigation): the last dropdown, for the bureau's upkeep (data quality,
        # units, reminder rules: the apps above add theirs); in it the units, their members and the
        # names still to map.
        add_menu_group("settings", pgettext_lazy("menu group", "Settings"), order=95)
        add_menu_item(_("Units"), "units:unit-list", permission="units.change_unit", order=96, group="settings")
